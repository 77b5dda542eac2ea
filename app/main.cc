// clinsearch: index treatment documents and search their passages.
#include <CLI/CLI.hpp>
#include <iostream>
#include <unistd.h>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"clinsearch: clinical passage search with synonym expansion"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  clinsearch::IndexCommand index;
  auto* ix = app.add_subcommand("index", "index files and folders (.txt .md .html .jsonl)");
  ix->add_option("--db", index.db, "index folder (created if missing)")->required();
  ix->add_option("--synonyms", index.options.synonym_paths, "extra dictionary file or folder (repeatable)")
      ->allow_extra_args(false);
  ix->add_flag("!--no-bundled-synonyms", index.options.bundled_synonyms,
               "do not load the bundled clinical dictionary");
  ix->add_flag("--prune", index.prune, "delete indexed documents that are not in the given paths");
  ix->add_flag("--rebuild", index.options.rebuild,
               "build a fresh generation beside the live one and switch to it atomically when done");
  ix->add_option("--shards", index.options.shards,
                 "build a new index as N shards, documents assigned by a hash of their id (docs/scaling.md)")
      ->check(CLI::Range(1, 256));
  ix->add_flag("!--no-mining", index.options.mine_synonyms,
               "do not learn abbreviations and 'also called' names from the documents");
  ix->add_option("--progress", index.progress,
                 "auto (a bar on a terminal, else a log line every 10 s), bar, log or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "bar", "log", "off"}));
  ix->add_option("--threads", index.options.threads, "analysis threads (0: one per core)")
      ->capture_default_str();
  ix->add_option("--commit-every", index.options.commit_every,
                 "commit after this many passages (0: only at the end)")
      ->capture_default_str();
  ix->add_option("paths", index.paths, "files or folders to index")->required();

  clinsearch::SearchCommand search;
  auto* sx = app.add_subcommand("search", "rank passages for a query");
  sx->add_option("--db", search.db, "index folder")->required();
  sx->add_option("--limit", search.search.limit, "number of results (1-1000)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sx->add_flag("--json", search.json, "JSON Lines output");
  sx->add_option("--batch", search.batch_file, "file of queries, one per line: ID<TAB>QUERY or QUERY");
  sx->add_option("--synonyms", search.searcher.synonym_paths, "extra dictionary file or folder (repeatable)")
      ->allow_extra_args(false);
  sx->add_flag("!--no-spelling", search.search.spelling, "do not correct unknown words");
  sx->add_flag("!--no-expand", search.search.expand, "do not expand with the dictionary");
  auto* query_arg = sx->add_option("query", search.query, "the query");

  clinsearch::EvalCommand eval;
  auto* ex = app.add_subcommand("eval", "score a query set against TREC relevance judgments");
  ex->add_option("--db", eval.db, "index folder")->required();
  ex->add_option("--queries", eval.queries, "queries: ID<TAB>QUERY lines")->required();
  ex->add_option("--qrels", eval.qrels, "judgments: QID 0 DOC_ID GRADE lines")->required();
  ex->add_flag("--per-query", eval.per_query, "a line of scores per query");
  ex->add_option("--run", eval.run_file, "also write the run as JSON lines to this file");
  ex->add_option("--synonyms", eval.searcher.synonym_paths, "extra dictionary file or folder (repeatable)")
      ->allow_extra_args(false);
  ex->add_flag("!--no-spelling", eval.search.spelling, "do not correct unknown words");
  ex->add_flag("!--no-expand", eval.search.expand, "do not expand with the dictionary");
  // Ranking knobs, for measuring (defaults in include/clinsearch/searcher.h).
  for (auto* cmd : {sx, ex}) {
    auto& o = cmd == sx ? search.searcher : eval.searcher;
    cmd->add_flag("!--no-check", o.check_index,
                  "skip reading the whole index through to check it at open (faster on a large index)");
    cmd->add_option("--bm25-k1", o.bm25_k1, "BM25 k1")->capture_default_str()->group("Ranking");
    cmd->add_option("--bm25-b", o.bm25_b, "BM25 b")->capture_default_str()->group("Ranking");
    cmd->add_option("--title-boost", o.title_boost, "weight of title matches (0: off)")
        ->capture_default_str()->group("Ranking");
    cmd->add_option("--heading-boost", o.heading_boost, "weight of question-type heading matches (0: off)")
        ->capture_default_str()->group("Ranking");
    cmd->add_option("--feedback-terms", o.feedback_terms, "pseudo-relevance feedback terms (0: off)")
        ->capture_default_str()->group("Ranking");
    cmd->add_option("--feedback-weight", o.feedback_weight, "weight of feedback terms")
        ->capture_default_str()->group("Ranking");
    cmd->add_flag("!--keep-question-phrasing", o.drop_question_phrasing,
                  "keep conversational words of long questions")->group("Ranking");
  }

  clinsearch::ServeCommand serve;
  auto* vx = app.add_subcommand("serve", "JSON HTTP API and search widget (see README)");
  vx->add_option("--db", serve.db, "index folder")->required();
  vx->add_option("--host", serve.options.host, "address to listen on")->capture_default_str();
  vx->add_option("--port", serve.options.port, "port (0: any free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  vx->add_option("--threads", serve.options.threads, "connection threads (0: 8 per core, at least 64)")
      ->capture_default_str();
  vx->add_option("--searchers", serve.options.searchers, "searches run at once (0: 2 per core)")
      ->capture_default_str();
  vx->add_option("--cors-origin", serve.options.cors_origin,
                 "send Access-Control-Allow-Origin with this value (\"*\" or an origin)");
  vx->add_option("--time-limit-ms", serve.options.time_limit_ms, "per-query time limit (0: none)")
      ->capture_default_str();
  vx->add_option("--max-limit", serve.options.max_limit, "largest limit= accepted")->capture_default_str();
  vx->add_flag("!--no-check", serve.options.searcher.check_index,
               "skip reading the whole index through to check it at start");
  vx->add_option("--synonyms", serve.options.searcher.synonym_paths,
                 "extra dictionary file or folder (repeatable)")
      ->allow_extra_args(false);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is success; anything else bad usage
  }
  clinsearch::SetUpLogging(log_level);
  if (ix->parsed()) return clinsearch::RunIndex(index, std::cout);
  if (ex->parsed()) return clinsearch::RunEval(eval, std::cout);
  if (vx->parsed()) return clinsearch::RunServe(serve);
  if ((query_arg->count() > 0) == !search.batch_file.empty()) {
    std::cerr << "search: give a QUERY or --batch FILE (one of the two)\n";
    return 2;
  }
  search.color = isatty(STDOUT_FILENO) != 0;
  return clinsearch::RunSearch(search, std::cout);
}
