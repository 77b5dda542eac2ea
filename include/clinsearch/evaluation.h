// SPDX-License-Identifier: GPL-2.0-or-later
// Evaluation: runs a query set against an index and scores the ranking with
// TREC relevance judgments (qrels), the way ../shared/eval/score_qrels.py
// does, so content teams can measure a change before shipping it.
//
//   auto queries = clinsearch::ReadQueries("queries.tsv");   // ID<TAB>QUERY
//   auto qrels = clinsearch::ReadQrels("qrels.txt");         // QID 0 DOC GRADE
//   auto report = clinsearch::Evaluate(searcher, *queries, *qrels);
//   std::cout << report->ndcg10 << "\n";
//
// Documents, not passages, are judged: the passages of one document count
// once, at the best rank (the searcher collapses them). Grades: 0 wrong,
// 1 related, 2 incomplete, 3 excellent; unjudged documents count as 0.
// nDCG@10, MRR@10, P@5 and Recall@100 (grade >= 2 is right) are averaged
// over the queries that have at least one grade >= 2 answer; avgScore (the
// TREC LiveQA measure: grade of the first answer) over all judged queries.
#ifndef CLINSEARCH_EVALUATION_H_
#define CLINSEARCH_EVALUATION_H_

#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "clinsearch/export.h"
#include "clinsearch/searcher.h"
#include "clinsearch/status.h"

namespace clinsearch {

// One line of a query file, split at its first tab: "ID<TAB>QUERY", or a
// bare QUERY (then `id` is empty and `has_id` false).
struct QueryLine {
  std::string id;
  std::string query;
  bool has_id = false;
};

// Reads the next non-blank line of `in` (a trailing CR dropped) into *out,
// one line at a time so a pipe is answered as it is read. *line_no counts
// the lines read, blank ones included, for messages. False at the end.
CLINSEARCH_EXPORT bool ReadQueryLine(std::istream& in, size_t* line_no, QueryLine* out);

// (id, query) in file order. Lines "ID<TAB>QUERY"; blank lines skipped.
CLINSEARCH_EXPORT Result<std::vector<std::pair<std::string, std::string>>> ReadQueries(
    const std::string& path);

// qid -> (doc id -> grade). Lines "QID ITER DOC GRADE"; a malformed line
// fails with Corruption naming file and line.
using Qrels = std::map<std::string, std::map<std::string, int>>;
CLINSEARCH_EXPORT Result<Qrels> ReadQrels(const std::string& path);

struct QueryScore {
  std::string id;
  std::string query;
  bool scored = false;  // has a grade >= 2 answer (counts in the means)
  double ndcg10 = 0, rr10 = 0, p5 = 0, recall100 = 0;
  int first_grade = 0;               // grade of the first result (0 when none)
  std::vector<std::string> ranking;  // document ids, best first (up to 100)
};

struct EvalReport {
  size_t scored_queries = 0;  // queries in the means of nDCG, MRR, P@5, Recall
  size_t judged_queries = 0;  // queries in avgScore
  double ndcg10 = 0, mrr10 = 0, p5 = 0, recall100 = 0, avg_score = 0;
  std::vector<QueryScore> queries;  // in query-file order (judged queries only)
};

// Scores one ranking (document ids, best first) against one query's
// judgments. Pure: the metric definitions in one place, unit-tested.
QueryScore ScoreRanking(const std::vector<std::string>& ranking,
                        const std::map<std::string, int>& judged);

// Runs every query that has judgments and scores it. `options.limit` is
// raised to 100 documents. Fails only if a search fails for a reason other
// than the query having no searchable words (such a query scores 0).
CLINSEARCH_EXPORT Result<EvalReport> Evaluate(
    Searcher& searcher, const std::vector<std::pair<std::string, std::string>>& queries,
    const Qrels& qrels, SearchOptions options = {});

}  // namespace clinsearch

#endif  // CLINSEARCH_EVALUATION_H_
