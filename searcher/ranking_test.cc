// SPDX-License-Identifier: GPL-2.0-or-later
// TieStableWindow(): ties settled by document then passage, windows that
// widen while the cut falls inside a tie, and pages that neither repeat nor
// skip a match. A fake matcher stands in for Xapian's Enquire.
#include "searcher/ranking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace clinsearch {
namespace {

// Answers like Enquire::get_mset(0, window) with a relevance-then-value
// sort: by exact weight, highest first, then by key. Records each window.
class FakeMatcher {
 public:
  void Add(double weight, std::string key, Xapian::docid docid) {
    all_.push_back({weight, std::move(key), docid});
    std::stable_sort(all_.begin(), all_.end(), [](const ScoredMatch& a, const ScoredMatch& b) {
      if (a.weight != b.weight) return a.weight > b.weight;
      return a.key < b.key;
    });
  }

  FetchMatches Fetch() {
    return [this](size_t window) {
      windows_.push_back(window);
      last_.assign(all_.begin(),
                   all_.begin() + static_cast<std::ptrdiff_t>(std::min(window, all_.size())));
      return last_;
    };
  }

  // The docids of a page, in order.
  std::vector<Xapian::docid> Page(size_t offset, size_t limit, bool several = false) {
    std::vector<Xapian::docid> out;
    for (const RankedMatch& r : TieStableWindow(offset, limit, several, Fetch())) {
      out.push_back(r.docid);
    }
    return out;
  }

  const std::vector<size_t>& windows() const { return windows_; }
  const std::vector<ScoredMatch>& last() const { return last_; }
  void ClearWindows() { windows_.clear(); }

 private:
  std::vector<ScoredMatch> all_;
  std::vector<size_t> windows_;
  std::vector<ScoredMatch> last_;
};

// Last-place noise: `k` units of 1e-15 below 1.0, as one score may differ
// between an index and its shards.
double Noisy(double score, int k) { return score - k * 1e-15; }

TEST(RoundScoreTest, KeepsTwelveSignificantDigits) {
  EXPECT_NE(0.1 + 0.2, 0.3);
  EXPECT_EQ(RoundScore(0.1 + 0.2), RoundScore(0.3));
  EXPECT_EQ(RoundScore(Noisy(1.0, 3)), 1.0);
  EXPECT_EQ(RoundScore(1.23456789012345), 1.23456789012);
  EXPECT_NE(RoundScore(1.00000000001), RoundScore(1.00000000002));
  EXPECT_EQ(RoundScore(12345.6789012345), 12345.6789012);
}

TEST(TieStableWindowTest, TiesAtTheCutAreSettledByKeyThenDocid) {
  FakeMatcher m;
  m.Add(2.0, "m", 1);
  // Equal but for noise; the matcher's order is d9, b5, b3, a7.
  m.Add(Noisy(1.0, 0), "d", 9);
  m.Add(Noisy(1.0, 1), "b", 5);
  m.Add(Noisy(1.0, 2), "b", 3);
  m.Add(Noisy(1.0, 3), "a", 7);
  m.Add(0.5, "c", 2);
  EXPECT_EQ(m.Page(0, 3), (std::vector<Xapian::docid>{1, 7, 3}));
  EXPECT_EQ(m.Page(3, 3), (std::vector<Xapian::docid>{5, 9, 2}));
  const std::vector<RankedMatch> page = TieStableWindow(0, 2, false, m.Fetch());
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[1].score, 1.0);  // rounded
  EXPECT_EQ(page[1].key, "a");
}

TEST(TieStableWindowTest, WindowWidensWhileTheCutFallsInATie) {
  FakeMatcher m;
  // 50 tied matches; the smallest keys come last in the matcher's order.
  for (int i = 0; i < 50; ++i) {
    m.Add(Noisy(1.0, i), "k" + std::to_string(200 - i), static_cast<Xapian::docid>(100 + i));
  }
  for (int i = 0; i < 10; ++i)
    m.Add(0.5, "z" + std::to_string(i), static_cast<Xapian::docid>(i + 1));
  const std::vector<Xapian::docid> page = m.Page(0, 10);
  EXPECT_EQ(m.windows(), (std::vector<size_t>{11, 22, 44, 88}));
  EXPECT_EQ(page, (std::vector<Xapian::docid>{149, 148, 147, 146, 145, 144, 143, 142, 141, 140}));
}

