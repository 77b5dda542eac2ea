// SPDX-License-Identifier: GPL-2.0-or-later
#include "searcher/ranking.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace clinsearch {
namespace {

// Windows stop widening here, however long the tie: a bound on the work
// of one search.
constexpr size_t kMaxWindow = 100000;

// Whether `matches`, the answer to a window of `window`, must be asked for
// again wider: the window was filled, reaches past the cut, and its last
// match ties with the match at the cut.
bool CutFallsInTie(const std::vector<ScoredMatch>& matches, size_t window, size_t cut) {
  if (cut == 0 || matches.size() < window || matches.size() <= cut || window >= kMaxWindow) {
    return false;
  }
  return RoundScore(matches[window - 1].weight) == RoundScore(matches[cut - 1].weight);
}

// `matches` by rounded score, then key, then docid.
std::vector<RankedMatch> Rank(const std::vector<ScoredMatch>& matches) {
  std::vector<RankedMatch> ranked;
  ranked.reserve(matches.size());
  for (const ScoredMatch& m : matches) {
    ranked.push_back(
        {RoundScore(m.weight), m.key, m.docid, static_cast<Xapian::doccount>(ranked.size())});
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedMatch& a, const RankedMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.key != b.key) return a.key < b.key;
    return a.docid < b.docid;
  });
  return ranked;
}

}  // namespace

double RoundScore(double score) {
  char text[32];
  snprintf(text, sizeof text, "%.12g", score);
  return std::strtod(text, nullptr);
}

std::vector<RankedMatch> TieStableWindow(size_t offset, size_t limit, bool several_databases,
                                         const FetchMatches& fetch) {
  const size_t slack = several_databases ? 10 : 0;
  const size_t cut = offset + limit;  // results wanted, offset included
  size_t window = cut + std::max<size_t>(slack, 1);
  std::vector<ScoredMatch> matches = fetch(window);
  while (CutFallsInTie(matches, window, cut)) {
    window *= 2;
    matches = fetch(window);
  }
  std::vector<RankedMatch> ranked = Rank(matches);
  if (ranked.size() > cut) ranked.resize(cut);
  ranked.erase(ranked.begin(), ranked.begin() + std::min(ranked.size(), offset));
  return ranked;
}

}  // namespace clinsearch
