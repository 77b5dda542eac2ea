// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for clinsearch::WordSet and WordLists (analysis/word_lists.h).
#include "analysis/word_lists.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace clinsearch {
namespace {

TEST(WordSetTest, KeepsFilteredLinesCutAtSlashSortedOnce) {
  WordSet set;
  set.Load("zebra\nabl/XY\nAlpha\nzebra\nmid", [](std::string_view w) { return w != "Alpha"; });
  EXPECT_EQ(set.size(), 3u);  // zebra once, abl, mid
  EXPECT_TRUE(set.Contains("abl"));
  EXPECT_FALSE(set.Contains("abl/XY"));
  EXPECT_TRUE(set.Contains("zebra"));
  EXPECT_TRUE(set.Contains("mid"));  // last line without a newline
  EXPECT_FALSE(set.Contains("Alpha"));
}

TEST(WordListsTest, StopwordsAreCommonAndCommonWordsAreKnown) {
  WordLists lists;
  lists.stopwords.insert("the");
  lists.common.Load("house\n", [](std::string_view) { return true; });
  lists.medical.Load("ablation\n", [](std::string_view) { return true; });
  EXPECT_TRUE(lists.IsStopword("the"));
  EXPECT_FALSE(lists.IsStopword("house"));
  EXPECT_TRUE(lists.IsCommonWord("the"));
  EXPECT_TRUE(lists.IsCommonWord("house"));
  EXPECT_FALSE(lists.IsCommonWord("ablation"));
  EXPECT_TRUE(lists.IsKnownWord("ablation"));
  EXPECT_TRUE(lists.IsKnownWord("the"));
  EXPECT_FALSE(lists.IsKnownWord("hemmoroids"));
}

TEST(WordListsTest, SharedListsAreReadOncePerPathsAndMissingFilesAreEmpty) {
  const auto a = SharedWordLists("/nonexistent/words", "/nonexistent/medical");
  const auto b = SharedWordLists("/nonexistent/words", "/nonexistent/medical");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(a->common.size(), 0u);
  EXPECT_TRUE(a->IsStopword("the"));
  EXPECT_EQ(a->common_count, a->stopwords.size());
}

}  // namespace
}  // namespace clinsearch