TEST(TieStableWindowTest, WindowStopsAtTheFirstScoreBelowTheTie) {
  FakeMatcher m;
  for (int i = 0; i < 15; ++i) {
    m.Add(Noisy(1.0, i), "k" + std::to_string(i), static_cast<Xapian::docid>(i + 1));
  }
  for (int i = 0; i < 20; ++i)
    m.Add(0.5, "z" + std::to_string(i), static_cast<Xapian::docid>(i + 100));
  m.Page(0, 10);
  EXPECT_EQ(m.windows(), (std::vector<size_t>{11, 22}));
  m.ClearWindows();
  m.Page(5, 10);  // cut at 15: the last tied match; the next one is lower
  EXPECT_EQ(m.windows(), (std::vector<size_t>{16}));
}

TEST(TieStableWindowTest, SeveralDatabasesStartWithSlack) {
  FakeMatcher m;
  for (int i = 0; i < 15; ++i) {
    m.Add(Noisy(1.0, i), "k" + std::to_string(i), static_cast<Xapian::docid>(i + 1));
  }
  for (int i = 0; i < 20; ++i)
    m.Add(0.5, "z" + std::to_string(i), static_cast<Xapian::docid>(i + 100));
  m.Page(0, 10, /*several=*/true);
  EXPECT_EQ(m.windows(), (std::vector<size_t>{20}));
}

TEST(TieStableWindowTest, AnEndlessTieStopsWidening) {
  std::vector<size_t> windows;
  const FetchMatches endless = [&](size_t window) {
    windows.push_back(window);
    std::vector<ScoredMatch> out(window);
    for (size_t i = 0; i < window; ++i) out[i] = {1.0, "k", static_cast<Xapian::docid>(i + 1)};
    return out;
  };
  const std::vector<RankedMatch> page = TieStableWindow(0, 10, false, endless);
  ASSERT_FALSE(windows.empty());
  EXPECT_EQ(windows.front(), 11u);
  EXPECT_GE(windows.back(), 100000u);
  EXPECT_LT(windows[windows.size() - 2], 100000u);
  EXPECT_EQ(page.size(), 10u);
  EXPECT_EQ(page.front().docid, 1u);
}

TEST(TieStableWindowTest, EmptyPagesAskOnceAndGiveNothing) {
  FakeMatcher m;
  for (int i = 0; i < 5; ++i) m.Add(1.0, "k", static_cast<Xapian::docid>(i + 1));
  EXPECT_TRUE(m.Page(0, 0).empty());
  EXPECT_EQ(m.windows(), (std::vector<size_t>{1}));
  EXPECT_TRUE(m.Page(5, 10).empty());
  EXPECT_TRUE(m.Page(50, 10).empty());
}

TEST(TieStableWindowTest, IndexPointsIntoTheLastList) {
  FakeMatcher m;
  for (int i = 0; i < 30; ++i) {
    m.Add(Noisy(1.0, i % 7), "k" + std::to_string(i % 4), static_cast<Xapian::docid>(i + 1));
  }
  const std::vector<RankedMatch> page = TieStableWindow(3, 8, false, m.Fetch());
  ASSERT_EQ(page.size(), 8u);
  for (const RankedMatch& r : page) {
    ASSERT_LT(r.index, m.last().size());
    EXPECT_EQ(m.last()[r.index].docid, r.docid);
    EXPECT_EQ(m.last()[r.index].key, r.key);
  }
}

// Every page size, with ties of several sizes and noise: the pages joined
// are the whole ranking, with no match twice and none left out.
TEST(TieStableWindowTest, PagesNeverRepeatOrSkipHits) {
  FakeMatcher m;
  std::vector<ScoredMatch> expected;
  for (int i = 0; i < 200; ++i) {
    const double score = 1.0 + (i * 7 % 5) * 0.25;  // five levels
    const std::string key = "d" + std::to_string(i * 13 % 37);
    const auto docid = static_cast<Xapian::docid>(i + 1);
    m.Add(Noisy(score, i % 9), key, docid);
    expected.push_back({score, key, docid});
  }
  std::sort(expected.begin(), expected.end(), [](const ScoredMatch& a, const ScoredMatch& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    if (a.key != b.key) return a.key < b.key;
    return a.docid < b.docid;
  });
  std::vector<Xapian::docid> want;
  for (const ScoredMatch& e : expected) want.push_back(e.docid);
  for (const bool several : {false, true}) {
    for (size_t size : {1, 3, 7, 10, 50, 199, 200, 1000}) {
      std::vector<Xapian::docid> joined;
      for (size_t offset = 0; offset < 300; offset += size) {
        const std::vector<Xapian::docid> page = m.Page(offset, size, several);
        joined.insert(joined.end(), page.begin(), page.end());
      }
      EXPECT_EQ(joined, want) << "page size " << size << (several ? ", several databases" : "");
      EXPECT_EQ(std::set<Xapian::docid>(joined.begin(), joined.end()).size(), 200u);
    }
  }
}

}  // namespace
}  // namespace clinsearch
