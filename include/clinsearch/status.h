// SPDX-License-Identifier: GPL-2.0-or-later
// Status and Result<T>: how clinsearch reports expected failures.
//
// Library functions never throw across the public API. A function that can
// fail returns a Status (or a Result<T> holding either a value or a Status);
// the message is meant for people: it names the file, line or query part that
// was wrong.
//
//   clinsearch::Result<clinsearch::Searcher> s = clinsearch::Searcher::Open("idx");
//   if (!s.ok()) { std::cerr << s.status().message() << "\n"; return 1; }
//
// Thread safety: plain values; safe to copy between threads.
#ifndef CLINSEARCH_STATUS_H_
#define CLINSEARCH_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "clinsearch/export.h"

namespace clinsearch {

class [[nodiscard]] CLINSEARCH_EXPORT Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // bad query, bad option value
    kNotFound,         // missing file or index
    kCorruption,       // malformed input or damaged index
    kIoError,          // the file system said no
    kInternal,         // a bug or an unexpected library error
  };

  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // A human-readable message; empty when ok().
  const std::string& message() const { return message_; }
  // "invalid argument: empty query", or "OK".
  std::string ToString() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a T or a non-OK Status. Accessing value() of a failed Result is a
// programming error (asserted in debug builds).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_STATUS_H_
