// SPDX-License-Identifier: GPL-2.0-or-later
#include "server/searcher_pool.h"

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <thread>
#include <utility>

#include "base/log.h"

namespace clinsearch {

// A caller of Acquire() that found no idle searcher. It lives on that
// caller's stack until the searcher has been handed to it.
struct SearcherPool::Waiter {
  std::condition_variable handed_over;
  std::optional<Pooled> pooled;
};

Result<std::unique_ptr<SearcherPool>> SearcherPool::Open(
    const std::string& db_path, size_t count, const SearcherOptions& options,
    std::chrono::milliseconds reopen_interval) {
  if (count == 0) count = 2 * std::max(1u, std::thread::hardware_concurrency());
  SearcherOptions searcher_options = options;
  std::vector<Searcher> searchers;
  searchers.reserve(count);
  for (size_t n = 0; n < count; ++n) {
    auto opened = Searcher::Open(db_path, searcher_options);
    if (!opened.ok()) return opened.status();
    searchers.push_back(std::move(*opened));
    searcher_options.check_index = false;
  }
  return std::make_unique<SearcherPool>(std::move(searchers), reopen_interval);
}

SearcherPool::SearcherPool(std::vector<Searcher> searchers,
                           std::chrono::milliseconds reopen_interval)
    : size_(searchers.size()), reopen_interval_(reopen_interval) {
  const Clock::time_point now = Clock::now();
  idle_.reserve(searchers.size());
  for (Searcher& s : searchers) idle_.push_back({std::move(s), now});
}

SearcherPool::~SearcherPool() = default;

size_t SearcherPool::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_.size();
}

SearcherPool::Pooled SearcherPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  // An idle searcher is taken only when nobody waits: otherwise a newcomer
  // could overtake a waiter between its wake-up and its turn.
  if (waiting_.empty() && !idle_.empty()) {
    Pooled p = std::move(idle_.back());
    idle_.pop_back();
    return p;
  }
  Waiter me;
  waiting_.push_back(&me);
  me.handed_over.wait(lock, [&] { return me.pooled.has_value(); });
  return std::move(*me.pooled);
}

void SearcherPool::Release(Pooled pooled) {
  std::lock_guard<std::mutex> lock(mu_);
  if (waiting_.empty()) {
    idle_.push_back(std::move(pooled));
    return;
  }
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->pooled = std::move(pooled);
  next->handed_over.notify_one();  // under the lock: `next` lives until it wakes
}

void SearcherPool::ReopenIfDue(Pooled& pooled) const {
  const Clock::time_point now = Clock::now();
  if (now - pooled.checked < reopen_interval_) return;
  if (Status s = pooled.searcher.Reopen(); !s.ok()) Log()->warn("{}", s.message());
  pooled.checked = now;
}

void SearcherPool::With(const std::function<void(Searcher&)>& use) {
  Pooled pooled = Acquire();
  struct Returner {  // back to the pool on every way out, exceptions too
    SearcherPool* pool;
    Pooled* pooled;
    ~Returner() { pool->Release(std::move(*pooled)); }
  } returner{this, &pooled};
  ReopenIfDue(pooled);
  use(pooled.searcher);
}

}  // namespace clinsearch
