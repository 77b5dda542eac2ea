// SPDX-License-Identifier: GPL-2.0-or-later
// SearcherPool: a fixed set of Searchers shared by many threads, each
// Searcher used by one thread at a time (a Searcher is not thread-safe).
//
//   auto pool = SearcherPool::Open("index", 4, SearcherOptions{}, std::chrono::seconds(1));
//   if (!pool.ok()) return pool.status();
//   (*pool)->With([&](Searcher& searcher) { response = searcher.Search(query, options); });
//
// Contract:
// - With() checks a searcher out, runs `use` on it and returns it to the
//   pool on every way out, an exception from `use` included. While every
//   searcher is checked out, the caller blocks (no time limit). The pool's
//   size therefore bounds the searches running at once, and so memory and
//   CPU contention, however many threads call in.
// - First come, first served: a searcher given back goes straight to the
//   caller that has waited longest, never to one that arrives later, so no
//   caller starves behind luckier ones (the tail latency under load).
// - Reopen interval: a searcher that has not looked for new commits for
//   `reopen_interval` calls Searcher::Reopen before `use` runs (in the
//   caller's thread, outside the pool's lock), so a commit or a rebuilt
//   generation is answered from within about that interval, without a
//   restart. A failed reopen is logged as a warning; the searcher then
//   keeps answering from what it had.
//
// Thread safety: every method may be called from any thread. The pool must
// outlive the calls to With().
#ifndef CLINSEARCH_SERVER_SEARCHER_POOL_H_
#define CLINSEARCH_SERVER_SEARCHER_POOL_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clinsearch/searcher.h"
#include "clinsearch/status.h"

namespace clinsearch {

class SearcherPool {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens `count` searchers of the index at `db_path` (0: two per core).
  // Only the first checks the index (options.check_index); the others open
  // the same files and need not read them through again. Fails with the
  // first searcher's error (see Searcher::Open).
  static Result<std::unique_ptr<SearcherPool>> Open(const std::string& db_path, size_t count,
                                                    const SearcherOptions& options,
                                                    std::chrono::milliseconds reopen_interval);

  // A pool of `searchers` (at least one), each counted as having just
  // looked for new commits.
  SearcherPool(std::vector<Searcher> searchers, std::chrono::milliseconds reopen_interval);
  SearcherPool(const SearcherPool&) = delete;
  SearcherPool& operator=(const SearcherPool&) = delete;
  ~SearcherPool();

  // Runs `use` with a searcher of the pool, waiting first come, first
  // served while all are in use (see the contract above).
  void With(const std::function<void(Searcher&)>& use);

  // The number of searchers, and of callers of With() waiting for one now.
  size_t size() const { return size_; }
  size_t waiting() const;

 private:
  struct Pooled {
    Searcher searcher;
    Clock::time_point checked;  // when it last looked for new commits
  };
  struct Waiter;

  Pooled Acquire();
  void Release(Pooled pooled);
  void ReopenIfDue(Pooled& pooled) const;

  const size_t size_;
  const std::chrono::milliseconds reopen_interval_;
  mutable std::mutex mu_;
  std::vector<Pooled> idle_;     // guarded by mu_
  std::deque<Waiter*> waiting_;  // guarded by mu_; longest waiting first
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SERVER_SEARCHER_POOL_H_
