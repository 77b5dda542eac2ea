// SPDX-License-Identifier: GPL-2.0-or-later
// JsonWriter: compact JSON written straight into one string, for the
// responses the server sends on every request (a DOM first, as
// nlohmann::json builds, cost more than the search's own highlighting).
//
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("query"); w.String(q);
//   w.Key("results"); w.BeginArray(); ... w.EndArray();
//   w.EndObject();
//   std::string json = w.Take();
//
// Output is what nlohmann's dump() gives for the same values (no spaces,
// UTF-8 kept, control characters escaped); invalid UTF-8 becomes U+FFFD,
// one per maximal ill-formed subsequence; NaN and infinities become null.
// Commas are placed by the writer; the caller keeps keys and values paired
// and nesting balanced (not checked).
#ifndef CLINSEARCH_BASE_JSON_WRITER_H_
#define CLINSEARCH_BASE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace clinsearch {

class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view value);
  // Key(key) then String(value); the second form only when value is not empty.
  void Member(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void MemberIfAny(std::string_view key, std::string_view value) {
    if (!value.empty()) Member(key, value);
  }
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Double(double value);
  void Bool(bool value);

  std::string Take() { return std::move(out_); }

 private:
  void Separate() {
    if (need_comma_) out_ += ',';
    need_comma_ = true;
  }
  void Open(char c) {
    Separate();
    out_ += c;
    need_comma_ = false;
  }
  void Close(char c) {
    out_ += c;
    need_comma_ = true;
  }
  void Escaped(std::string_view s);

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_JSON_WRITER_H_
