// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for clinsearch::ConceptMatcher (analysis/concept_matcher.h).
#include "analysis/concept_matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/analyzer.h"

namespace clinsearch {
namespace {

const Analyzer& SharedAnalyzer() {
  static const Analyzer* analyzer = new Analyzer();
  return *analyzer;
}

// "first..last:concept" for each match of `text`.
std::vector<std::string> Matches(const ConceptMatcher& matcher, const std::string& text,
                                 bool include_lay = true, const TermSet* first_keys = nullptr) {
  std::vector<std::string> out;
  for (const DictionaryMatch& m :
       matcher.Match(SharedAnalyzer().Analyze(text), include_lay, first_keys)) {
    out.push_back(std::to_string(m.first) + ".." + std::to_string(m.last) + ":" +
                  std::to_string(m.concept_id));
  }
  return out;
}

TEST(ConceptMatcherTest, HeaderExample) {
  ConceptMatcher matcher;
  matcher.Reset(1);
  matcher.Add(SharedAnalyzer().Analyze("radio-frequency ablation"), 0, Relation::kName);
  EXPECT_EQ(Matches(matcher, "RFA is radiofrequency ablation"), std::vector<std::string>{"2..3:0"});
  // The parts spelled apart, or joined by a hyphen (the last token matched
  // is then the part "ablation", after the compound token).
  EXPECT_EQ(Matches(matcher, "radio frequency ablation"), std::vector<std::string>{"0..2:0"});
  EXPECT_EQ(Matches(matcher, "radio-frequency ablation"), std::vector<std::string>{"0..3:0"});
}

TEST(ConceptMatcherTest, EmptyMatcherMatchesNothing) {
  ConceptMatcher matcher;
  EXPECT_TRUE(Matches(matcher, "anything at all").empty());
  matcher.Reset(3);
  EXPECT_TRUE(Matches(matcher, "anything at all").empty());
  EXPECT_TRUE(matcher.FirstKeys(2).empty());
}

TEST(ConceptMatcherTest, LongestFirstOncePerConceptAndStart) {
  ConceptMatcher matcher;
  matcher.Reset(2);
  matcher.Add(SharedAnalyzer().Analyze("bone"), 0, Relation::kName);
  matcher.Add(SharedAnalyzer().Analyze("bone pain"), 0, Relation::kSynonym);
  matcher.Add(SharedAnalyzer().Analyze("bone"), 1, Relation::kSynonym);
  EXPECT_EQ(Matches(matcher, "bone pain"), (std::vector<std::string>{"0..1:0", "0..0:1"}));
}

TEST(ConceptMatcherTest, LayNamesOnlyWhenIncludedAndBothWayWins) {
  ConceptMatcher matcher;
  matcher.Reset(2);
  matcher.Add(SharedAnalyzer().Analyze("freeze"), 0, Relation::kLay);
  matcher.Add(SharedAnalyzer().Analyze("chill"), 1, Relation::kLay);
  matcher.Add(SharedAnalyzer().Analyze("chill"), 1, Relation::kSynonym);
  EXPECT_EQ(Matches(matcher, "freeze chill"), (std::vector<std::string>{"0..0:0", "1..1:1"}));
  EXPECT_EQ(Matches(matcher, "freeze chill", false), std::vector<std::string>{"1..1:1"});
}

TEST(ConceptMatcherTest, CapitalAcronymNameMatchesOnlyCapitals) {
  ConceptMatcher matcher;
  matcher.Reset(1);
  matcher.Add(SharedAnalyzer().Analyze("Patients with AIDS"), 0, Relation::kName);
  EXPECT_EQ(matcher.FirstKeys(0), std::vector<std::string>{"patient"});
  EXPECT_EQ(Matches(matcher, "patients with AIDS"), std::vector<std::string>{"0..2:0"});
  EXPECT_TRUE(Matches(matcher, "patients with aids").empty());
}

TEST(ConceptMatcherTest, FirstKeysFilterTheStarts) {
  ConceptMatcher matcher;
  matcher.Reset(2);
  matcher.Add(SharedAnalyzer().Analyze("bone pain"), 0, Relation::kName);
  matcher.Add(SharedAnalyzer().Analyze("pain"), 1, Relation::kName);
  TermSet keys;
  for (const std::string& k : matcher.FirstKeys(1)) keys.insert(k);
  EXPECT_EQ(Matches(matcher, "bone pain", true, &keys), std::vector<std::string>{"1..1:1"});
  EXPECT_EQ(Matches(matcher, "bone pain"), (std::vector<std::string>{"0..1:0", "1..1:1"}));
}

TEST(ConceptMatcherTest, ManyHyphensKeepAHandfulOfSpellings) {
  ConceptMatcher matcher;
  matcher.Reset(1);
  // Ten hyphenated pairs: 1024 spellings, of which 16 are kept. The one with
  // every part apart comes first, so it always matches.
  std::string name, apart;
  for (int i = 0; i < 10; ++i) {
    const std::string a(1, static_cast<char>('a' + i)), b(1, static_cast<char>('k' + i));
    name += "x" + a + "x-y" + b + "y ";
    apart += "x" + a + "x y" + b + "y ";
  }
  matcher.Add(SharedAnalyzer().Analyze(name), 0, Relation::kName);
  EXPECT_EQ(Matches(matcher, apart), std::vector<std::string>{"0..19:0"});
  EXPECT_EQ(matcher.FirstKeys(0), std::vector<std::string>{"xax"});
}

}  // namespace
}  // namespace clinsearch
