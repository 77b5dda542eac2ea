// The C API (include/clinsearch/clinsearch.h) over the C++ one: handles
// wrap a Searcher; results are the same JSON the CLI and the server write.
#include <cstdlib>
#include <cstring>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "clinsearch/clinsearch.h"
#include "clinsearch/format.h"
#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "clinsearch/version.h"
#include "front/search_request.h"

struct cs_searcher {
  clinsearch::Searcher searcher;
};

namespace {

char* Copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

char* Error(const std::string& message) {
  nlohmann::json j;
  j["error"] = message;
  return Copy(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string Text(const char* s) {
  std::string out = s ? s : "";
  clinsearch::RepairUtf8(out);
  return out;
}

void SetError(char** error, const std::string& message) {
  if (error) *error = Copy(message);
}

}  // namespace

extern "C" {

const char* cs_version(void) { return CLINSEARCH_VERSION_STRING; }

cs_searcher* cs_searcher_open(const char* db_path, char** error) {
  if (error) *error = nullptr;
  try {
    auto opened = clinsearch::Searcher::Open(Text(db_path));
    if (!opened.ok()) {
      SetError(error, opened.status().message());
      return nullptr;
    }
    return new cs_searcher{std::move(*opened)};
  } catch (const std::exception& e) {
    SetError(error, e.what());
    return nullptr;
  }
}

void cs_searcher_close(cs_searcher* searcher) { delete searcher; }

char* cs_search(cs_searcher* searcher, const char* query, const char* options_json) {
  if (!searcher) return Error("no searcher");
  try {
    // The options and their defaults are the HTTP API's
    // (front/search_request.h); the query is q.
    auto params = clinsearch::SearchParamsFromJson(Text(options_json));
    if (!params.ok()) return Error(params.status().message());
    (*params)["q"] = Text(query);
    auto request = clinsearch::ParseSearchRequest(*params, clinsearch::RequestLimits{});
    if (!request.ok()) return Error(request.status().message());
    auto response = searcher->searcher.Search(request->query, request->options);
    if (!response.ok()) return Error(response.status().message());
    return Copy(clinsearch::FormatJson(*response));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

char* cs_suggest(cs_searcher* searcher, const char* prefix, int limit) {
  if (!searcher) return Error("no searcher");
  try {
    const std::string text = Text(prefix);
    const size_t n = limit > 0 ? static_cast<size_t>(limit) : 8;
    return Copy(clinsearch::FormatSuggestionsJson(text, searcher->searcher.Suggest(text, n)));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

char* cs_document(cs_searcher* searcher, const char* doc_id) {
  if (!searcher) return Error("no searcher");
  try {
    const std::string id = Text(doc_id);
    auto passages = searcher->searcher.Passages(id);
    if (!passages.ok()) return Error(passages.status().message());
    return Copy(clinsearch::FormatDocumentJson(id, *passages));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

int cs_searcher_reopen(cs_searcher* searcher, char** error) {
  if (error) *error = nullptr;
  if (!searcher) {
    SetError(error, "no searcher");
    return -1;
  }
  try {
    clinsearch::Status s = searcher->searcher.Reopen();
    if (s.ok()) return 0;
    SetError(error, s.message());
  } catch (const std::exception& e) {
    SetError(error, e.what());
  }
  return -1;
}

char* cs_index_paths(const char* db_path, const char* const* paths, size_t n_paths, int rebuild) {
  try {
    const std::string db = Text(db_path);
    if (db.empty()) return Error("no index folder given (db_path is NULL or empty)");
    if (n_paths > 0 && !paths) return Error("paths is NULL");
    std::vector<std::string> inputs;
    for (size_t i = 0; i < n_paths; ++i) {
      if (!paths[i]) return Error("path " + std::to_string(i) + " is NULL");
      inputs.push_back(Text(paths[i]));
    }
    // All or nothing: every input is checked before anything is written,
    // and the run is one transaction committed only if every path was read.
    if (clinsearch::Status s = clinsearch::IndexWriter::CheckInputs(inputs); !s.ok()) {
      return Error(s.message());
    }
    clinsearch::IndexOptions options;
    options.rebuild = rebuild != 0;
    options.all_or_nothing = true;
    auto writer = clinsearch::IndexWriter::Open(db, options);
    if (!writer.ok()) return Error(writer.status().message());
    for (const std::string& path : inputs) {
      clinsearch::Status s = writer->AddPath(path);
      if (!s.ok() && s.code() != clinsearch::Status::Code::kInvalidArgument)
        return Error(s.message());  // the writer's destructor discards the run
    }
    clinsearch::Status s = writer->Commit();
    if (!s.ok()) return Error(s.message());
    const clinsearch::IndexStats& st = writer->stats();
    nlohmann::ordered_json j;
    j["documents"] = st.documents;
    j["added"] = st.added;
    j["updated"] = st.updated;
    j["unchanged"] = st.unchanged;
    j["passages"] = st.passages;
    j["skipped"] = st.skipped;
    j["problems"] = writer->diagnostics();
    return Copy(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

void cs_free(void* p) { std::free(p); }

}  // extern "C"
