// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for the stored passage record (storage/passage_record.h): id
// terms, collapse keys, the record codec and the LZ4-packed slot value.
#include "storage/passage_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/coding.h"
#include "storage/schema.h"

namespace clinsearch {
namespace {

void ExpectRecordEq(const PassageRecord& a, const PassageRecord& b) {
  EXPECT_EQ(a.doc_id, b.doc_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.heading, b.heading);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.text, b.text);
}

TEST(PassageRecordTest, RecordRoundTrip) {
  const PassageRecord records[] = {
      {"doc-1", "Bone Metastases", "Treatment", "CancerGov", "https://example.org/a?b=c",
       "First paragraph.\n\n- bullet one\n- bullet two"},
      {"", "", "", "", "", ""},
      {"d", "Caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80", "", "", "",
       std::string("nul\0inside", 10)},
      {"id", "t", "s", "src", "u", std::string(100000, 'x')},
  };
  for (const PassageRecord& r : records) {
    SCOPED_TRACE(r.doc_id);
    PassageRecord out{"stale", "stale", "stale", "stale", "stale", "stale"};
    ASSERT_TRUE(DecodeRecord(EncodeRecord(r), &out));
    ExpectRecordEq(out, r);
  }
}

TEST(PassageRecordTest, CollapseKeysAreEightBytesAndTellIdsApart) {
  EXPECT_EQ(CollapseKey("ADAM_0002903_Sec1").size(), 8u);
  EXPECT_EQ(CollapseKey(std::string(5000, 'x')).size(), 8u);
  EXPECT_EQ(CollapseKey("doc-1"), CollapseKey("doc-1"));
  EXPECT_NE(CollapseKey("doc-1"), CollapseKey("doc-2"));
  EXPECT_NE(CollapseKey(""), CollapseKey("doc-1"));
}

TEST(PassageRecordTest, SeparatorInsideFieldsDoesNotShiftFields) {
  // The field separator is \x1f; a field containing it must not spill into
  // the next field (EncodeRecord stores it as a space).
  const PassageRecord r{
      "a\x1f"
      "b",
      "ti\x1ftle",
      "sec",
      "src",
      "url",
      "te\x1fxt\x1f"};
  PassageRecord out;
  ASSERT_TRUE(DecodeRecord(EncodeRecord(r), &out));
  EXPECT_EQ(out.doc_id, "a b");
  EXPECT_EQ(out.title, "ti tle");
  EXPECT_EQ(out.heading, "sec");
  EXPECT_EQ(out.source, "src");
  EXPECT_EQ(out.url, "url");
  EXPECT_EQ(out.text, "te xt ");
}

TEST(PassageRecordTest, DecodingGarbageFails) {
  const std::string valid = EncodeRecord({"id", "title", "section", "source", "url", "text"});
  std::string wrong_version = valid;
  wrong_version[1] = '9';
  const std::string cases[] = {
      "",
      "r1",
      "hello world",
      "r1\x1f"
      "a\x1f"
      "b",  // too few fields
      "r1a\x1f"
      "b\x1f"
      "c\x1f"
      "d\x1f"
      "e\x1f"
      "f",  // no separator after the version
      "r2\x1f"
      "a\x1f"
      "b\x1f"
      "c\x1f"
      "d\x1f"
      "e\x1f"
      "f",
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

TEST(PassageRecordTest, IdTermKeepsShortIds) {
  EXPECT_EQ(IdTerm(kDocIdPrefix, "doc-1"), "XDdoc-1");
  EXPECT_EQ(IdTerm(kVersionPrefix, "doc-1"), "XHdoc-1");
  EXPECT_EQ(IdTerm(kSourcePrefix, ""), "XS");
  const std::string id(180, 'a');
  EXPECT_EQ(IdTerm(kDocIdPrefix, id), "XD" + id);
}

TEST(PassageRecordTest, IdTermShortensLongIdsAndKeepsThemDistinct) {
  const std::string base = "/very/long/path/" + std::string(400, 'p');
  std::vector<std::string> ids = {base + "/a.txt",        base + "/b.txt",
                                  base + "/a.txtx",       std::string(181, 'a'),
                                  std::string(5000, 'z'), std::string(5000, 'z') + "!"};
  std::vector<std::string> terms;
  for (const std::string& id : ids) {
    SCOPED_TRACE(id.size());
    const std::string term = IdTerm(kDocIdPrefix, id);
    EXPECT_LT(term.size(), 245u);
    EXPECT_EQ(term.substr(0, 2), "XD");
    EXPECT_EQ(term.substr(2, 100), id.substr(0, 100));  // readable start kept
    EXPECT_EQ(IdTerm(kDocIdPrefix, id), term);          // deterministic
    terms.push_back(term);
  }
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t j = i + 1; j < terms.size(); ++j) EXPECT_NE(terms[i], terms[j]) << i << " " << j;
  }
  // Version terms (prefix + fingerprint + id) of a long id stay short and distinct.
  EXPECT_NE(IdTerm("XH0001", ids[0]), IdTerm("XH0002", ids[0]));
  EXPECT_LT(IdTerm("XH0001", ids[0]).size(), 245u);
}

// A size that no LZ4 block of this length can expand to is refused before
// any allocation (fuzz_stored_passage found such damaged sizes costing a
// 256 MB allocation on every read of the passage).
TEST(PassageRecordTest, StoredPassageSizeBeyondWhatLz4CanExpandIsRefused) {
  std::string value;
  AppendVarint(value, uint64_t{200} << 20);  // claims 200 MB from 4 bytes
  value += "\x10\x41\x42\x43";
  Xapian::Document doc;
  doc.add_value(kPassageSlot, value);
  PassageRecord out;
  std::string tokens;
  EXPECT_FALSE(ReadPassage(doc, &out, &tokens));
}

TEST(PassageRecordTest, StoredPassageRoundTripsAndRefusesDamage) {
  const PassageRecord r{"doc-1",
                        "Bone Metastases",
                        "Treatment",
                        "CancerGov",
                        "https://example.org/a",
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
