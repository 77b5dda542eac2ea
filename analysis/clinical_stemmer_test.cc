// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for clinsearch::ClinicalStemmer (analysis/clinical_stemmer.h).
#include "analysis/clinical_stemmer.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <string_view>

#include "analysis/word_lists.h"

namespace clinsearch {
namespace {

// Word lists with a few ordinary words and no files.
WordLists SmallLists() {
  WordLists lists;
  lists.stopwords.insert("the");
  lists.common.Load("disease\ndiagnosis\nmetastasis\ndose\nhepatic\n",
                    [](std::string_view w) { return !w.empty(); });
  return lists;
}

TEST(ClinicalStemmerTest, ItisWordsStayWhole) {
  const WordLists lists = SmallLists();
  const ClinicalStemmer stemmer(lists);
  EXPECT_EQ(stemmer.Stem("hepatitis"), "hepatitis");
  EXPECT_EQ(stemmer.Stem("sinusitis"), "sinusitis");
  EXPECT_NE(stemmer.Stem("hepatic"), stemmer.Stem("hepatitis"));
  // Too short to be an inflammation: stemmed as usual.
  EXPECT_EQ(stemmer.Stem("itis"), Xapian::Stem("english")("itis"));
}

TEST(ClinicalStemmerTest, GreekPluralStemsLikeItsKnownSingular) {
  const WordLists lists = SmallLists();
  const ClinicalStemmer stemmer(lists);
  EXPECT_EQ(stemmer.Stem("metastases"), stemmer.Stem("metastasis"));
  EXPECT_EQ(stemmer.Stem("diagnoses"), stemmer.Stem("diagnosis"));
}

TEST(ClinicalStemmerTest, PluralOfAnSeWordOrUnknownSingularIsPlainSnowball) {
  const WordLists lists = SmallLists();
  const ClinicalStemmer stemmer(lists);
  const Xapian::Stem snowball("english");
  EXPECT_EQ(stemmer.Stem("diseases"), snowball("diseases"));  // "disease" is a word
  EXPECT_EQ(stemmer.Stem("doses"), snowball("doses"));
  EXPECT_EQ(stemmer.Stem("prostheses"), snowball("prostheses"));  // "prosthesis" unknown here
  EXPECT_EQ(stemmer.Stem("treatments"), snowball("treatments"));
}

}  // namespace
}  // namespace clinsearch
