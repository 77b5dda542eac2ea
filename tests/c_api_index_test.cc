// SPDX-License-Identifier: GPL-2.0-or-later
// cs_index_paths is all or nothing (review #33, and #24 for a NULL path):
// a failing path commits nothing, with rebuild 0 or 1, through the shared
// library as a C host calls it.
//
// usage: c_api_index_test SOURCE_DIR WORK_DIR
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "clinsearch/clinsearch.h"

namespace {

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::printf("FAIL: %s\n", what.c_str());
    ++failures;
  }
}

std::string Take(char* s) {
  std::string out = s ? s : "";
  cs_free(s);
  return out;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The "total" a search for `query` reports.
std::string Total(const std::string& db, const char* query) {
  char* error = nullptr;
  cs_searcher* s = cs_searcher_open(db.c_str(), &error);
  if (!s) return "open failed: " + Take(error);
  const std::string json = Take(cs_search(s, query, "{\"spelling\":false}"));
  cs_searcher_close(s);
  const size_t at = json.find("\"total\":");
  return at == std::string::npos ? json : json.substr(at, json.find(',', at) - at);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string corpus = std::string(argv[1]) + "/corpus";
  const std::string work = argv[2];
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  const std::string db = work + "/index";
  {
    std::ofstream out(work + "/extra.jsonl");
    out << R"({"id":"extra-1","title":"Wombat care","text":"Wombats dig long burrows."})"
        << "\n";
  }
  const char* good[] = {corpus.c_str()};
  Check(Take(cs_index_paths(db.c_str(), good, 1, 0)).find("\"error\"") == std::string::npos,
        "indexing corpus/");
  const std::string stub = Read(db + "/XAPIANDB");
  const std::string before = Total(db, "tumor");

  const std::string extra = work + "/extra.jsonl", typo = work + "/extra.jsonlX";
  const char* partial[] = {extra.c_str(), typo.c_str()};
  for (int rebuild : {0, 1}) {
    const std::string answer = Take(cs_index_paths(db.c_str(), partial, 2, rebuild));
    Check(answer.find("\"error\"") != std::string::npos && answer.find(typo) != std::string::npos,
          "a missing path gives an error naming it (rebuild " + std::to_string(rebuild) +
              "): " + answer);
    Check(Read(db + "/XAPIANDB") == stub, "the live generation is unchanged");
    Check(Total(db, "wombat").find("\"total\":0") == 0,
          "nothing of the good path was committed: " + Total(db, "wombat"));
    Check(Total(db, "tumor") == before, "the index answers as before");
  }
  const char* null_path[] = {extra.c_str(), nullptr};
  Check(Take(cs_index_paths(db.c_str(), null_path, 2, 0)).find("is NULL") != std::string::npos,
        "a NULL path is refused");
  Check(Total(db, "wombat").find("\"total\":0") == 0, "nothing committed after a NULL path");

  struct stat st {};
  const bool root_stub_before = stat("/XAPIANDB", &st) == 0;
  Check(Take(cs_index_paths(nullptr, good, 1, 0)).find("\"error\"") != std::string::npos,
        "a NULL db_path is refused");
  Check(Take(cs_index_paths("", good, 1, 0)).find("\"error\"") != std::string::npos,
        "an empty db_path is refused");
  Check(root_stub_before || stat("/XAPIANDB", &st) != 0, "nothing written into /");

  Check(Take(cs_index_paths(db.c_str(), partial, 1, 0)).find("\"error\"") == std::string::npos,
        "the good path alone is indexed");
  Check(Total(db, "wombat").find("\"total\":0") != 0, "and then found");
  if (failures == 0) std::printf("PASS\n");
  return failures == 0 ? 0 : 1;
}
