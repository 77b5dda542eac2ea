// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/synonym_miner.h"

#include <gtest/gtest.h>

namespace clinsearch {
namespace {

TEST(SynonymMinerTest, SchwartzHearstLongForms) {
  struct Case {
    const char* sf;
    const char* before;
    const char* want;
  } cases[] = {
      {"SRS", "Many tumors are treated with stereotactic radiosurgery ",
       "stereotactic radiosurgery"},
      {"cEBRT", "It is called conventional external beam radiation therapy ",
       "conventional external beam radiation therapy"},
      {"NSAIDs", "pain relievers such as nonsteroidal anti-inflammatory drugs ",
       "nonsteroidal anti-inflammatory drugs"},
      {"RFA", "the tumor. Radiofrequency ablation ", "Radiofrequency ablation"},
      {"CT", "a scan of the tomography ", ""},  // no word starts with c
      {"HIV", "People with human immunodeficiency virus ", "human immunodeficiency virus"},
      {"AB", "nothing matches here ", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(SynonymMiner::LongFormFor(c.sf, c.before), c.want) << c.sf;
  }
}

TEST(SynonymMinerTest, ScanFindsAbbreviationsAndAlsoCalled) {
  SynonymMiner m;
  m.Scan("Doctors may use stereotactic body radiation therapy (SBRT) for spine tumors.", "Spine");
  m.Scan("Summary: High blood pressure is common. Also called: HBP, Hypertension",
         "High Blood Pressure");
  EXPECT_EQ(m.DictionaryText(),
            "[stereotactic body radiation therapy]\nabbr: SBRT\n\n"
            "[High Blood Pressure]\nsyn: HBP, Hypertension\n\n");
}

TEST(SynonymMinerTest, AmbiguousShortFormNeedsAClearWinner) {
  SynonymMiner m;
  m.Scan("radiofrequency ablation (RFA) heats.", "a");
  m.Scan("the right femoral artery (RFA) is used.", "b");
  EXPECT_EQ(m.DictionaryText(), "");
  m.Scan("radiofrequency ablation (RFA) again.", "c");
  EXPECT_EQ(m.DictionaryText(), "[radiofrequency ablation]\nabbr: RFA\n\n");
}

TEST(SynonymMinerTest, MergeKeepsEarlierFindings) {
  SynonymMiner first;
  first.Scan("human immunodeficiency virus (HIV) attacks.", "x");
  SynonymMiner second;
  second.Merge(first.DictionaryText());
  EXPECT_EQ(second.DictionaryText(), first.DictionaryText());
}

}  // namespace
}  // namespace clinsearch
