// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/commands.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <thread>

#include "base/log.h"
#include "clinsearch/evaluation.h"
#include "clinsearch/format.h"
#include "storage/index_folder.h"

namespace clinsearch {

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::get("clinsearch");
  if (!logger) {
    logger = spdlog::stderr_color_mt("clinsearch");
    logger->set_pattern("%^%l%$: %v");
  }
  logger->set_level(spdlog::level::from_str(level));
}

namespace {

// A step of a command that failed: logged (messages name files, never
// query text), and the command exits with 1.
int Fail(const Status& status) {
  Log()->error("{}", status.message());
  return 1;
}

std::string Clock(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// Progress of AddPath: a bar redrawn on stderr, or an info log line every
// `log_every` seconds. Paths only, never document text.
class ProgressDisplay {
 public:
  ProgressDisplay(bool bar, double log_every) : bar_(bar), log_every_(log_every) {}

  void operator()(const IndexProgress& p) {
    const double fraction =
        p.bytes_total > 0 ? std::min(1.0, static_cast<double>(p.bytes_done) / p.bytes_total) : 0.0;
    const double rate = p.seconds > 0 ? p.documents / p.seconds : 0.0;
    const std::string eta =
        fraction > 0.01 && !p.done ? ", ETA " + Clock(p.seconds * (1 - fraction) / fraction) : "";
    if (bar_) {
      constexpr int kWidth = 24;
      const int filled = static_cast<int>(fraction * kWidth);
      std::fprintf(stderr, "\r[%s%s] %3d%%  %zu documents  %.0f documents/s%s   ",
                   std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                   static_cast<int>(fraction * 100), p.documents, rate, eta.c_str());
      if (p.done) std::fprintf(stderr, "\n");
      std::fflush(stderr);
      return;
    }
    if (!p.done && p.seconds < next_log_) return;
    next_log_ = p.seconds + log_every_;
    if (p.done) {
      Log()->info("{}: {} documents read in {:.1f} s ({:.0f} documents/s)", p.path, p.documents,
                  p.seconds, rate);
    } else {
      Log()->info("{}: {}% read, {} documents, {:.0f} documents/s{}", p.path,
                  static_cast<int>(fraction * 100), p.documents, rate, eta);
    }
  }

 private:
  bool bar_;
  double log_every_;
  double next_log_ = 0;
};

}  // namespace

namespace {

// The index folder of the run under way, for OnIndexTerminate.
std::string g_index_dir;  // NOLINT: read by a terminate handler only

// Xapian 1.4 can throw from a destructor (the value updater it runs while a
// commit merges value changes) when a write fails there, for instance on a
// full disk; that ends in std::terminate and no catch can run. The last
// resort: say so, remove the rebuild's unfinished generation (the live one
// is untouched: its revision was never replaced), and exit 1, not abort.
[[noreturn]] void OnIndexTerminate() {
  std::string what = "unknown error";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const Xapian::Error& x) {
      what = x.get_description();
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
  }
  IndexFolder(g_index_dir).RemoveUnfinishedRebuild();
  std::fprintf(stderr,
               "error: %s: writing the index failed (%s); nothing of this run was committed "
               "since its last commit, a rebuild's unfinished generation was removed, and the "
               "live generation is unchanged\n",
               g_index_dir.c_str(), what.c_str());
  std::_Exit(1);
}

void PrintIds(const char* what, const std::vector<std::string>& ids, std::ostream& out) {
  for (const std::string& id : ids) out << what << "\t" << id << "\n";
}

// A dry run's findings: a count line, then one "add|replace|delete<TAB>ID"
// line per document.
void PrintDryRun(const IndexWriter& writer, std::ostream& out) {
  const IndexStats& st = writer.stats();
  const IndexChanges& changes = writer.changes();
  out << "dry run: would add " << changes.added.size() << ", replace " << changes.replaced.size()
      << " and delete " << changes.deleted.size() << " documents (" << st.unchanged
      << " unchanged); nothing was written\n";
  PrintIds("add", changes.added, out);
  PrintIds("replace", changes.replaced, out);
  PrintIds("delete", changes.deleted, out);
}

void PrintSummary(const IndexStats& st, double seconds, std::ostream& out) {
  out << "indexed " << st.documents << " documents (" << st.added << " added, " << st.updated
      << " updated, " << st.unchanged << " unchanged, " << st.deleted << " deleted) as "
      << st.passages << " passages in " << seconds << " s";
  if (st.skipped + st.problems > 0) {
    out << "; " << st.skipped << " documents skipped, " << st.problems
        << " problems reported above";
  }
  out << "\n";
}

IndexOptions IndexRunOptions(const IndexCommand& command) {
  IndexOptions options = command.options;
  const bool can_show = Log()->should_log(spdlog::level::info);
  const bool bar = command.progress == "bar" ||
                   (command.progress == "auto" && isatty(fileno(stderr)) && can_show);
  if (command.progress != "off" && (bar || can_show)) {
    options.progress = ProgressDisplay(bar, 10.0);
  }
  // A prune must not go live half-done: the whole run is one transaction,
  // committed only if the prune is allowed.
  if (command.prune) options.all_or_nothing = true;
  return options;
}

// Reads every path (the rest goes on after a failure), then prunes; 0, or
// 1 when something failed. Sets *refused when the run must not commit.
int ReadAndPrune(const IndexCommand& command, IndexWriter& writer, bool* refused) {
  int rc = 0;
  for (const std::string& path : command.paths) {
    if (Status s = writer.AddPath(path); !s.ok()) rc = Fail(s);
  }
  // A rebuild prunes by itself (what its input lacks is not in it); its
  // guards run at Commit.
  if (command.prune && !command.options.rebuild) {
    if (Status p = writer.Prune(); !p.ok()) {
      *refused = true;
      rc = Fail(command.options.dry_run
                    ? p
                    : Status::InvalidArgument(p.message() + "; nothing was written"));
    }
  }
  return rc;
}

}  // namespace

