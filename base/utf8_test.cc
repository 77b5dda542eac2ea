// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for base/utf8.h and base/coding.h.
#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/coding.h"

namespace clinsearch {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string S(const char* bytes, size_t n) { return std::string(bytes, n); }

// --- RepairUtf8 -------------------------------------------------------------

TEST(Utf8Test, ValidTextIsLeftUnchanged) {
  const std::string cases[] = {
      "",
      "plain ascii, with punctuation!\n\ttab",
      "caf\xC3\xA9 na\xC3\xAFve",       // 2-byte
      "\xE2\x82\xAC 100 \xE2\x80\x99",  // 3-byte
      "\xF0\x9F\x98\x80 emoji",         // 4-byte
      "\xF4\x8F\xBF\xBF",               // U+10FFFF, the last code point
      "\xED\x9F\xBF \xEE\x80\x80",      // U+D7FF and U+E000 around the surrogates
      "\xEF\xBF\xBD already a replacement character",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(::testing::PrintToString(text));
    std::string copy = text;
    size_t first_bad = 12345;
    EXPECT_EQ(RepairUtf8(copy, &first_bad), 0u);
    EXPECT_EQ(copy, text);
    EXPECT_EQ(RepairUtf8(copy), 0u);  // first_bad is optional
  }
}

TEST(Utf8Test, InvalidSequencesAreReplaced) {
  struct Case {
    const char* name;
    std::string input;
    std::string output;
    size_t replaced;
    size_t first_bad;
  };
  const Case cases[] = {
      {"stray byte",
       "ab\xFF"
       "cd",
       "ab" + kFffd + "cd", 1, 2},
      {"lone continuation",
       "\x80"
       "abc",
       kFffd + "abc", 1, 0},
      {"two bad spots", "ok\xFF then \xFE", "ok" + kFffd + " then " + kFffd, 2, 2},
      {"overlong slash (C0 AF)",
       "a\xC0\xAF"
       "b",
       "a" + kFffd + kFffd + "b", 2, 1},
      {"overlong 3-byte NUL", "a\xE0\x80\x80", "a" + kFffd + kFffd + kFffd, 3, 1},
      {"overlong 4-byte", "\xF0\x80\x80\xAF", kFffd + kFffd + kFffd + kFffd, 4, 0},
      {"high surrogate U+D800", "x\xED\xA0\x80y", "x" + kFffd + kFffd + kFffd + "y", 3, 1},
      {"low surrogate U+DFFF", "\xED\xBF\xBF", kFffd + kFffd + kFffd, 3, 0},
      {"past U+10FFFF", "\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd, 4, 0},
      {"5-byte lead",
       "z\xF8"
       "z",
       "z" + kFffd + "z", 1, 1},
      {"NUL byte", S("a\0b", 3), "a" + kFffd + "b", 1, 1},
      {"only NULs", S("\0\0", 2), kFffd + kFffd, 2, 0},
      {"valid then bad", "caf\xC3\xA9\xFF", "caf\xC3\xA9" + kFffd, 1, 5},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = c.input;
    size_t first_bad = 12345;
    EXPECT_EQ(RepairUtf8(text, &first_bad), c.replaced);
    EXPECT_EQ(text, c.output);
    EXPECT_EQ(first_bad, c.first_bad);
    EXPECT_EQ(RepairUtf8(text), 0u) << "repaired text must be valid";
  }
}

TEST(Utf8Test, TruncatedSequencesAreReplacedAndFollowingTextKept) {
  struct Case {
    const char* name;
    std::string input;
    std::string before, after;
    size_t first_bad;
  };
  const Case cases[] = {
      {"2-byte cut at end", "caf\xC3", "caf", "", 3},
      {"3-byte cut at end", "price \xE2\x82", "price ", "", 6},
      {"4-byte cut at end", "x\xF0\x9F\x98", "x", "", 1},
      {"3-byte cut before ASCII", "a\xE2\x82 b", "a", " b", 1},
      {"4-byte cut before a valid char", "a\xF0\x9F\xC3\xA9", "a", "\xC3\xA9", 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = c.input;
    size_t first_bad = 12345;
    EXPECT_GE(RepairUtf8(text, &first_bad), 1u);
    EXPECT_EQ(first_bad, c.first_bad);
    ASSERT_GE(text.size(), c.before.size() + kFffd.size() + c.after.size());
    EXPECT_EQ(text.substr(0, c.before.size() + kFffd.size()), c.before + kFffd);
    EXPECT_EQ(text.substr(text.size() - c.after.size()), c.after);
    EXPECT_EQ(RepairUtf8(text), 0u);
  }
}

TEST(Utf8Test, LineOfCountsNewlinesBeforeOffset) {
  const std::string text = "first\nsecond\n\nfourth";
  struct Case {
    size_t offset;
    size_t line;
  };
  const Case cases[] = {
      {0, 1},  {4, 1},  {5, 1},              // the '\n' itself still belongs to line 1
      {6, 2},  {12, 2}, {13, 3},             // empty third line
      {14, 4}, {19, 4}, {20, 4}, {1000, 4},  // past the end: clamped
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.offset);
    EXPECT_EQ(LineOf(text, c.offset), c.line);
  }
  EXPECT_EQ(LineOf("", 0), 1u);
  EXPECT_EQ(LineOf("\n\n\n", 3), 4u);
}

TEST(VarintTest, RoundTripsAndRefusesWhatIsCut) {
  const uint64_t values[] = {0, 1, 127, 128, 300, 16383, 16384, uint64_t{1} << 35, UINT64_MAX};
  std::string all;
  for (uint64_t v : values) AppendVarint(all, v);
  size_t pos = 0;
  for (uint64_t v : values) {
    uint64_t got = 0;
    ASSERT_TRUE(ReadVarint(all, &pos, &got));
    EXPECT_EQ(got, v);
  }
  EXPECT_EQ(pos, all.size());
  uint64_t v = 0;
  EXPECT_FALSE(ReadVarint(all, &pos, &v));  // nothing left
  std::string cut;
  AppendVarint(cut, 300);
  cut.pop_back();
  pos = 0;
  EXPECT_FALSE(ReadVarint(cut, &pos, &v));
  EXPECT_EQ(pos, 0u);
  const std::string too_long(11, '\xff');
  EXPECT_FALSE(ReadVarint(too_long, &pos, &v));
  const std::string overflow = std::string(9, '\xff') + '\x02';  // bit 64 set
  EXPECT_FALSE(ReadVarint(overflow, &pos, &v));
}

}  // namespace
}  // namespace clinsearch
