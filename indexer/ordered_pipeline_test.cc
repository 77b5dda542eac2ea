// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/ordered_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace clinsearch {
namespace {

using IntPipeline = OrderedPipeline<int, int>;

struct NoState {};

auto MakeNoState() { return std::make_unique<NoState>(); }

// A result that says where it came from: -1000 - item for a failed start,
// -item for a failed work call.
int Failed(const int& item, std::exception_ptr, PipelineStage stage) {
  return stage == PipelineStage::kStartingWorker ? -1000 - item : -item;
}

void SleepMicros(int us) { std::this_thread::sleep_for(std::chrono::microseconds(us)); }

TEST(OrderedPipelineTest, AppliesInSubmissionOrderWhateverTheWorkTakes) {
  std::vector<int> applied;
  {
    IntPipeline pipeline(
        4, 8, MakeNoState,
        [](std::unique_ptr<NoState>&, int& item) {
          SleepMicros((item * 37) % 11 * 100);  // later items often finish first
          return item * item;
        },
        Failed, [&](int&& out) { applied.push_back(out); });
    for (int i = 0; i < 200; ++i) pipeline.Submit(i);
    pipeline.Finish();
  }
  ASSERT_EQ(applied.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(applied[i], i * i) << i;
}

TEST(OrderedPipelineTest, KeepsAtMostMaxInFlightItems) {
  constexpr size_t kMaxInFlight = 5;
  std::atomic<size_t> applied{0};
  size_t submitted = 0, most_in_flight = 0;
  IntPipeline pipeline(
      3, kMaxInFlight, MakeNoState,
      [&](std::unique_ptr<NoState>&, int& item) {
        // Item k is queued only once item k - kMaxInFlight is applied.
        EXPECT_LT(static_cast<size_t>(item), applied.load() + kMaxInFlight) << item;
        SleepMicros(500);
        return item;
      },
      Failed, [&](int&&) { ++applied; });
  for (int i = 0; i < 60; ++i) {
    ++submitted;
    pipeline.Submit(i);
    const size_t in_flight = submitted - applied.load();
    EXPECT_LE(in_flight, kMaxInFlight);
    most_in_flight = std::max(most_in_flight, in_flight);
  }
  pipeline.Finish();
  EXPECT_EQ(applied.load(), 60u);
  EXPECT_EQ(most_in_flight, kMaxInFlight);  // slow workers: the bound is what held it
}

TEST(OrderedPipelineTest, ZeroItems) {
  int calls = 0;
  {
    IntPipeline pipeline(
        2, 4, MakeNoState, [](std::unique_ptr<NoState>&, int& item) { return item; }, Failed,
        [&](int&&) { ++calls; });
    pipeline.Finish();
  }
  {
    IntPipeline unfinished(
        2, 4, MakeNoState, [](std::unique_ptr<NoState>&, int& item) { return item; }, Failed,
        [&](int&&) { ++calls; });
  }
  EXPECT_EQ(calls, 0);
}

TEST(OrderedPipelineTest, ZeroWorkersAndZeroBoundStillRun) {
  std::vector<int> applied;
  IntPipeline pipeline(
      0, 0, MakeNoState, [](std::unique_ptr<NoState>&, int& item) { return item + 1; }, Failed,
      [&](int&& out) { applied.push_back(out); });
  for (int i = 0; i < 5; ++i) pipeline.Submit(i);
  pipeline.Finish();
  EXPECT_EQ(applied, (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(OrderedPipelineTest, ExceptionsInTheWorkBecomeResults) {
  std::vector<int> applied;
  IntPipeline pipeline(
      3, 6, MakeNoState,
      [](std::unique_ptr<NoState>&, int& item) -> int {
        if (item % 3 == 1) throw std::runtime_error("odd one");
        if (item % 3 == 2) throw item;  // not a std::exception
        return item;
      },
      [](const int& item, std::exception_ptr error, PipelineStage stage) {
        EXPECT_EQ(stage, PipelineStage::kWorking);
        try {
          std::rethrow_exception(error);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "odd one");
        } catch (int thrown) {
          EXPECT_EQ(thrown, item);
        }
        return -item;
      },
      [&](int&& out) { applied.push_back(out); });
  for (int i = 0; i < 9; ++i) pipeline.Submit(i);
  pipeline.Finish();
  EXPECT_EQ(applied, (std::vector<int>{0, -1, -2, 3, -4, -5, 6, -7, -8}));
}

TEST(OrderedPipelineTest, AWorkerWhoseStateFailsReportsEveryItemItTakes) {
  std::vector<int> applied;
  {
    IntPipeline pipeline(
        2, 4, []() -> std::unique_ptr<NoState> { throw std::runtime_error("no state"); },
        [](std::unique_ptr<NoState>&, int& item) { return item; }, Failed,
        [&](int&& out) { applied.push_back(out); });
    for (int i = 0; i < 6; ++i) pipeline.Submit(i);
    pipeline.Finish();
  }
  EXPECT_EQ(applied, (std::vector<int>{-1000, -1001, -1002, -1003, -1004, -1005}));

  // One broken worker of three: every item still yields a result, in order.
  std::atomic<int> started{0};
  std::vector<int> mixed;
  IntPipeline pipeline(
      3, 8,
      [&] {
        if (started++ == 0) throw std::runtime_error("first worker only");
        return std::make_unique<NoState>();
      },
      [](std::unique_ptr<NoState>&, int& item) {
        SleepMicros(200);
        return item;
      },
      Failed, [&](int&& out) { mixed.push_back(out); });
  for (int i = 0; i < 30; ++i) pipeline.Submit(i);
  pipeline.Finish();
  ASSERT_EQ(mixed.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(mixed[i] == i || mixed[i] == -1000 - i) << mixed[i];
}

TEST(OrderedPipelineTest, EachWorkerHasItsOwnState) {
  struct Counter {
    std::thread::id owner = std::this_thread::get_id();
    int items = 0;
  };
  std::atomic<int> states{0}, total{0};
  {
    IntPipeline pipeline(
        4, 16,
        [&] {
          ++states;
          return std::make_unique<Counter>();
        },
        [&](std::unique_ptr<Counter>& counter, int& item) {
          EXPECT_EQ(counter->owner, std::this_thread::get_id());
          ++counter->items;
          ++total;
          return item;
        },
        Failed, [](int&&) {});
    for (int i = 0; i < 100; ++i) pipeline.Submit(i);
    pipeline.Finish();
  }
  EXPECT_EQ(states.load(), 4);
  EXPECT_EQ(total.load(), 100);
}

TEST(OrderedPipelineTest, DestructorJoinsAfterTheQueuedItemsAreDone) {
  std::atomic<int> worked{0};
  int applied = 0;
  {
    IntPipeline pipeline(
        2, 32, MakeNoState,
        [&](std::unique_ptr<NoState>&, int& item) {
          SleepMicros(1000);
          ++worked;
          return item;
        },
        Failed, [&](int&&) { ++applied; });
    for (int i = 0; i < 20; ++i) pipeline.Submit(i);
    // No Finish: leaving the scope (as an exception would) must join.
  }
  EXPECT_EQ(worked.load(), 20);  // the workers ran to the end before the join returned
  EXPECT_LT(applied, 20);
}

TEST(OrderedPipelineTest, AnExceptionFromApplyLeavesThroughSubmitOrFinish) {
  std::atomic<int> worked{0};
  bool thrown = false;
  try {
    IntPipeline pipeline(
        3, 4, MakeNoState,
        [&](std::unique_ptr<NoState>&, int& item) {
          ++worked;
          return item;
        },
        Failed,
        [](int&& out) {
          if (out == 7) throw std::runtime_error("apply failed");
        });
    for (int i = 0; i < 50; ++i) pipeline.Submit(i);
    pipeline.Finish();
  } catch (const std::runtime_error& e) {
    thrown = true;
    EXPECT_STREQ(e.what(), "apply failed");
  }
  EXPECT_TRUE(thrown);
  // Item 11 waits for item 7 to be applied: no later item was queued.
  EXPECT_LE(worked.load(), 11);
}

}  // namespace
}  // namespace clinsearch
