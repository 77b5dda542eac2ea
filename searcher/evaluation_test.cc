// SPDX-License-Identifier: GPL-2.0-or-later
#include "clinsearch/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace clinsearch {
namespace {

// Judgments: a=3, b=2, c=1, d=0; e unjudged.
const std::map<std::string, int> kJudged = {{"a", 3}, {"b", 2}, {"c", 1}, {"d", 0}};

TEST(ScoreRankingTest, PerfectRankingHasNdcgOne) {
  const QueryScore s = ScoreRanking({"a", "b", "c", "d"}, kJudged);
  EXPECT_TRUE(s.scored);
  EXPECT_DOUBLE_EQ(s.ndcg10, 1.0);
  EXPECT_DOUBLE_EQ(s.rr10, 1.0);
  EXPECT_DOUBLE_EQ(s.p5, 2.0 / 5);
  EXPECT_DOUBLE_EQ(s.recall100, 1.0);
  EXPECT_EQ(s.first_grade, 3);
}

TEST(ScoreRankingTest, HandComputedValues) {
  // Ranking e, c, b: gains 0, 1, 3 at ranks 1..3.
  const QueryScore s = ScoreRanking({"e", "c", "b"}, kJudged);
  const double dcg = 1 / std::log2(3.0) + 3 / std::log2(4.0);
  const double idcg = 7 + 3 / std::log2(3.0) + 1 / std::log2(4.0);
  EXPECT_NEAR(s.ndcg10, dcg / idcg, 1e-12);
  EXPECT_DOUBLE_EQ(s.rr10, 1.0 / 3);  // b is the first grade >= 2
  EXPECT_DOUBLE_EQ(s.p5, 1.0 / 5);
  EXPECT_DOUBLE_EQ(s.recall100, 1.0 / 2);  // b of {a, b}
  EXPECT_EQ(s.first_grade, 0);
}

TEST(ScoreRankingTest, OnlyTheTopTenCountForNdcgAndMrr) {
  std::vector<std::string> ranking(10, "");
  for (int i = 0; i < 10; ++i) ranking[i] = "x" + std::to_string(i);
  ranking.push_back("a");  // rank 11
  const QueryScore s = ScoreRanking(ranking, kJudged);
  EXPECT_DOUBLE_EQ(s.ndcg10, 0.0);
  EXPECT_DOUBLE_EQ(s.rr10, 0.0);
  EXPECT_DOUBLE_EQ(s.recall100, 0.5);  // but Recall@100 sees it
}

TEST(ScoreRankingTest, NoRelevantAnswerIsUnscored) {
  const QueryScore s = ScoreRanking({"c"}, {{"c", 1}, {"d", 0}});
  EXPECT_FALSE(s.scored);
  EXPECT_EQ(s.first_grade, 1);
}

TEST(ScoreRankingTest, EmptyRanking) {
  const QueryScore s = ScoreRanking({}, kJudged);
  EXPECT_DOUBLE_EQ(s.ndcg10, 0.0);
  EXPECT_EQ(s.first_grade, 0);
}

}  // namespace
}  // namespace clinsearch
