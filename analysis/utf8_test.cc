// Unit tests for analysis/utf8.h and analysis/index_layout.h (both small
// helpers of the analysis module, so they share this file).
#include "analysis/text_util.h"
#include "analysis/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/index_layout.h"

namespace clinsearch {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string S(const char* bytes, size_t n) { return std::string(bytes, n); }

// --- RepairUtf8 -------------------------------------------------------------

TEST(Utf8Test, ValidTextIsLeftUnchanged) {
  const std::string cases[] = {
      "",
      "plain ascii, with punctuation!\n\ttab",
      "caf\xC3\xA9 na\xC3\xAFve",                      // 2-byte
      "\xE2\x82\xAC 100 \xE2\x80\x99",                  // 3-byte
      "\xF0\x9F\x98\x80 emoji",                         // 4-byte
      "\xF4\x8F\xBF\xBF",                               // U+10FFFF, the last code point
      "\xED\x9F\xBF \xEE\x80\x80",                      // U+D7FF and U+E000 around the surrogates
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
      {"stray byte", "ab\xFF" "cd", "ab" + kFffd + "cd", 1, 2},
      {"lone continuation", "\x80" "abc", kFffd + "abc", 1, 0},
      {"two bad spots", "ok\xFF then \xFE", "ok" + kFffd + " then " + kFffd, 2, 2},
      {"overlong slash (C0 AF)", "a\xC0\xAF" "b", "a" + kFffd + kFffd + "b", 2, 1},
      {"overlong 3-byte NUL", "a\xE0\x80\x80", "a" + kFffd + kFffd + kFffd, 3, 1},
      {"overlong 4-byte", "\xF0\x80\x80\xAF", kFffd + kFffd + kFffd + kFffd, 4, 0},
      {"high surrogate U+D800", "x\xED\xA0\x80y", "x" + kFffd + kFffd + kFffd + "y", 3, 1},
      {"low surrogate U+DFFF", "\xED\xBF\xBF", kFffd + kFffd + kFffd, 3, 0},
      {"past U+10FFFF", "\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd, 4, 0},
      {"5-byte lead", "z\xF8" "z", "z" + kFffd + "z", 1, 1},
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
      {0, 1}, {4, 1}, {5, 1},    // the '\n' itself still belongs to line 1
      {6, 2}, {12, 2}, {13, 3},  // empty third line
      {14, 4}, {19, 4}, {20, 4}, {1000, 4},  // past the end: clamped
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.offset);
    EXPECT_EQ(LineOf(text, c.offset), c.line);
  }
  EXPECT_EQ(LineOf("", 0), 1u);
  EXPECT_EQ(LineOf("\n\n\n", 3), 4u);
}

// --- index_layout.h ---------------------------------------------------------

void ExpectRecordEq(const PassageRecord& a, const PassageRecord& b) {
  EXPECT_EQ(a.doc_id, b.doc_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.section, b.section);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.text, b.text);
}

TEST(IndexLayoutTest, RecordRoundTrip) {
  const PassageRecord records[] = {
      {"doc-1", "Bone Metastases", "Treatment", "CancerGov", "https://example.org/a?b=c",
       "First paragraph.\n\n- bullet one\n- bullet two"},
      {"", "", "", "", "", ""},
      {"d", "Caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80", "", "", "", std::string("nul\0inside", 10)},
      {"id", "t", "s", "src", "u", std::string(100000, 'x')},
  };
  for (const PassageRecord& r : records) {
    SCOPED_TRACE(r.doc_id);
    PassageRecord out{"stale", "stale", "stale", "stale", "stale", "stale"};
    ASSERT_TRUE(DecodeRecord(EncodeRecord(r), &out));
    ExpectRecordEq(out, r);
  }
}

TEST(IndexLayoutTest, CollapseKeysAreEightBytesAndTellIdsApart) {
  EXPECT_EQ(CollapseKey("ADAM_0002903_Sec1").size(), 8u);
  EXPECT_EQ(CollapseKey(std::string(5000, 'x')).size(), 8u);
  EXPECT_EQ(CollapseKey("doc-1"), CollapseKey("doc-1"));
  EXPECT_NE(CollapseKey("doc-1"), CollapseKey("doc-2"));
  EXPECT_NE(CollapseKey(""), CollapseKey("doc-1"));
}

TEST(IndexLayoutTest, SeparatorInsideFieldsDoesNotShiftFields) {
  // The field separator is \x1f; a field containing it must not spill into
  // the next field (EncodeRecord stores it as a space).
  const PassageRecord r{"a\x1f" "b", "ti\x1ftle", "sec", "src", "url", "te\x1fxt\x1f"};
  PassageRecord out;
  ASSERT_TRUE(DecodeRecord(EncodeRecord(r), &out));
  EXPECT_EQ(out.doc_id, "a b");
  EXPECT_EQ(out.title, "ti tle");
  EXPECT_EQ(out.section, "sec");
  EXPECT_EQ(out.source, "src");
  EXPECT_EQ(out.url, "url");
  EXPECT_EQ(out.text, "te xt ");
}

