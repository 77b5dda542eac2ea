// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for indexer/passage_splitter.h.
#include "indexer/passage_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/strings.h"

namespace clinsearch {
namespace {

// `n` distinct words: "<tag>0 <tag>1 ...".
std::string Words(size_t n, const std::string& tag = "w") {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (!out.empty()) out += ' ';
    out += tag + std::to_string(i);
  }
  return out;
}

// A sentence of exactly `n` words, starting with a capital, ending with '.'.
std::string Sentence(size_t n, size_t id) {
  std::string out = "Sentence" + std::to_string(id);
  for (size_t i = 1; i < n; ++i) out += " w" + std::to_string(id) + "x" + std::to_string(i);
  return out + ".";
}

// Collapses white space so texts can be compared regardless of joins.

Document Doc(std::vector<Section> sections) {
  Document d;
  d.id = "doc";
  d.title = "Title";
  d.sections = std::move(sections);
  return d;
}

TEST(CountWordsTest, CountsWhitespaceSeparatedWords) {
  struct Case {
    const char* text;
    size_t words;
  };
  const Case cases[] = {
      {"", 0},
      {"   \n\t ", 0},
      {"one", 1},
      {" one  two\tthree\nfour\r\n", 4},
      {"radio-frequency ablation (RFA).", 3},
      {"na\xC3\xAFve caf\xC3\xA9", 2},
      {"- bullet item", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(CountWords(c.text), c.words);
  }
}

TEST(PassageSplitterTest, ShortSectionsAreNeverMerged) {
  const auto passages = SplitPassages(
      Doc({{"Overview", "Bone metastases are common."}, {"Treatment", "Radiation helps."}}));
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].heading, "Overview");
  EXPECT_EQ(passages[0].text, "Bone metastases are common.");
  EXPECT_EQ(passages[0].section_index, 0);
  EXPECT_EQ(passages[1].heading, "Treatment");
  EXPECT_EQ(passages[1].text, "Radiation helps.");
  EXPECT_EQ(passages[1].section_index, 1);
}

TEST(PassageSplitterTest, ShortTailDoesNotJoinThePreviousSection) {
  const auto passages = SplitPassages(Doc({{"Long", Words(150, "a")}, {"Short", "Tiny tail."}}));
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].section_index, 0);
  EXPECT_EQ(passages[1].section_index, 1);
  EXPECT_EQ(passages[1].text, "Tiny tail.");
}

TEST(PassageSplitterTest, EmptySectionsYieldNothing) {
  const auto passages = SplitPassages(Doc({{"Empty", ""},
                                           {"Blank", "  \n\n \t \n"},
                                           {"Full", "Some text here."},
                                           {"Also empty", "\n"}}));
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].heading, "Full");
  EXPECT_EQ(passages[0].section_index, 2);
  EXPECT_EQ(passages[0].text, "Some text here.");
  EXPECT_TRUE(SplitPassages(Doc({})).empty());
}

TEST(PassageSplitterTest, ParagraphLinesAreJoinedAndParagraphsKeepBlankLines) {
  const auto passages = SplitPassages(Doc({{"", "  First line\nsecond line.  \n\n\nNext para."}}));
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].text, "First line second line.\n\nNext para.");
}

TEST(PassageSplitterTest, LeadInLineStaysWithItsList) {
  PassageOptions options;
  options.target_words = 20;
  options.max_words = 60;
  options.min_words = 5;
  // The paragraph plus lead-in reaches target_words, which would otherwise
  // close the passage right before the list.
  const std::string text = Words(18, "p") + "\n\nTreatment options include:\n" +
                           "- surgery to remove the tumor\n- radiation therapy\n"
                           "- cryoablation\n\n" +
                           Words(25, "q");
  const auto passages = SplitPassages(Doc({{"S", text}}), options);
  ASSERT_GE(passages.size(), 2u);
  const std::string& first = passages[0].text;
  EXPECT_NE(
      first.find("include:\n- surgery to remove the tumor\n- radiation therapy\n- cryoablation"),
      std::string::npos)
      << first;
  for (const Passage& p : passages) {
    EXPECT_NE(p.text.back(), ':') << "a lead-in was cut off from its list: " << p.text;
  }
}

