// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/progress_reporter.h"

#include "indexer/readers.h"

namespace clinsearch {

ProgressReporter::ProgressReporter(const std::string& path, const Callback& callback,
                                   std::chrono::milliseconds interval)
    : callback_(callback), interval_(interval) {
  progress_.path = path;
  if (callback_) progress_.bytes_total = InputBytes(path);  // walks a folder: only when shown
  started_ = std::chrono::steady_clock::now();
  last_report_ = started_;
}

void ProgressReporter::DocumentRead() {
  ++progress_.documents;
  if (callback_) Report(/*done=*/false);
}

void ProgressReporter::Done() {
  if (callback_) Report(/*done=*/true);
}

void ProgressReporter::Report(bool done) {
  const auto now = std::chrono::steady_clock::now();
  if (!done && now - last_report_ < interval_) return;
  last_report_ = now;
  progress_.seconds = std::chrono::duration<double>(now - started_).count();
  progress_.done = done;
  if (done) progress_.bytes_done = progress_.bytes_total;
  callback_(progress_);
}

}  // namespace clinsearch
