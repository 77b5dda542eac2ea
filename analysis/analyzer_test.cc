// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for clinsearch::Analyzer (analysis/analyzer.h).
#include "analysis/analyzer.h"

#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <string_view>
#include <vector>

namespace clinsearch {
namespace {

// One Analyzer for the whole file: loading the word list is the slow part.
const Analyzer& Shared() {
  static const Analyzer* analyzer = new Analyzer();
  return *analyzer;
}

std::vector<std::string> Words(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) {
    if (!t.compound) out.push_back(t.word);
  }
  return out;
}

// "term@position" for every token, compounds marked with a '+'.
std::vector<std::string> Layout(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) {
    out.push_back((t.compound ? "+" : "") + t.term + "@" + std::to_string(t.position));
  }
  return out;
}

const Token* FindWord(const std::vector<Token>& tokens, std::string_view word) {
  for (const Token& t : tokens) {
    if (!t.compound && t.word == word) return &t;
  }
  return nullptr;
}

std::string Surface(std::string_view text, const Token& t) {
  return std::string(text.substr(t.begin, t.end - t.begin));
}

TEST(AnalyzerTest, HeaderExampleYieldsDocumentedTerms) {
  const auto tokens = Shared().Analyze("Radio-frequency ablation (RFA)");
  EXPECT_EQ(Layout(tokens), (std::vector<std::string>{"radio@0", "frequenc@1", "+radiofrequ@1",
                                                      "ablat@2", "rfa@3"}));
}

TEST(AnalyzerTest, SegmentationDropsPunctuationAndKeepsNumbers) {
  struct Case {
    const char* text;
    std::vector<std::string> words;
  };
  const Case cases[] = {
      {"Pain (grade 3), every 12 hours!", {"pain", "grade", "3", "every", "12", "hours"}},
      {"Take 2.5 mg; then stop.", {"take", "2.5", "mg", "then", "stop"}},
      {"\"Quoted\" -- text... ?!", {"quoted", "text"}},
      {"   ", {}},
      {"", {}},
      {"(),.;:!?", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Words(Shared().Analyze(c.text)), c.words);
  }
}

TEST(AnalyzerTest, FoldsCaseWidthAndDiacritics) {
  struct Case {
    const char* text;
    const char* word;
  };
  const Case cases[] = {
      {"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "abc"},  // full-width ＡＢＣ
      {"HeLLo", "hello"},
      {"caf\xC3\xA9", "cafe"},        // café
      {"Sj\xC3\xB6gren", "sjogren"},  // Sjögren
      {"na\xC3\xAFve", "naive"},      // naïve
      {"Stra\xC3\x9F"
       "e",
       "strasse"},  // Straße: case folding expands ß
      {"\xEF\xAC\x81"
       "brosis",
       "fibrosis"},  // ﬁ ligature (NFKC)
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto tokens = Shared().Analyze(c.text);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].word, c.word);
    EXPECT_EQ(Shared().Fold(c.text), c.word);
  }
}

TEST(AnalyzerTest, DiacriticsDoNotChangeTheTerm) {
  EXPECT_EQ(Shared().Analyze("Sj\xC3\xB6gren syndrome")[0].term,
            Shared().Analyze("sjogren syndrome")[0].term);
  EXPECT_EQ(Shared().Analyze("CAF\xC3\x89")[0].term, Shared().Analyze("cafe")[0].term);
}

TEST(AnalyzerTest, PossessivesAndApostrophesAreDropped) {
  struct Case {
    const char* text;
    std::vector<std::string> words;
  };
  const Case cases[] = {
      {"the patient's pain", {"the", "patient", "pain"}},
      {"the patient\xE2\x80\x99s pain", {"the", "patient", "pain"}},  // curly ’
      {"PATIENT'S", {"patient"}},
      {"don't", {"dont"}},
      {"don\xE2\x80\x99t", {"dont"}},
      {"the patients' rooms", {"the", "patients", "rooms"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Words(Shared().Analyze(c.text)), c.words);
  }
  // Straight and curly possessives give the same term as the bare word.
  EXPECT_EQ(Shared().Analyze("patient\xE2\x80\x99s")[0].term, Shared().Analyze("patient")[0].term);
  EXPECT_EQ(Shared().Fold("Patient's"), "patient");
}

TEST(AnalyzerTest, StemmingMergesInflections) {
  const auto one = Shared().Analyze("ablation");
  const auto many = Shared().Analyze("ablations");
  ASSERT_EQ(one.size(), 1u);
  ASSERT_EQ(many.size(), 1u);
  EXPECT_EQ(one[0].term, "ablat");
  EXPECT_EQ(many[0].term, one[0].term);
  EXPECT_EQ(many[0].word, "ablations");  // the word is kept unstemmed
  EXPECT_EQ(Shared().Stem("treatments"), Shared().Stem("treatment"));
}

TEST(AnalyzerTest, HyphenCompoundYieldsPartsAndJoinedForm) {
  const std::string text = "radio-frequency ablation";
  const auto tokens = Shared().Analyze(text);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].word, "radio");
  EXPECT_FALSE(tokens[0].compound);
  EXPECT_EQ(tokens[1].word, "frequency");
  EXPECT_FALSE(tokens[1].compound);
  const Token& joined = tokens[2];
  EXPECT_TRUE(joined.compound);
  EXPECT_EQ(joined.word, "radiofrequency");
  EXPECT_EQ(joined.term, Shared().Analyze("radiofrequency")[0].term);
  EXPECT_EQ(joined.position, tokens[1].position);
  EXPECT_EQ(Surface(text, joined), "radio-frequency");
  EXPECT_EQ(tokens[3].word, "ablation");
  EXPECT_EQ(tokens[3].position, 2u);
}

