// SPDX-License-Identifier: GPL-2.0-or-later
// clinsearch: index treatment documents and search their passages.
// main only declares the arguments and picks the command; the commands
// themselves are in commands.cc.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/usage_hints.h"
#include "clinsearch/version.h"

namespace clinsearch {
namespace {

void AddLogLevelOption(CLI::App& app, std::string* level) {
  app.add_option("--log-level", *level, "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
}

void AddSynonymsOption(CLI::App* cmd, std::vector<std::string>* paths) {
  cmd->add_option("--synonyms", *paths, "extra dictionary file or folder (repeatable)")
      ->allow_extra_args(false);
}

void AddIndexCommand(CLI::App& app, IndexCommand* index) {
  CLI::App* cmd = app.add_subcommand("index", "index files and folders (.txt .md .html .jsonl)");
  IndexOptions& o = index->options;
  cmd->add_option("--db", index->db, "index folder (created if missing)")->required();
  AddSynonymsOption(cmd, &o.synonym_paths);
  cmd->add_flag("!--no-bundled-synonyms", o.bundled_synonyms,
                "do not load the bundled clinical dictionary");
  cmd->add_flag("--prune", index->prune,
                "delete indexed documents that are not in the given paths");
  cmd->add_flag("--rebuild", o.rebuild,
                "build a fresh generation beside the live one and switch to it atomically when "
                "done (only if every input was read and the deletion guards allow it)");
  cmd->add_flag("--dry-run", o.dry_run,
                "write nothing: print the ids that would be added, replaced and deleted");
  cmd->add_option("--max-delete-fraction", o.max_delete_fraction,
                  "--prune and --rebuild refuse to delete more than this share of the index")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--allow-mass-delete", o.allow_mass_delete,
                "let --prune or --rebuild delete more than --max-delete-fraction, or everything "
                "when the input holds no documents");
  cmd->add_option("--id-root", o.id_root,
                  "files' document ids are their paths relative to this folder (default: the "
                  "current one)");
  cmd->add_option("--shards", o.shards,
                  "build a new index as N shards, documents assigned by a hash of their id "
                  "(docs/scaling.md)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("!--no-mining", o.mine_synonyms,
                "do not learn abbreviations and 'also called' names from the documents");
  cmd->add_option("--progress", index->progress,
                  "auto (a bar on a terminal, else a log line every 10 s), bar, log or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "bar", "log", "off"}));
  cmd->add_option("--threads", o.threads, "analysis threads (0: one per core)")
      ->capture_default_str();
  cmd->add_option("--commit-every", o.commit_every,
                  "commit after this many passages (0: only at the end)")
      ->capture_default_str();
  cmd->add_option("paths", index->paths, "files or folders to index")->required();
}

// Ranking knobs of search and eval, for measuring (defaults in
// include/clinsearch/searcher.h).
void AddRankingOptions(CLI::App* cmd, SearcherOptions* o) {
  cmd->add_flag("!--no-check", o->check_index,
                "skip reading the whole index through to check it at open (faster on a large "
                "index)");
  cmd->add_option("--bm25-k1", o->bm25_k1, "BM25 k1")->capture_default_str()->group("Ranking");
  cmd->add_option("--bm25-b", o->bm25_b, "BM25 b")->capture_default_str()->group("Ranking");
  cmd->add_option("--title-boost", o->title_boost, "weight of title matches (0: off)")
      ->capture_default_str()
      ->group("Ranking");
  cmd->add_option("--heading-boost", o->heading_boost,
                  "weight of question-type heading matches (0: off)")
      ->capture_default_str()
      ->group("Ranking");
  cmd->add_option("--feedback-terms", o->feedback_terms, "pseudo-relevance feedback terms (0: off)")
      ->capture_default_str()
      ->group("Ranking");
  cmd->add_option("--feedback-weight", o->feedback_weight, "weight of feedback terms")
      ->capture_default_str()
      ->group("Ranking");
  cmd->add_flag("!--keep-question-phrasing", o->drop_question_phrasing,
                "keep conversational words of long questions")
      ->group("Ranking");
}

// Spelling and expansion switches of search and eval.
void AddQueryFlags(CLI::App* cmd, SearchOptions* o) {
  cmd->add_flag("!--no-spelling", o->spelling, "do not correct unknown words");
  cmd->add_flag("!--no-expand", o->expand, "do not expand with the dictionary");
}

void AddSearchCommand(CLI::App& app, SearchCommand* search) {
  CLI::App* cmd = app.add_subcommand("search", "rank passages for a query");
  cmd->add_option("--db", search->db, "index folder")->required();
  cmd->add_option("--limit", search->search.limit, "number of results (1-1000)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--offset", search->search.offset, "results to skip, for paging (0-10000)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  cmd->add_flag("--json", search->json, "JSON Lines output");
  cmd->add_option("--batch", search->batch_file,
                  "file of queries, one per line: ID<TAB>QUERY or QUERY");
  AddSynonymsOption(cmd, &search->searcher.synonym_paths);
  AddQueryFlags(cmd, &search->search);
  cmd->add_option("query", search->query, "the query");
  AddRankingOptions(cmd, &search->searcher);
}

void AddEvalCommand(CLI::App& app, EvalCommand* eval) {
  CLI::App* cmd = app.add_subcommand("eval", "score a query set against TREC relevance judgments");
  cmd->add_option("--db", eval->db, "index folder")->required();
  cmd->add_option("--queries", eval->queries, "queries: ID<TAB>QUERY lines")->required();
  cmd->add_option("--qrels", eval->qrels, "judgments: QID 0 DOC_ID GRADE lines")->required();
  cmd->add_flag("--per-query", eval->per_query, "a line of scores per query");
  cmd->add_option("--run", eval->run_file, "also write the run as JSON lines to this file");
  AddSynonymsOption(cmd, &eval->searcher.synonym_paths);
  AddQueryFlags(cmd, &eval->search);
  AddRankingOptions(cmd, &eval->searcher);
}

void AddServeCommand(CLI::App& app, ServeCommand* serve) {
  CLI::App* cmd = app.add_subcommand("serve", "JSON HTTP API and search widget (see README)");
  ServerOptions& o = serve->options;
  cmd->add_option("--db", serve->db, "index folder")->required();
  cmd->add_option("--host", o.host, "address to listen on")->capture_default_str();
  cmd->add_option("--port", o.port, "port (0: any free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  // Connections no longer take threads; the flag stays for scripts that pass it.
  static size_t ignored_threads = 0;
  cmd->add_option("--threads", ignored_threads, "ignored (connections take no thread)")->group("");
  cmd->add_option("--searchers", o.searchers, "searches run at once (0: 2 per core)")
      ->capture_default_str();
  cmd->add_option("--cors-origin", o.cors_origins,
                  "an origin allowed to call the API from a browser, or \"*\" (repeatable, or "
                  "comma-separated)")
      ->delimiter(',');
  cmd->add_option("--time-limit-ms", o.time_limit_ms, "per-query time limit (0: none)")
      ->capture_default_str();
  cmd->add_option("--max-limit", o.max_limit, "largest limit= accepted")->capture_default_str();
  cmd->add_option("--max-connections", o.max_connections,
                  "open connections beyond which new ones are closed at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option(
         "--max-queued", o.max_queued_searches,
         "searches waiting for a searcher beyond which requests get 503 (0: 64 per searcher)")
      ->capture_default_str();
  cmd->add_option("--max-header-bytes", o.max_header_bytes, "largest request header block (431)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 20));
  cmd->add_option("--request-timeout-ms", o.request_timeout_ms,
                  "time from a request's first byte to the end of its header (408)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 3600000u));
  cmd->add_option("--idle-timeout-ms", o.idle_timeout_ms, "keep-alive connection idle time")
      ->capture_default_str()
      ->check(CLI::Range(1u, 3600000u));
  cmd->add_flag("!--no-check", o.searcher.check_index,
                "skip reading the whole index through to check it at start");
  AddSynonymsOption(cmd, &o.searcher.synonym_paths);
}

// search takes a QUERY or --batch FILE: exactly one of the two (an empty
// QUERY counts as given).
int RunSearchCommand(const CLI::App& cmd, SearchCommand* search) {
  if ((cmd.get_option("query")->count() > 0) == !search->batch_file.empty()) {
    std::cerr << "search: give a QUERY or --batch FILE (one of the two)\n";
    return 2;
  }
  search->color = isatty(STDOUT_FILENO) != 0;
  return RunSearch(*search, std::cout);
}

}  // namespace
}  // namespace clinsearch

int main(int argc, char** argv) {
  using namespace clinsearch;
  CLI::App app{"clinsearch: clinical passage search with synonym expansion"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("clinsearch ") + CLINSEARCH_VERSION_STRING);
  std::string log_level = "info";
  AddLogLevelOption(app, &log_level);
  IndexCommand index;
  SearchCommand search;
  EvalCommand eval;
  ServeCommand serve;
  AddIndexCommand(app, &index);
  AddSearchCommand(app, &search);
  AddEvalCommand(app, &eval);
  AddServeCommand(app, &serve);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are success; anything else is bad usage, with
    // the name meant when a word is unknown.
    if (e.get_exit_code() != 0) {
      if (std::string hint = UsageHint(app, argc, argv); !hint.empty()) {
        std::cerr << "error: " << hint << "\nRun with --help for usage.\n";
        return 2;
      }
    }
    return app.exit(e) == 0 ? 0 : 2;
  }
  SetUpLogging(log_level);
  if (app.got_subcommand("index")) return RunIndex(index, std::cout);
  if (app.got_subcommand("eval")) return RunEval(eval, std::cout);
  if (app.got_subcommand("serve")) return RunServe(serve);
  return RunSearchCommand(*app.get_subcommand("search"), &search);
}
