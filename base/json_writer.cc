// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/json_writer.h"

#include <unicode/utf8.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace clinsearch {

void JsonWriter::Key(std::string_view key) {
  Separate();
  Escaped(key);
  out_ += ':';
  need_comma_ = false;
}

void JsonWriter::String(std::string_view value) {
  Separate();
  Escaped(value);
}

void JsonWriter::Int(int64_t value) {
  Separate();
  out_ += std::to_string(value);
}

void JsonWriter::Uint(uint64_t value) {
  Separate();
  out_ += std::to_string(value);
}

void JsonWriter::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
}

void JsonWriter::Double(double value) {
  Separate();
  if (!std::isfinite(value)) {
    out_ += "null";
    return;
  }
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);  // shortest round trip
  const std::string_view digits(buf, static_cast<size_t>(end - buf));
  out_ += digits;
  // As nlohmann: a number that reads as an integer gets ".0", so it reads
  // back as a double.
  if (digits.find_first_of(".e") == std::string_view::npos) out_ += ".0";
}

namespace {

// Bytes a JSON string cannot hold as they are (control characters, quote,
// backslash) or that need a UTF-8 check (non-ASCII): where the plain run
// ends.
constexpr std::array<bool, 256> kSpecialByte = [] {
  std::array<bool, 256> special{};
  for (int b = 0; b < 256; ++b) special[b] = b < 0x20 || b >= 0x80 || b == '"' || b == '\\';
  return special;
}();

// Whether any of the eight bytes of `w` is special (the classic "has a
// zero byte" test, applied to w ^ '"', w ^ '\\' and, for < 0x20, w itself;
// its false positives need a byte >= 0x80, which is special anyway).
bool AnySpecial(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  const uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  const uint64_t hits = ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
                        ((backslash - kOnes) & ~backslash) | w;
  return (hits & kHigh) != 0;
}

// The length of the run of plain bytes starting at `from` (up to `size`):
// eight bytes at a time, then byte by byte.
int32_t PlainRun(const uint8_t* bytes, int32_t from, int32_t size) {
  int32_t at = from;
  for (uint64_t w = 0; at + 8 <= size; at += 8) {
    std::memcpy(&w, bytes + at, 8);
    if (AnySpecial(w)) break;
  }
  while (at < size && !kSpecialByte[bytes[at]]) ++at;
  return at - from;
}

}  // namespace

void JsonWriter::Escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_.reserve(out_.size() + s.size() + 2);
  out_ += '"';
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto size = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < size) {
    // The common case: a run of printable ASCII needing no escape.
    const int32_t run = PlainRun(bytes, i, size);
    out_.append(s.data() + i, static_cast<size_t>(run));
    i += run;
    if (i >= size) break;
    const uint8_t b = bytes[i];
    if (b < 0x80) {
      switch (b) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default:
          out_ += "\\u00";
          out_ += kHex[b >> 4];
          out_ += kHex[b & 0xf];
      }
      ++i;
      continue;
    }
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, size, c);  // advances past a maximal ill-formed subsequence on error
    if (c < 0) {
      out_ += "\xEF\xBF\xBD";
    } else {
      out_.append(s.data() + start, static_cast<size_t>(i - start));
    }
  }
  out_ += '"';
}

}  // namespace clinsearch
