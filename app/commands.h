// SPDX-License-Identifier: GPL-2.0-or-later
// The CLI's commands as library functions: main.cc only parses arguments.
// Each returns the process exit code: 0 success, 1 failure, 2 bad usage.
#ifndef CLINSEARCH_APP_COMMANDS_H_
#define CLINSEARCH_APP_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "server/server.h"

namespace clinsearch {

struct IndexCommand {
  std::string db;
  std::vector<std::string> paths;
  bool prune = false;  // delete documents not in `paths` (one transaction: all or nothing)
  // Progress: "auto" (a bar on a terminal, else a log line every 10 s),
  // "bar", "log" or "off".
  std::string progress = "auto";
  IndexOptions options;
};
int RunIndex(const IndexCommand& command, std::ostream& out);

struct SearchCommand {
  std::string db;
  std::string query;       // one query, or
  std::string batch_file;  // lines "ID<TAB>QUERY" or "QUERY" ("-" = stdin)
  bool json = false;
  bool color = false;
  SearchOptions search;
  SearcherOptions searcher;
};
int RunSearch(const SearchCommand& command, std::ostream& out);

struct EvalCommand {
  std::string db;
  std::string queries;   // ID<TAB>QUERY
  std::string qrels;     // QID 0 DOC GRADE
  std::string run_file;  // optional: the run as JSON lines (score_qrels.py input)
  bool per_query = false;
  SearchOptions search;
  SearcherOptions searcher;
};
int RunEval(const EvalCommand& command, std::ostream& out);

struct ServeCommand {
  std::string db;
  ServerOptions options;
};
// Serves until SIGINT or SIGTERM.
int RunServe(const ServeCommand& command);

// Registers the "clinsearch" logger on stderr at `level` (trace, debug,
// info, warn, error, off).
void SetUpLogging(const std::string& level);

}  // namespace clinsearch

#endif  // CLINSEARCH_APP_COMMANDS_H_
