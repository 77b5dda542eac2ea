// SPDX-License-Identifier: GPL-2.0-or-later
// OrderedPipeline: a bounded, in-order parallel map. Items submitted on one
// thread are worked on by a pool of threads, each with state of its own, and
// the results are applied back on the submitting thread in submission order.
//
//   OrderedPipeline<std::string, size_t> pipeline(
//       /*workers=*/4, /*max_in_flight=*/32,
//       [] { return std::make_unique<Scratch>(); },          // per worker
//       [](std::unique_ptr<Scratch>& scratch, std::string& text) { return Count(*scratch, text); },
//       [](const std::string&, std::exception_ptr, PipelineStage) { return size_t{0}; },
//       [&](size_t&& count) { total += count; });            // in order
//   for (std::string& text : texts) pipeline.Submit(std::move(text));
//   pipeline.Finish();                                       // every result applied
//
// Memory stays flat whatever the number of items: at most max_in_flight
// items are queued or waiting to be applied, and Submit applies results
// (waiting for them if need be) to keep it so.
//
// Thread safety: Submit and Finish must be called from one thread, the one
// that applies the results. make_state, work and on_error run on the
// workers, several at a time; each worker has its own copy of them.
#ifndef CLINSEARCH_INDEXER_ORDERED_PIPELINE_H_
#define CLINSEARCH_INDEXER_ORDERED_PIPELINE_H_

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace clinsearch {

// Where a worker's exception came from: making its state (then every item
// it takes fails with that exception) or working on one item.
enum class PipelineStage { kStartingWorker, kWorking };

template <class In, class Out>
class OrderedPipeline {
 public:
  // Starts `workers` threads (at least one). Each calls make_state() once,
  // then for every item it takes work(state, item) -> Out. An exception
  // from either is handed to on_error(item, exception, stage) -> Out, which
  // must not throw: every item yields a result. apply(Out&&) receives the
  // results on the calling thread, in submission order, from within Submit
  // and Finish; an exception it throws leaves through them. At most
  // `max_in_flight` items (at least one) are queued or waiting to be
  // applied.
  template <class MakeState, class Work, class OnError>
  OrderedPipeline(size_t workers, size_t max_in_flight, MakeState make_state, Work work,
                  OnError on_error, std::function<void(Out&&)> apply)
      : max_in_flight_(std::max<size_t>(1, max_in_flight)), apply_(std::move(apply)) {
    try {
      for (size_t w = 0; w < std::max<size_t>(1, workers); ++w) {
        pool_.emplace_back([this, make_state, work, on_error]() mutable {
          RunWorker(make_state, work, on_error);
        });
      }
    } catch (...) {  // a thread that failed to start: stop the others
      CloseAndJoin();
      throw;
    }
  }

  // Lets the workers finish the items already queued (their results are
  // dropped) and joins them: on every way out of the caller's scope.
  ~OrderedPipeline() { CloseAndJoin(); }

  OrderedPipeline(const OrderedPipeline&) = delete;
  OrderedPipeline& operator=(const OrderedPipeline&) = delete;

  // Queues `item` once fewer than max_in_flight items are in flight
  // (applying results until then), then applies the results already there.
  void Submit(In item) {
    while (next_seq_ - next_apply_ >= max_in_flight_) ApplyReady(/*wait=*/true);
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back({next_seq_++, std::move(item)});
    }
    job_ready_.notify_one();
    ApplyReady(/*wait=*/false);
  }

  // Waits for the results of every item submitted and applies them.
  void Finish() {
    while (next_apply_ < next_seq_) ApplyReady(/*wait=*/true);
  }

 private:
  struct Job {
    size_t seq;
    In item;
  };

  template <class MakeState, class Work, class OnError>
  void RunWorker(MakeState& make_state, Work& work, OnError& on_error) {
    std::optional<std::invoke_result_t<MakeState&>> state;
    std::exception_ptr start_error;
    try {
      state.emplace(make_state());
    } catch (...) {
      start_error = std::current_exception();
    }
    while (std::optional<Job> job = NextJob()) {
      std::optional<Out> out;
      if (start_error) {
        out.emplace(on_error(job->item, start_error, PipelineStage::kStartingWorker));
      } else {
        try {
          out.emplace(work(*state, job->item));
        } catch (...) {
          out.emplace(on_error(job->item, std::current_exception(), PipelineStage::kWorking));
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        results_.emplace(job->seq, std::move(*out));
      }
      result_ready_.notify_one();
    }
  }

  // The next queued item; none once the pipeline is closed and the queue
  // is empty.
  std::optional<Job> NextJob() {
    std::unique_lock<std::mutex> lock(mu_);
    job_ready_.wait(lock, [&] { return closed_ || !jobs_.empty(); });
    if (jobs_.empty()) return std::nullopt;
    std::optional<Job> job(std::move(jobs_.front()));
    jobs_.pop_front();
    return job;
  }

  // Applies the results that are ready, in order; with `wait`, first waits
  // for the next one (which must be in flight).
  void ApplyReady(bool wait) {
    for (;;) {
      typename std::map<size_t, Out>::node_type ready;
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (wait) result_ready_.wait(lock, [&] { return results_.count(next_apply_) > 0; });
        auto it = results_.find(next_apply_);
        if (it == results_.end()) return;
        ready = results_.extract(it);
      }
      wait = false;
      ++next_apply_;
      apply_(std::move(ready.mapped()));
    }
  }

  void CloseAndJoin() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    job_ready_.notify_all();
    for (std::thread& t : pool_) t.join();
    pool_.clear();
  }

  const size_t max_in_flight_;
  const std::function<void(Out&&)> apply_;
  // The calling thread's counters: items submitted, and results applied.
  size_t next_seq_ = 0;
  size_t next_apply_ = 0;

  std::mutex mu_;  // guards jobs_, results_ and closed_
  std::condition_variable job_ready_, result_ready_;
  std::deque<Job> jobs_;
  std::map<size_t, Out> results_;  // by sequence number, until applied
  bool closed_ = false;            // no more items: workers end when the queue is empty

  std::vector<std::thread> pool_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_INDEXER_ORDERED_PIPELINE_H_