TEST(AnalyzerTest, HyphenChainsAndUnicodeHyphens) {
  struct Case {
    const char* text;
    std::vector<std::string> layout;
  };
  const Case cases[] = {
      {"non-small-cell cancer", {"non@0", "small@1", "cell@2", "+nonsmallcel@2", "cancer@3"}},
      {"radio\xE2\x80\x90"
       "frequency",
       {"radio@0", "frequenc@1", "+radiofrequ@1"}},  // U+2010
      {"radio\xE2\x80\x91"
       "frequency",
       {"radio@0", "frequenc@1", "+radiofrequ@1"}},  // U+2011
      // Spaced hyphens and other dashes do not join words.
      {"radio - frequency", {"radio@0", "frequenc@1"}},
      {"radio\xE2\x80\x94"
       "frequency",
       {"radio@0", "frequenc@1"}},  // em dash
      {"radio--frequency", {"radio@0", "frequenc@1"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Layout(Shared().Analyze(c.text)), c.layout);
  }
}

TEST(AnalyzerTest, PositionsAreConsecutiveFromFirstPosition) {
  for (uint32_t first : {0u, 7u, 2000u}) {
    SCOPED_TRACE(first);
    const auto tokens =
        Shared().Analyze("Bone pain, after well-known radio-frequency therapy.", first);
    std::vector<uint32_t> plain;
    for (const Token& t : tokens) {
      if (!t.compound) plain.push_back(t.position);
    }
    ASSERT_EQ(plain.size(), 8u);
    for (size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(plain[i], first + i);
  }
}

TEST(AnalyzerTest, OverlongWordIsDroppedWithoutLeavingAGap) {
  const std::string text = "before " + std::string(70, 'x') + " after";
  const auto tokens = Shared().Analyze(text);
  EXPECT_EQ(Layout(tokens), (std::vector<std::string>{"befor@0", "after@1"}));
}

TEST(AnalyzerTest, ByteOffsetsPointAtTheWords) {
  // Multi-byte characters of 2, 3 and 4 bytes (the emoji is a UTF-16
  // surrogate pair inside ICU) before and inside words.
  const std::string text =
      "na\xC3\xAFve caf\xC3\xA9 \xE2\x82\xAC 12 \xF0\x9F\x98\x80 pain \xEF\xBC\xA1\xEF\xBC\xA2 end";
  const auto tokens = Shared().Analyze(text);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"naive", "na\xC3\xAFve"},          {"cafe", "caf\xC3\xA9"}, {"12", "12"}, {"pain", "pain"},
      {"ab", "\xEF\xBC\xA1\xEF\xBC\xA2"}, {"end", "end"},
  };
  ASSERT_EQ(tokens.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].first);
    EXPECT_EQ(tokens[i].word, expected[i].first);
    EXPECT_EQ(Surface(text, tokens[i]), expected[i].second);
  }
  EXPECT_EQ(tokens.back().end, text.size());
}

TEST(AnalyzerTest, AcronymOnlyForCapitalisedCommonWordInMixedText) {
  const auto aids = Shared().Analyze("People with AIDS need care");
  const Token* t = FindWord(aids, "aids");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->acronym, "XAaids");
  EXPECT_EQ(t->term, Shared().Analyze("aids")[0].term);  // the plain term stays too

  const auto hearing = Shared().Analyze("People with hearing aids need care");
  t = FindWord(hearing, "aids");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->acronym, "");
  for (const Token& token : hearing) EXPECT_EQ(token.acronym, "") << token.word;

  // Not an ordinary English word: no acronym term, matched by its stem.
  const auto nsaid = Shared().Analyze("Patients taking NSAID drugs");
  t = FindWord(nsaid, "nsaid");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->acronym, "");
  // Single capitals and capitalised words are not acronyms.
  for (const Token& token : Shared().Analyze("I think Pet owners are fine")) {
    EXPECT_EQ(token.acronym, "") << token.word;
  }
}

