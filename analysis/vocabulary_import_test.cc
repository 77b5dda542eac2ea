// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/vocabulary_import.h"

#include <gtest/gtest.h>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"

namespace clinsearch {
namespace {

TEST(VocabularyImportTest, SynonymTsvBecomesConcepts) {
  std::vector<std::string> problems;
  const std::string text = ImportVocabulary(
      "doid\tname\tsynonyms(|)\nDOID:1\tpterygium\tsurfer's "
      "eye\nDOID:2\tangiosarcoma\themangiosarcoma|"
      "malignant hemangioendothelioma\nbroken line\n",
      "d.tsv", &problems);
  EXPECT_EQ(text,
            "[pterygium]\nsyn: surfer's eye\n\n[angiosarcoma]\nsyn: hemangiosarcoma, malignant "
            "hemangioendothelioma\n\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("d.tsv:4: ", 0), 0u) << problems[0];
}

TEST(VocabularyImportTest, DrugbankCsvSplitsSynonymsAndDropsCommaTerms) {
  std::vector<std::string> problems;
  const std::string text = ImportVocabulary(
      "DrugBank ID,Accession Numbers,Common name,CAS,UNII,Synonyms,Standard InChI Key\n"
      "DB1,X,Lepirudin,1,Y,\"[Leu1, Thr2]-63-desulfohirudin | Desulfatohirudin | Lepirudin\",\n",
      "drugs.csv", &problems);
  EXPECT_EQ(text, "[Lepirudin]\nsyn: Desulfatohirudin\n\n");
  EXPECT_TRUE(problems.empty());
}

TEST(VocabularyImportTest, AmbiguousAbbreviationsAreLeftOut) {
  std::vector<std::string> problems;
  const std::string text = ImportVocabulary(
      "Abbreviation/Shorthand,Meaning,More Info\nRFA,radiofrequency ablation,\n"
      "RFA,right femoral artery,\nSBRT,stereotactic body radiation therapy,\n",
      "abbr.csv", &problems);
  EXPECT_EQ(text, "[stereotactic body radiation therapy]\nabbr: SBRT\n\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("1 abbreviations with several meanings"), std::string::npos);
}

TEST(VocabularyImportTest, ShortCsvRecordsAreReportedAndBlankCrLfLinesSkipped) {
  std::vector<std::string> problems;
  EXPECT_EQ(ImportVocabulary("Common name,Synonyms\r\nAspirin,ASA | acetylsalicylic acid\r\n"
                             "\r\nIbuprofen\r\n",
                             "drugs.csv", &problems),
            "[Aspirin]\nsyn: ASA, acetylsalicylic acid\n\n");
  EXPECT_EQ(problems, std::vector<std::string>{"drugs.csv:4: too few fields; line skipped"});
  problems.clear();
  EXPECT_EQ(ImportVocabulary("Abbreviation,Meaning\nNSAID\nPET,positron emission tomography\n",
                             "abbr.csv", &problems),
            "[positron emission tomography]\nabbr: PET\n\n");
  EXPECT_EQ(problems, std::vector<std::string>{"abbr.csv:2: too few fields; line skipped"});
  EXPECT_EQ(ImportVocabulary("", "empty.tsv", &problems), "");
}

TEST(VocabularyImportTest, UnknownLayoutIsReported) {
  std::vector<std::string> problems;
  EXPECT_EQ(ImportVocabulary("a,b\n1,2\n", "x.csv", &problems), "");
  EXPECT_EQ(problems.size(), 1u);
}

TEST(VocabularyImportTest, CsvQuoting) {
  EXPECT_EQ(SplitCsvLine("a,\"b, c\",\"d \"\"e\"\"\","),
            (std::vector<std::string>{"a", "b, c", "d \"e\"", ""}));
}

TEST(VocabularyImportTest, ImportedConceptsExpandAndSurviveTheIndexRoundTrip) {
  Dictionary d;
  d.Parse(ImportVocabulary("id\tname\tsyns\nX\tpterygium\tsurfer's eye\n", "v.tsv", nullptr),
          "v.tsv (imported)");
  Dictionary copy = Dictionary::Deserialize(d.Serialize());
  Analyzer analyzer;
  copy.Compile(analyzer);
  const auto matches = copy.Match(analyzer.Analyze("what is surfer's eye"), false);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(copy.concepts()[matches[0].concept_id].name, "pterygium");
}

}  // namespace
}  // namespace clinsearch