int RunIndex(const IndexCommand& command, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  if (command.db.empty()) {
    Log()->error("index: --db is empty; give the index folder");
    return 2;
  }
  auto writer = IndexWriter::Open(command.db, IndexRunOptions(command));
  if (!writer.ok()) return Fail(writer.status());
  if (!command.options.dry_run) {
    g_index_dir = command.db;
    std::set_terminate(OnIndexTerminate);
  }
  bool refused = false;
  int rc = ReadAndPrune(command, *writer, &refused);
  if (refused && !command.options.dry_run) return rc;  // the writer discards the run
  const auto committing = std::chrono::steady_clock::now();
  const Status committed = writer->Commit();
  if (!committed.ok()) rc = Fail(committed);
  if (command.options.dry_run) {
    PrintDryRun(*writer, out);
    return rc;
  }
  if (!committed.ok()) return rc;  // no summary of what did not happen
  Log()->info("read and analysed in {:.2f} s, committed in {:.2f} s",
              std::chrono::duration<double>(committing - start).count(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - committing).count());
  PrintSummary(writer->stats(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
               out);
  return rc;
}

namespace {

int SearchOne(Searcher& searcher, const SearchCommand& c, const std::string& id,
              const std::string& query, std::ostream& out) {
  auto response = searcher.Search(query, c.search);
  if (!response.ok()) {
    if (c.json)
      out << FormatJsonError(query, response.status().message(), id) << "\n";
    else
      out << "No search: " << response.status().message() << "\n";
    return 1;
  }
  if (c.json)
    out << FormatJson(*response, id) << "\n";
  else
    out << FormatText(*response, c.color);
  return 0;
}

}  // namespace

int RunSearch(const SearchCommand& c, std::ostream& out) {
  auto searcher = Searcher::Open(c.db, c.searcher);
  if (!searcher.ok()) return Fail(searcher.status());
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
  size_t line_no = 0, failed = 0;
  for (QueryLine q; ReadQueryLine(*in, &line_no, &q);) {
    // A bare QUERY line is named by its line number.
    const std::string id = q.has_id ? q.id : std::to_string(line_no);
    if (SearchOne(*searcher, c, id, q.query, out) != 0) {
      ++failed;
      Log()->warn("{}:{}: query not searchable", c.batch_file, line_no);
    }
  }
  if (failed > 0) Log()->info("{} of the batch's queries had nothing searchable", failed);
  return 0;
}

namespace {

// The run as JSON lines, one per query with its document ranking (the
// input of ../shared/eval/score_qrels.py).
void WriteRun(const EvalReport& report, const std::string& path) {
  std::ofstream run(path);
  for (const QueryScore& q : report.queries) {
    SearchResponse r;
    r.query = q.query;
    for (size_t i = 0; i < q.ranking.size(); ++i) {
      Hit h;
      h.rank = static_cast<int>(i + 1);
      h.doc_id = q.ranking[i];
      r.hits.push_back(std::move(h));
    }
    run << FormatJson(r, q.id) << "\n";
  }
}

void PrintQueryScores(const EvalReport& report, std::ostream& out) {
  out << "id\tndcg@10\trr@10\tp@5\trecall@100\tfirst\tquery\n";
  char line[256];
  for (const QueryScore& q : report.queries) {
    snprintf(line, sizeof line, "%s\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t", q.id.c_str(), q.ndcg10, q.rr10,
             q.p5, q.recall100, q.first_grade);
    out << line << (q.scored ? "" : "(unscored) ") << q.query.substr(0, 100) << "\n";
  }
}

}  // namespace

int RunEval(const EvalCommand& c, std::ostream& out) {
  auto searcher = Searcher::Open(c.db, c.searcher);
  if (!searcher.ok()) return Fail(searcher.status());
  auto queries = ReadQueries(c.queries);
  auto qrels = ReadQrels(c.qrels);
  for (const Status* s : {&queries.status(), &qrels.status()}) {
    if (!s->ok()) return Fail(*s);
  }
  auto report = Evaluate(*searcher, *queries, *qrels, c.search);
  if (!report.ok()) return Fail(report.status());
  if (!c.run_file.empty()) WriteRun(*report, c.run_file);
  if (c.per_query) PrintQueryScores(*report, out);
  char line[256];
  snprintf(line, sizeof line,
           "queries=%zu ndcg@10=%.3f mrr@10=%.3f p@5=%.3f recall@100=%.3f avgscore@1=%.3f "
           "(judged=%zu)\n",
           report->scored_queries, report->ndcg10, report->mrr10, report->p5, report->recall100,
           report->avg_score, report->judged_queries);
  out << line;
  return 0;
}

int RunServe(const ServeCommand& command) {
  auto server = Server::Create(command.db, command.options);
  if (!server.ok()) return Fail(server.status());
  if (Status s = server->Bind(); !s.ok()) return Fail(s);
  // SIGINT and SIGTERM stop the server from a thread of their own (the
  // handlers of a signal may call almost nothing).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    if (signal != 0) {
      Log()->info("stopping (signal {})", signal);
      server->Stop();
    }
  });
  const Status s = server->Run();
  if (!s.ok()) Log()->error("{}", s.message());
  pthread_kill(waiter.native_handle(), SIGTERM);  // a no-op if it already woke
  waiter.join();
  return s.ok() ? 0 : 1;
}

}  // namespace clinsearch
