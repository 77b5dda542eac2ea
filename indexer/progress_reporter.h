// SPDX-License-Identifier: GPL-2.0-or-later
// ProgressReporter: tells IndexOptions::progress how far AddPath has got
// with one path, about every interval while the path is read and once when
// it is done.
//
//   ProgressReporter progress(path, options.progress, interval);
//   ReadPath(path, [&](Document&& doc) { progress.DocumentRead(); ... },
//            problem, progress.bytes_done());
//   progress.Done();
//
// Without a callback it only counts: the input is not even sized.
// Thread safety: none; the thread that reads the path calls it.
#ifndef CLINSEARCH_INDEXER_PROGRESS_REPORTER_H_
#define CLINSEARCH_INDEXER_PROGRESS_REPORTER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "clinsearch/index_writer.h"

namespace clinsearch {

class ProgressReporter {
 public:
  using Callback = std::function<void(const IndexProgress&)>;

  // `callback` (possibly empty) is called, not copied: it must outlive
  // the reporter.
  ProgressReporter(const std::string& path, const Callback& callback,
                   std::chrono::milliseconds interval);

  // Where the reader counts the bytes it has read (ReadPath's bytes_read).
  uint64_t* bytes_done() { return &progress_.bytes_done; }

  // Counts a document read; reports when `interval` has passed since the
  // last report.
  void DocumentRead();

  // The last report: the path is done, all its bytes read.
  void Done();

 private:
  void Report(bool done);

  const Callback& callback_;
  const std::chrono::milliseconds interval_;
  IndexProgress progress_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_report_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_INDEXER_PROGRESS_REPORTER_H_