// Found by fuzz_reader_*: a lead-in kept its list even past max_words.
TEST(PassageSplitterTest, LeadInListNeverPassesMaxWords) {
  PassageOptions options;
  options.target_words = 20;
  options.max_words = 60;
  options.min_words = 5;
  std::string text = Words(50, "p") + " Options include:";
  for (int i = 0; i < 4; ++i) text += "\n- " + Words(12, "i" + std::to_string(i));
  const auto passages = SplitPassages(Doc({{"S", text}}), options);
  ASSERT_GE(passages.size(), 2u);
  std::string all;
  for (const Passage& p : passages) {
    size_t list_markers = 0;
    for (size_t at = p.text.find("\n- "); at != std::string::npos; at = p.text.find("\n- ", at + 1))
      ++list_markers;
    EXPECT_LE(CountWords(p.text) - list_markers, options.max_words) << p.text;
    all += p.text + "\n";
  }
  for (int i = 0; i < 4; ++i)
    EXPECT_NE(all.find("- " + Words(12, "i" + std::to_string(i))), std::string::npos);
}

TEST(PassageSplitterTest, LeadInAfterFullPassageStartsTheNextOne) {
  PassageOptions options;
  options.target_words = 20;
  options.max_words = 60;
  options.min_words = 5;
  const std::string text = Words(25, "p") + "\n\nSide effects include:\n- nausea\n- fatigue";
  const auto passages = SplitPassages(Doc({{"S", text}}), options);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].text, Words(25, "p"));
  EXPECT_EQ(passages[1].text, "Side effects include:\n- nausea\n- fatigue");
}

TEST(PassageSplitterTest, BulletListIsKeptTogether) {
  PassageOptions options;
  options.target_words = 20;
  options.max_words = 80;
  options.min_words = 5;
  std::string list;
  std::string expected;
  for (int i = 0; i < 10; ++i) {
    list += "* item" + std::to_string(i) + " has four words\n";
    expected += std::string(i ? "\n" : "") + "- item" + std::to_string(i) + " has four words";
  }
  // 10 bullets of 4 words = 40 words: past target_words, but one list.
  const std::string text = Words(30, "p") + "\n\n" + list + "\n" + Words(30, "q");
  const auto passages = SplitPassages(Doc({{"S", text}}), options);
  ASSERT_EQ(passages.size(), 3u);
  EXPECT_EQ(passages[0].text, Words(30, "p"));
  EXPECT_EQ(passages[1].text, expected);
  EXPECT_EQ(passages[2].text, Words(30, "q"));
}

TEST(PassageSplitterTest, BulletMarkersAndContinuationsAreNormalised) {
  const std::string text =
      "- dash item\n* star item\n\xE2\x80\xA2 bullet item\n1. numbered item\n"
      "2) paren item\n   continued on an indented line\n";
  const auto passages = SplitPassages(Doc({{"", text}}));
  ASSERT_EQ(passages.size(), 1u);
  EXPECT_EQ(passages[0].text,
            "- dash item\n- star item\n- bullet item\n- numbered item\n"
            "- paren item continued on an indented line");
}

TEST(PassageSplitterTest, LongParagraphIsCutAtSentenceEnds) {
  const PassageOptions options;  // target 110, max 220, min 30
  std::string paragraph;
  for (size_t i = 0; i < 60; ++i) {
    if (i) paragraph += ' ';
    paragraph += Sentence(10 + i % 7, i);  // 10..16 words, all shorter than target
  }
  ASSERT_GT(CountWords(paragraph), 3 * options.max_words);
  const auto passages = SplitPassages(Doc({{"Long", paragraph}}), options);
  ASSERT_GE(passages.size(), 3u);
  std::string joined;
  for (const Passage& p : passages) {
    SCOPED_TRACE(p.text.substr(0, 40));
    EXPECT_LE(CountWords(p.text), options.max_words);
    if (&p != &passages.back()) {
      EXPECT_GE(CountWords(p.text), options.target_words - 16);
    }
    EXPECT_EQ(p.text.rfind("Sentence", 0), 0u) << "starts mid-sentence";
    EXPECT_EQ(p.text.back(), '.') << "ends mid-sentence";
    EXPECT_EQ(p.heading, "Long");
    if (!joined.empty()) joined += ' ';
    joined += p.text;
  }
  EXPECT_EQ(Squeeze(joined), paragraph);  // nothing lost, nothing repeated, in order
}