TEST(AnalyzerTest, MatchTermIsTheAcronymWhenThereIsOneElseTheStem) {
  const auto tokens = Shared().Analyze("People with AIDS use hearing aids");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[2].MatchTerm(), "XAaids");  // capitals: the acronym only
  EXPECT_EQ(tokens[5].MatchTerm(), tokens[5].term);
  EXPECT_EQ(tokens[5].acronym, "");
}

TEST(AnalyzerTest, TermsAndMatchTermsLeaveOutHyphenCompounds) {
  const std::string text = "Radio-frequency ablation for ALL";
  EXPECT_EQ(Shared().Terms(text),
            (std::vector<std::string>{"radio", "frequenc", "ablat", "for", "all"}));
  EXPECT_EQ(Shared().MatchTerms(text),
            (std::vector<std::string>{"radio", "frequenc", "ablat", "for", "XAall"}));
  EXPECT_TRUE(Shared().Terms("").empty());
}

TEST(AnalyzerTest, ShoutingTextHasNoAcronyms) {
  const auto tokens = Shared().Analyze("WHAT IS ALL OF THIS");
  ASSERT_EQ(tokens.size(), 5u);
  for (const Token& t : tokens) EXPECT_EQ(t.acronym, "") << t.word;
  const Token* all = FindWord(tokens, "all");
  ASSERT_NE(all, nullptr);
  EXPECT_TRUE(all->stopword);
}

TEST(AnalyzerTest, AllAsAcronymIsNotAStopword) {
  const auto acronym = Shared().Analyze("Children with ALL receive chemotherapy");
  const Token* all = FindWord(acronym, "all");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->acronym, "XAall");
  EXPECT_FALSE(all->stopword);

  const auto word = Shared().Analyze("all children receive chemotherapy");
  all = FindWord(word, "all");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->acronym, "");
  EXPECT_TRUE(all->stopword);
  EXPECT_TRUE(FindWord(word, "receive") != nullptr && !FindWord(word, "receive")->stopword);
}

TEST(AnalyzerTest, WithoutWordListOnlyStopwordsBecomeAcronyms) {
  AnalyzerOptions options;
  options.common_words_path = "/nonexistent/clinsearch/words";
  const Analyzer bare(options);
  EXPECT_TRUE(bare.IsCommonWord("all"));
  EXPECT_FALSE(bare.IsCommonWord("aids"));
  const auto tokens = bare.Analyze("People with AIDS and ALL");
  EXPECT_EQ(FindWord(tokens, "aids")->acronym, "");
  EXPECT_EQ(FindWord(tokens, "all")->acronym, "XAall");
  // Different acronym behaviour: a different fingerprint.
  EXPECT_NE(bare.Fingerprint(), Shared().Fingerprint());
}

TEST(AnalyzerTest, WordListQueries) {
  EXPECT_TRUE(Shared().IsStopword("the"));
  EXPECT_TRUE(Shared().IsStopword("all"));
  EXPECT_FALSE(Shared().IsStopword("tumor"));
  EXPECT_TRUE(Shared().IsCommonWord("the"));
  EXPECT_TRUE(Shared().IsCommonWord("aids"));
  EXPECT_FALSE(Shared().IsCommonWord("nsaid"));
}

TEST(AnalyzerTest, FlagsAlphabeticAndStopwordTokens) {
  const auto tokens = Shared().Analyze("the tumor 12 covid19 caf\xC3\xA9");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_TRUE(tokens[0].stopword);
  EXPECT_TRUE(tokens[0].alphabetic);
  EXPECT_FALSE(tokens[1].stopword);
  EXPECT_TRUE(tokens[1].alphabetic);
  EXPECT_FALSE(tokens[2].alphabetic);
  EXPECT_FALSE(tokens[3].alphabetic);
  EXPECT_TRUE(tokens[4].alphabetic);
}

TEST(AnalyzerTest, AlphabeticRuleAllowsOnlyLowerCaseAsciiAndNonAsciiLetters) {
  EXPECT_TRUE(IsAlphabeticWord("tumor"));
  EXPECT_TRUE(IsAlphabeticWord("caf\xC3\xA9"));
  EXPECT_TRUE(IsAlphabeticWord(""));
  EXPECT_FALSE(IsAlphabeticWord("covid19"));
  EXPECT_FALSE(IsAlphabeticWord("Tumor"));  // folded words have no capitals
  EXPECT_FALSE(IsAlphabeticWord("x-ray"));
}

