// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/passage_document.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/passage_record.h"

namespace clinsearch {
namespace {

Document Doc(std::string title, std::vector<Section> sections) {
  Document doc;
  doc.id = "doc-1";
  doc.title = std::move(title);
  doc.url = "http://u";
  doc.source = "Src";
  doc.sections = std::move(sections);
  return doc;
}

std::vector<std::string> Terms(const Xapian::Document& xd) {
  return std::vector<std::string>(xd.termlist_begin(), xd.termlist_end());
}

bool Has(const Xapian::Document& xd, const std::string& term) {
  const std::vector<std::string> terms = Terms(xd);
  return std::find(terms.begin(), terms.end(), term) != terms.end();
}

// Words w0 w1 ... w(n-1).
std::string NumberedWords(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += (i ? " w" : "w") + std::to_string(i);
  return text;
}

TEST(PassageDocumentTest, FieldBoundsStayWhereTheyWere) {
  EXPECT_EQ(FieldEnd(kTitleBase), kHeadingBase - 100);
  EXPECT_EQ(FieldEnd(kHeadingBase), kBodyBase - 100);
}

// A changed version term makes every index re-analyse every document: it
// must not change by accident. The expected value is FNV-1a computed
// independently of this code.
TEST(PassageDocumentTest, VersionTermIsStable) {
  const Document doc = Doc("Title", {{"Heading", "Some text."}, {"", "More."}});
  EXPECT_EQ(VersionTerm(doc, "print"), "XHdb76d3ab8f063a64doc-1");
  Document changed = doc;
  changed.sections[1].text = "More!";
  EXPECT_NE(VersionTerm(changed, "print"), VersionTerm(doc, "print"));
  EXPECT_NE(VersionTerm(doc, "other"), VersionTerm(doc, "print"));
}

class PrepareDocumentTest : public ::testing::Test {
 protected:
  PrepareDocumentTest() {
    dictionary_.Parse("[cryoablation]\nsyn: cryotherapy\nisa: tumor ablation\n\n[tumor ablation]\n",
                      "test.syn", nullptr, false);
    dictionary_.Compile(analyzer_);
  }
  const Concept& Find(const std::string& name) const {
    for (const Concept& c : dictionary_.concepts()) {
      if (c.name == name) return c;
    }
    ADD_FAILURE() << name;
    return dictionary_.concepts().front();
  }

  Analyzer analyzer_;
  Dictionary dictionary_;
  IndexOptions options_;
};

TEST_F(PrepareDocumentTest, PassagesCarryTermsValuesAndTheVersionOnTheFirst) {
  std::string long_text = "Freezing helps.\n\n";
  for (int i = 0; i < 6; ++i) long_text += NumberedWords(60) + ".\n\n";
  const Document doc = Doc("Cryotherapy", {{"Risks", long_text}});
  const PreparedDocument prepared =
      PrepareDocument(doc, "XHversion", analyzer_, dictionary_, options_);
  EXPECT_TRUE(prepared.error.ok());
  EXPECT_EQ(prepared.id, "doc-1");
  ASSERT_GE(prepared.passages.size(), 2u);
  const Concept& cryo = Find("cryoablation");
  const Concept& ablation = Find("tumor ablation");
  for (size_t n = 0; n < prepared.passages.size(); ++n) {
    const Xapian::Document& xd = prepared.passages[n];
    EXPECT_TRUE(Has(xd, "XDdoc-1")) << n;
    EXPECT_EQ(Has(xd, "XHversion"), n == 0) << n;
    EXPECT_TRUE(Has(xd, "XSsrc")) << n;
    EXPECT_TRUE(Has(xd, std::string(kTitlePrefix) + "cryotherapi")) << n;
    EXPECT_TRUE(Has(xd, std::string(kHeadingPrefix) + "risk")) << n;
    EXPECT_TRUE(Has(xd, cryo.ConceptTerm())) << n;
    EXPECT_TRUE(Has(xd, std::string(kTitleConceptPrefix) + cryo.id)) << n;
    EXPECT_TRUE(Has(xd, ablation.MemberTerm())) << n;
    EXPECT_EQ(xd.get_value(kSourceSlot), "Src");
    EXPECT_EQ(xd.get_value(kDocIdSlot), CollapseKey("doc-1"));
    PassageRecord record;
    std::string stored;
    ASSERT_TRUE(ReadPassage(xd, &record, &stored));
    EXPECT_EQ(record.heading, "Risks");
    EXPECT_FALSE(stored.empty());
  }
  // Body words are spelling words; the title's and heading's are not.
  EXPECT_EQ(prepared.spelling.count("freezing"), 1u);
  EXPECT_EQ(prepared.spelling.count("cryotherapy"), 0u);
  EXPECT_EQ(prepared.spelling.count("risks"), 0u);
}

TEST_F(PrepareDocumentTest, ATitleKeepsToItsPositions) {
  const Document doc = Doc(NumberedWords(950), {{"", "Body text."}});
  const PreparedDocument prepared = PrepareDocument(doc, "XHv", analyzer_, dictionary_, options_);
  ASSERT_EQ(prepared.passages.size(), 1u);
  const Xapian::Document& xd = prepared.passages[0];
  EXPECT_TRUE(Has(xd, "w899"));
  EXPECT_TRUE(Has(xd, std::string(kTitlePrefix) + "w899"));
  EXPECT_FALSE(Has(xd, "w900"));
  EXPECT_FALSE(Has(xd, std::string(kTitlePrefix) + "w900"));
}

TEST_F(PrepareDocumentTest, AnEmptyDocumentHasNoPassages) {
  const PreparedDocument prepared =
      PrepareDocument(Doc("Title only", {}), "XHv", analyzer_, dictionary_, options_);
  EXPECT_TRUE(prepared.passages.empty());
  EXPECT_EQ(prepared.version, "XHv");
}

TEST(IsSpellingWordTest, LettersOnlyTwoOrMoreNotCompounds) {
  Token t;
  t.word = "ab";
  t.alphabetic = true;
  EXPECT_TRUE(IsSpellingWord(t));
  t.word = "a";
  EXPECT_FALSE(IsSpellingWord(t));
  t.word = "ab";
  t.compound = true;
  EXPECT_FALSE(IsSpellingWord(t));
  t.compound = false;
  t.alphabetic = false;
  EXPECT_FALSE(IsSpellingWord(t));
}

}  // namespace
}  // namespace clinsearch