TEST(IndexLayoutTest, DecodingGarbageFails) {
  const std::string valid = EncodeRecord({"id", "title", "section", "source", "url", "text"});
  std::string wrong_version = valid;
  wrong_version[1] = '9';
  const std::string cases[] = {
      "",
      "r1",
      "hello world",
      "r1\x1f" "a\x1f" "b",                       // too few fields
      "r1a\x1f" "b\x1f" "c\x1f" "d\x1f" "e\x1f" "f",  // no separator after the version
      "r2\x1f" "a\x1f" "b\x1f" "c\x1f" "d\x1f" "e\x1f" "f",
      wrong_version,
      valid.substr(0, valid.find("url")),  // cut before the last two fields
      "\x1f\x1f\x1f\x1f\x1f\x1f",
  };
  for (const std::string& data : cases) {
    SCOPED_TRACE(::testing::PrintToString(data));
    PassageRecord out;
    EXPECT_FALSE(DecodeRecord(data, &out));
  }
  PassageRecord out;
  EXPECT_TRUE(DecodeRecord("r1\x1f\x1f\x1f\x1f\x1f\x1f", &out));  // six empty fields
  EXPECT_TRUE(DecodeRecord(valid, &out));
}

TEST(IndexLayoutTest, IdTermKeepsShortIds) {
  EXPECT_EQ(IdTerm(kDocIdPrefix, "doc-1"), "XDdoc-1");
  EXPECT_EQ(IdTerm(kVersionPrefix, "doc-1"), "XHdoc-1");
  EXPECT_EQ(IdTerm(kSourcePrefix, ""), "XS");
  const std::string id(180, 'a');
  EXPECT_EQ(IdTerm(kDocIdPrefix, id), "XD" + id);
}

TEST(IndexLayoutTest, IdTermShortensLongIdsAndKeepsThemDistinct) {
  const std::string base = "/very/long/path/" + std::string(400, 'p');
  std::vector<std::string> ids = {base + "/a.txt", base + "/b.txt", base + "/a.txtx",
                                  std::string(181, 'a'), std::string(5000, 'z'),
                                  std::string(5000, 'z') + "!"};
  std::vector<std::string> terms;
  for (const std::string& id : ids) {
    SCOPED_TRACE(id.size());
    const std::string term = IdTerm(kDocIdPrefix, id);
    EXPECT_LT(term.size(), 245u);
    EXPECT_EQ(term.substr(0, 2), "XD");
    EXPECT_EQ(term.substr(2, 100), id.substr(0, 100));  // readable start kept
    EXPECT_EQ(IdTerm(kDocIdPrefix, id), term);         // deterministic
    terms.push_back(term);
  }
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t j = i + 1; j < terms.size(); ++j) EXPECT_NE(terms[i], terms[j]) << i << " " << j;
  }
  // Version terms (prefix + fingerprint + id) of a long id stay short and distinct.
  EXPECT_NE(IdTerm("XH0001", ids[0]), IdTerm("XH0002", ids[0]));
  EXPECT_LT(IdTerm("XH0001", ids[0]).size(), 245u);
}

}  // namespace
}  // namespace clinsearch

namespace clinsearch {
namespace {

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

namespace clinsearch {
namespace {

// A size that no LZ4 block of this length can expand to is refused before
// any allocation (fuzz_stored_passage found such damaged sizes costing a
// 256 MB allocation on every read of the passage).
TEST(IndexLayoutTest, StoredPassageSizeBeyondWhatLz4CanExpandIsRefused) {
  std::string value;
  AppendVarint(value, uint64_t{200} << 20);  // claims 200 MB from 4 bytes
  value += "\x10\x41\x42\x43";
  Xapian::Document doc;
  doc.add_value(kPassageSlot, value);
  PassageRecord out;
  std::string tokens;
  EXPECT_FALSE(ReadPassage(doc, &out, &tokens));
}

TEST(IndexLayoutTest, StoredPassageRoundTripsAndRefusesDamage) {
  const PassageRecord r{"doc-1", "Bone Metastases", "Treatment", "CancerGov", "https://example.org/a",
                        "Radiofrequency ablation heats the tumor; cryoablation freezes it. " +
                            std::string(2000, 'x')};
  const std::string tokens = "t1 token bytes \x01\x02";
  Xapian::Document doc;
  const std::string value = EncodePassageValue(r, tokens);
  EXPECT_LT(value.size(), r.text.size());  // compressed
  doc.add_value(kPassageSlot, value);
  PassageRecord out;
  std::string got_tokens;
  ASSERT_TRUE(ReadPassage(doc, &out, &got_tokens));
  ExpectRecordEq(out, r);
  EXPECT_EQ(got_tokens, tokens);
  // An older index: the record in the document data, no slot, no tokens.
  Xapian::Document old;
  old.set_data(EncodeRecord(r));
  ASSERT_TRUE(ReadPassage(old, &out, &got_tokens));
  ExpectRecordEq(out, r);
  EXPECT_TRUE(got_tokens.empty());
  // Truncated, or any byte flipped: refused or read, never a crash.
  for (size_t cut = 1; cut < value.size(); cut += 7) {
    Xapian::Document bad;
    bad.add_value(kPassageSlot, value.substr(0, cut));
    EXPECT_FALSE(ReadPassage(bad, &out, &got_tokens)) << cut;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string flipped = value;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    Xapian::Document bad;
    bad.add_value(kPassageSlot, flipped);
    (void)ReadPassage(bad, &out, &got_tokens);
  }
  Xapian::Document huge;  // a size claiming a terabyte
  huge.add_value(kPassageSlot, std::string("\xff\xff\xff\xff\xff\x7f") + "abc");
  EXPECT_FALSE(ReadPassage(huge, &out, &got_tokens));
}

}  // namespace
}  // namespace clinsearch