TEST(AnalyzerTest, InvalidUtf8DoesNotCrashAndKeepsValidWords) {
  const std::string inputs[] = {
      std::string("pain\xFF\xFE relief \xC3"),
      std::string("pain \xC0\xAF relief"),
      std::string("pain\0relief", 11),
      std::string("\xED\xA0\x80pain \xF8\x88\x80\x80\x80 relief\xE2\x82"),
  };
  for (const std::string& text : inputs) {
    SCOPED_TRACE(::testing::PrintToString(text));
    const auto tokens = Shared().Analyze(text);
    EXPECT_EQ(Words(tokens), (std::vector<std::string>{"pain", "relief"}));
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens[0].position, 0u);
    EXPECT_EQ(tokens[1].position, 1u);
  }
}

TEST(AnalyzerTest, OffsetsPointIntoTheInputEvenAfterInvalidBytes) {
  // Callers (QueryBuilder, the highlighter) cut words out of the string they
  // passed in with begin/end, so offsets must index that string, not the
  // internally repaired copy (each bad byte becomes 3 bytes of U+FFFD there).
  const std::string text = "\xFF\xFE pain \xC0 relief";
  const auto tokens = Shared().Analyze(text);
  ASSERT_EQ(tokens.size(), 2u);
  // Bytes: FF FE ' ' p a i n ' ' C0 ' ' r e l i e f (16 in all).
  EXPECT_EQ(tokens[0].begin, 3u);
  EXPECT_EQ(tokens[0].end, 7u);
  EXPECT_EQ(tokens[1].begin, 10u);
  EXPECT_EQ(tokens[1].end, 16u);
  EXPECT_EQ(Surface(text, tokens[0]), "pain");
  EXPECT_EQ(Surface(text, tokens[1]), "relief");
}

TEST(AnalyzerTest, CopyGivesSameResults) {
  const Analyzer copy(Shared());
  const char* texts[] = {"People with AIDS need radio-frequency ablation.",
                         "Sj\xC3\xB6gren's syndrome, caf\xC3\xA9 au lait", "WHAT IS ALL OF THIS"};
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    const auto a = Shared().Analyze(text, 5);
    const auto b = copy.Analyze(text, 5);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].term, b[i].term);
      EXPECT_EQ(a[i].word, b[i].word);
      EXPECT_EQ(a[i].acronym, b[i].acronym);
      EXPECT_EQ(a[i].position, b[i].position);
      EXPECT_EQ(a[i].begin, b[i].begin);
      EXPECT_EQ(a[i].end, b[i].end);
      EXPECT_EQ(a[i].compound, b[i].compound);
      EXPECT_EQ(a[i].stopword, b[i].stopword);
    }
  }
  EXPECT_EQ(copy.Fingerprint(), Shared().Fingerprint());
}

TEST(AnalyzerTest, FingerprintIsNonEmptyAndStable) {
  const std::string print = Shared().Fingerprint();
  EXPECT_FALSE(print.empty());
  Shared().Analyze("analysing text does not change the fingerprint");
  EXPECT_EQ(Shared().Fingerprint(), print);
  const Analyzer fresh;
  EXPECT_EQ(fresh.Fingerprint(), print);
}

TEST(SpellingKeyTest, SoundAlikesShareAKey) {
  EXPECT_EQ(SpellingKey("hemmoroids"), SpellingKey("hemorrhoids"));
  EXPECT_EQ(SpellingKey("haemorrhage"), SpellingKey("hemorrhage"));
  EXPECT_NE(SpellingKey("fever"), SpellingKey("liver"));
}

// The letter mask is a lower bound of the edit distance: masks more than
// 2k bits apart are never within k edits.
TEST(LetterMaskTest, BoundsTheEditDistance) {
  const std::pair<const char*, const char*> within_one[] = {
      {"ibuprofen", "ibuprofin"}, {"tumor", "tumour"}, {"cancer", "cacner"}, {"ache", "acne"}};
  for (const auto& [a, b] : within_one) {
    EXPECT_LE(std::popcount(LetterMask(a) ^ LetterMask(b)), 2) << a << " " << b;
  }
  EXPECT_GT(std::popcount(LetterMask("fever") ^ LetterMask("cough")), 4);
  EXPECT_EQ(LetterMask("abc"), LetterMask("cab"));
  EXPECT_NE(LetterMask("a1"), LetterMask("a"));  // other bytes count too
}

}  // namespace
}  // namespace clinsearch
