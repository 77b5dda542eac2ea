#include "app/commands.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "analysis/log.h"
#include "clinsearch/format.h"

namespace clinsearch {

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::get("clinsearch");
  if (!logger) {
    logger = spdlog::stderr_color_mt("clinsearch");
    logger->set_pattern("%^%l%$: %v");
  }
  logger->set_level(spdlog::level::from_str(level));
}

int RunIndex(const IndexCommand& command, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  auto writer = IndexWriter::Open(command.db, command.options);
  if (!writer.ok()) {
    Log()->error("{}", writer.status().message());
    return 1;
  }
  int rc = 0;
  for (const std::string& path : command.paths) {
    Status s = writer->AddPath(path);
    if (!s.ok()) {
      Log()->error("{}", s.message());
      rc = 1;
    }
  }
  Status s = writer->Commit();
  if (!s.ok()) {
    Log()->error("{}", s.message());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const IndexStats& st = writer->stats();
  out << "indexed " << st.documents << " documents as " << st.passages << " passages in "
      << seconds << " s";
  if (st.skipped + st.problems > 0) {
    out << "; " << st.skipped << " documents skipped, " << st.problems << " problems reported above";
  }
  out << "\n";
  return rc;
}

namespace {

int SearchOne(Searcher& searcher, const SearchCommand& c, const std::string& id,
              const std::string& query, std::ostream& out) {
  auto response = searcher.Search(query, c.search);
  if (!response.ok()) {
    if (c.json) out << FormatJsonError(query, response.status().message(), id) << "\n";
    else out << "No search: " << response.status().message() << "\n";
    return 1;
  }
  if (c.json) out << FormatJson(*response, id) << "\n";
  else out << FormatText(*response, c.color);
  return 0;
}

}  // namespace

int RunSearch(const SearchCommand& c, std::ostream& out) {
  auto searcher = Searcher::Open(c.db, c.searcher);
  if (!searcher.ok()) {
    Log()->error("{}", searcher.status().message());
    return 1;
  }
  if (c.batch_file.empty()) return SearchOne(*searcher, c, "", c.query, out);

  std::ifstream file;
  std::istream* in = &std::cin;
  if (c.batch_file != "-") {
    file.open(c.batch_file);
    if (!file) {
      Log()->error("{}: cannot read batch file", c.batch_file);
      return 1;
    }
    in = &file;
  }
  std::string line;
  size_t line_no = 0, failed = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string id = std::to_string(line_no), query = line;
    if (auto tab = line.find('\t'); tab != std::string::npos) {
      id = line.substr(0, tab);
      query = line.substr(tab + 1);
    }
    if (SearchOne(*searcher, c, id, query, out) != 0) {
      ++failed;
      Log()->warn("{}:{}: query not searchable", c.batch_file, line_no);
    }
  }
  if (failed > 0) Log()->info("{} of the batch's queries had nothing searchable", failed);
  return 0;
}

}  // namespace clinsearch