TEST(PassageSplitterTest, SentenceCutsNeedCapitalOrDigitAfterThePeriod) {
  PassageOptions options;
  options.target_words = 10;
  options.max_words = 20;
  options.min_words = 1;
  // "e.g. the" and "approx. five" are not sentence ends.
  const std::string a = "Drugs e.g. the ones named here work well for most adults today.";
  const std::string b = "Doses approx. five to ten mg work well for most people here.";
  const std::string c = "2 more sentences follow and this one ends the long paragraph.";
  const auto passages = SplitPassages(Doc({{"", a + " " + b + " " + c}}), options);
  ASSERT_EQ(passages.size(), 3u);
  EXPECT_EQ(passages[0].text, a);
  EXPECT_EQ(passages[1].text, b);
  EXPECT_EQ(passages[2].text, c);
}

TEST(PassageSplitterTest, ShortTailMergesIntoThePreviousPassage) {
  const PassageOptions options;  // target 110, max 220, min 30
  const std::string head = Words(120, "a");
  const auto merged = SplitPassages(Doc({{"S", head + "\n\n" + Words(10, "t")}}), options);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].text, head + "\n\n" + Words(10, "t"));

  // A tail of min_words or more stands alone.
  const auto separate = SplitPassages(Doc({{"S", head + "\n\n" + Words(40, "t")}}), options);
  ASSERT_EQ(separate.size(), 2u);
  EXPECT_EQ(separate[0].text, head);
  EXPECT_EQ(separate[1].text, Words(40, "t"));

  // A short tail that would push the passage past max_words stays apart.
  const std::string big = Words(215, "b");
  const auto apart = SplitPassages(Doc({{"S", big + "\n\n" + Words(10, "t")}}), options);
  ASSERT_EQ(apart.size(), 2u);
  EXPECT_EQ(apart[1].text, Words(10, "t"));
}

TEST(PassageSplitterTest, ParagraphsAccumulateUntilTarget) {
  const PassageOptions options;  // target 110, max 220
  // Four 40-word paragraphs: the passage closes once it has reached 110.
  std::string text;
  for (int i = 0; i < 4; ++i) text += Words(40, "p" + std::to_string(i)) + "\n\n";
  const auto passages = SplitPassages(Doc({{"S", text}}), options);
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(CountWords(passages[0].text), 120u);
  EXPECT_EQ(CountWords(passages[1].text), 40u);
  for (const Passage& p : passages) EXPECT_LE(CountWords(p.text), options.max_words);
}

// A long paragraph with no sentence end the splitter recognises (no
// punctuation, or sentences starting lower-case) is cut hard at word
// boundaries: no passage exceeds max_words, and no word is lost.
TEST(PassageSplitterTest, UnpunctuatedOrLowerCaseSentencesAreCutAtMaxWords) {
  constexpr size_t kWords = 30000;
  for (const std::string word : {"okapi", "okapi."}) {
    SCOPED_TRACE(word);
    std::string text;
    text.reserve(kWords * (word.size() + 1));
    for (size_t i = 0; i < kWords; ++i) {
      if (i) text += ' ';
      text += word;
    }
    for (const PassageOptions& options : {PassageOptions{}, PassageOptions{10, 25, 5}}) {
      SCOPED_TRACE("max_words " + std::to_string(options.max_words));
      const auto passages = SplitPassages(Doc({{"Long", text}}), options);
      ASSERT_GE(passages.size(), kWords / options.max_words);
      size_t total = 0;
      bool whole_words = true;
      for (const Passage& p : passages) {
        const size_t n = CountWords(p.text);
        EXPECT_LE(n, options.max_words);
        EXPECT_GT(n, 0u);
        total += n;
        // Cuts fall between words: every word is intact.
        std::string squeezed = Squeeze(p.text) + " ";
        for (size_t at = 0; at < squeezed.size(); at += word.size() + 1) {
          whole_words &= squeezed.compare(at, word.size() + 1, word + " ") == 0;
        }
      }
      EXPECT_TRUE(whole_words);
      EXPECT_EQ(total, kWords);
    }
  }
}

}  // namespace
}  // namespace clinsearch
