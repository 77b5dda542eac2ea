// SPDX-License-Identifier: GPL-2.0-or-later
// Ranking: the tie-stable result window. Turns Xapian's ranked matches into
// one page of results whose order does not depend on rounding noise or on
// how the index is split into databases.
//
//   std::vector<RankedMatch> page = TieStableWindow(
//       offset, limit, several_databases, [&](size_t window) {
//         mset = enquire.get_mset(0, window);
//         return ...;  // each match's weight, sort key and docid, in order
//       });
//   for (const RankedMatch& r : page) Use(mset[r.index]);
//
// Contract:
// - Scores are rounded to 12 significant digits (RoundScore). A BM25 score
//   is a sum of floating-point parts whose order Xapian picks per database,
//   so one passage can score a few units in the last place differently on
//   one index and on its shards; 12 digits are far more than ranking needs
//   and far fewer than a double holds, so that noise rounds away.
// - Equal rounded scores are ordered by key (the document), then docid
//   (passage order within a document, in any shard): a tie is settled by
//   that order, never by the noise.
// - The window asked of Xapian is wider than offset + limit (the cut) and
//   is doubled while its last match ties with the match at the cut (up to
//   100000 matches), so every match that ties at the cut is ranked; pages
//   of one query therefore never repeat or skip a match.
// - Several databases (shards, or a stub listing several) widen the first
//   window by 10 matches of slack; one database's ties are exact and come
//   in key order already, so it asks for one match past the cut.
//
// Thread safety: stateless; `fetch` is called on the caller's thread.
#ifndef CLINSEARCH_SEARCHER_RANKING_H_
#define CLINSEARCH_SEARCHER_RANKING_H_

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace clinsearch {

// One match as the matcher returned it.
struct ScoredMatch {
  double weight = 0;        // the matcher's score, not rounded
  std::string key;          // the sort key: the document
  Xapian::docid docid = 0;  // within a document: passage order
};

// One match of the page, in final order.
struct RankedMatch {
  double score = 0;            // RoundScore(weight)
  std::string key;             // as in ScoredMatch
  Xapian::docid docid = 0;     // as in ScoredMatch
  Xapian::doccount index = 0;  // position in the last list `fetch` returned
};

// `score` to 12 significant digits.
double RoundScore(double score);

// Returns the top `window` matches (fewer when there are fewer), in the
// matcher's order: by weight, highest first. Each call runs the match anew.
using FetchMatches = std::function<std::vector<ScoredMatch>(size_t window)>;

// The matches ranked offset .. offset + limit - 1 (fewer at the end of the
// list), as the contract above describes. The caller caps `limit`.
std::vector<RankedMatch> TieStableWindow(size_t offset, size_t limit, bool several_databases,
                                         const FetchMatches& fetch);

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_RANKING_H_
