// SPDX-License-Identifier: GPL-2.0-or-later
// The searcher pool without HTTP: every caller is served, waiting callers
// are served in arrival order, a searcher always comes back, and one that
// has not looked for commits for the reopen interval does before it is used.
#include "server/searcher_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "clinsearch/index_writer.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"

namespace clinsearch {
namespace {

using std::chrono::milliseconds;
using testing_support::TempDir;

class SearcherPoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing_support::QuietLogs();
    dir_ = new TempDir();
    auto writer = IndexWriter::Open(db());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE(writer->AddPath(CLINSEARCH_SOURCE_DIR "/corpus").ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string db() { return *dir_ / "index"; }

  static std::unique_ptr<SearcherPool> OpenPool(size_t count, milliseconds reopen_interval) {
    SearcherOptions options;
    options.check_index = false;
    auto pool = SearcherPool::Open(db(), count, options, reopen_interval);
    EXPECT_TRUE(pool.ok()) << pool.status().ToString();
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  // Adds one document with a word of its own and commits it.
  static void AddDocument(IndexWriter& writer, const std::string& id, const std::string& text) {
    Document d;
    d.id = id;
    d.title = id;
    d.sections.push_back({"About", text});
    ASSERT_TRUE(writer.AddDocument(d).ok());
    ASSERT_TRUE(writer.Commit().ok());
  }

  static size_t Passages(SearcherPool& pool) {
    size_t n = 0;
    pool.With([&](Searcher& searcher) { n = searcher.passage_count(); });
    return n;
  }

  static TempDir* dir_;
};
TempDir* SearcherPoolTest::dir_ = nullptr;

TEST_F(SearcherPoolTest, OpenFailsWithTheSearchersError) {
  auto pool = SearcherPool::Open(*dir_ / "no-such-index", 2, {}, milliseconds(0));
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), Status::Code::kNotFound) << pool.status().ToString();
}

TEST_F(SearcherPoolTest, ZeroMeansTwoPerCore) {
  auto pool = OpenPool(0, milliseconds(1000));
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->size(), 2 * std::max(1u, std::thread::hardware_concurrency()));
}

TEST_F(SearcherPoolTest, ManyThreadsShareFewerSearchersAndAllAreServed) {
  auto pool = OpenPool(2, milliseconds(1000));
  ASSERT_NE(pool, nullptr);
  std::atomic<int> served{0}, in_use{0}, most_in_use{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        pool->With([&](Searcher& searcher) {
          const int now = ++in_use;
          int most = most_in_use.load();
          while (now > most && !most_in_use.compare_exchange_weak(most, now)) {
          }
          if (!searcher.Search("freeze tumor").ok()) ++failed;
          --in_use;
          ++served;
        });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(served, 80);
  EXPECT_EQ(failed, 0);
  EXPECT_LE(most_in_use, 2) << "a searcher was used by two threads at once";
  EXPECT_EQ(pool->waiting(), 0u);
}

TEST_F(SearcherPoolTest, WaitingCallersAreServedInArrivalOrder) {
  auto pool = OpenPool(1, milliseconds(1000));
  ASSERT_NE(pool, nullptr);
  std::promise<void> release;
  std::promise<void> holding;
  std::thread holder([&] {
    pool->With([&](Searcher&) {
      holding.set_value();
      release.get_future().wait();
    });
  });
  holding.get_future().wait();

  std::mutex order_mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int w = 0; w < 4; ++w) {
    waiters.emplace_back([&, w] {
      pool->With([&](Searcher&) {
        std::lock_guard<std::mutex> lock(order_mu);
        order.push_back(w);
      });
    });
    // The next caller arrives only once this one is queued.
    while (pool->waiting() < static_cast<size_t>(w + 1)) std::this_thread::yield();
  }
  release.set_value();
  holder.join();
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(SearcherPoolTest, AnExceptionGivesTheSearcherBack) {
  auto pool = OpenPool(1, milliseconds(1000));
  ASSERT_NE(pool, nullptr);
  EXPECT_THROW(pool->With([](Searcher&) { throw std::runtime_error("boom"); }), std::runtime_error);
  // With one searcher, this would wait for ever had it not come back.
  auto answered = std::async(std::launch::async, [&] { return Passages(*pool); });
  ASSERT_EQ(answered.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_GT(answered.get(), 0u);
}

TEST_F(SearcherPoolTest, ASearcherLooksForCommitsOnceTheIntervalHasPassed) {
  auto writer = IndexWriter::Open(db());
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  auto every_time = OpenPool(1, milliseconds(0));
  auto hourly = OpenPool(1, std::chrono::hours(1));
  auto two_seconds = OpenPool(1, milliseconds(2000));
  const auto opened = SearcherPool::Clock::now();
  ASSERT_TRUE(every_time && hourly && two_seconds);
  const size_t before = Passages(*hourly);
  ASSERT_EQ(Passages(*every_time), before);

  AddDocument(*writer, "pool/wombat", "A wombat digs burrows.");
  EXPECT_EQ(Passages(*every_time), before + 1);
  EXPECT_EQ(Passages(*hourly), before) << "reopened before its interval";
  if (SearcherPool::Clock::now() - opened < milliseconds(1900)) {  // else too slow to tell
    EXPECT_EQ(Passages(*two_seconds), before) << "reopened before its interval";
  }
  std::this_thread::sleep_for(milliseconds(2100));
  EXPECT_EQ(Passages(*two_seconds), before + 1) << "not reopened after its interval";
  EXPECT_EQ(Passages(*hourly), before);
}

}  // namespace
}  // namespace clinsearch
