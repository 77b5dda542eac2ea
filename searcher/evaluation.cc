// SPDX-License-Identifier: GPL-2.0-or-later
#include "clinsearch/evaluation.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace clinsearch {

bool ReadQueryLine(std::istream& in, size_t* line_no, QueryLine* out) {
  for (std::string line; std::getline(in, line);) {
    ++*line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto tab = line.find('\t');
    out->has_id = tab != std::string::npos;
    out->id = out->has_id ? line.substr(0, tab) : std::string();
    out->query = out->has_id ? line.substr(tab + 1) : std::move(line);
    return true;
  }
  return false;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot read query file");
  std::vector<std::pair<std::string, std::string>> out;
  size_t n = 0;
  for (QueryLine q; ReadQueryLine(in, &n, &q);) {
    if (!q.has_id) {
      return Status::Corruption(path + ":" + std::to_string(n) + ": expected ID<TAB>QUERY");
    }
    out.emplace_back(std::move(q.id), std::move(q.query));
  }
  return out;
}

Result<Qrels> ReadQrels(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot read qrels file");
  Qrels qrels;
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    std::istringstream fields(line);
    std::string qid, iter, doc, extra;
    int grade;
    if (!(fields >> qid)) continue;  // blank line
    if (!(fields >> iter >> doc >> grade) || (fields >> extra)) {
      return Status::Corruption(path + ":" + std::to_string(n) + ": expected 'QID 0 DOC_ID GRADE'");
    }
    qrels[qid][doc] = grade;
  }
  return qrels;
}

QueryScore ScoreRanking(const std::vector<std::string>& ranking,
                        const std::map<std::string, int>& judged) {
  QueryScore s;
  s.ranking = ranking;
  auto grade = [&](const std::string& doc) {
    auto it = judged.find(doc);
    return it == judged.end() ? 0 : it->second;
  };
  int relevant = 0;
  std::vector<int> grades;
  for (const auto& [doc, g] : judged) {
    grades.push_back(g);
    relevant += g >= 2;
  }
  s.scored = relevant > 0;
  s.first_grade = ranking.empty() ? 0 : grade(ranking[0]);
  std::sort(grades.rbegin(), grades.rend());
  double dcg = 0, idcg = 0;
  for (size_t i = 0; i < std::min<size_t>(10, ranking.size()); ++i) {
    dcg += (std::pow(2.0, grade(ranking[i])) - 1) / std::log2(i + 2.0);
  }
  for (size_t i = 0; i < std::min<size_t>(10, grades.size()); ++i) {
    idcg += (std::pow(2.0, grades[i]) - 1) / std::log2(i + 2.0);
  }
  s.ndcg10 = idcg > 0 ? dcg / idcg : 0;
  for (size_t i = 0; i < std::min<size_t>(10, ranking.size()); ++i) {
    if (grade(ranking[i]) >= 2) {
      s.rr10 = 1.0 / static_cast<double>(i + 1);
      break;
    }
  }
  int right5 = 0, right100 = 0;
  for (size_t i = 0; i < std::min<size_t>(100, ranking.size()); ++i) {
    const bool right = grade(ranking[i]) >= 2;
    right100 += right;
    if (i < 5) right5 += right;
  }
  s.p5 = right5 / 5.0;
  s.recall100 = relevant > 0 ? static_cast<double>(right100) / relevant : 0;
  return s;
}

Result<EvalReport> Evaluate(Searcher& searcher,
                            const std::vector<std::pair<std::string, std::string>>& queries,
                            const Qrels& qrels, SearchOptions options) {
  options.limit = 100;
  options.offset = 0;
  options.per_document = 1;
  options.snippet_words = 0;
  EvalReport report;
  for (const auto& [id, query] : queries) {
    auto judged = qrels.find(id);
    if (judged == qrels.end()) continue;
    std::vector<std::string> ranking;
    auto response = searcher.Search(query, options);
    if (response.ok()) {
      for (const Hit& h : response->hits) {
        if (std::find(ranking.begin(), ranking.end(), h.doc_id) == ranking.end())
          ranking.push_back(h.doc_id);
      }
    } else if (response.status().code() != Status::Code::kInvalidArgument) {
      return Status(response.status());
    }
    QueryScore s = ScoreRanking(ranking, judged->second);
    s.id = id;
    s.query = query;
    report.queries.push_back(std::move(s));
  }
  // Judged queries missing from the query file still count in avgScore.
  report.judged_queries = qrels.size();
  for (const QueryScore& s : report.queries) {
    report.avg_score += s.first_grade;
    if (!s.scored) continue;
    ++report.scored_queries;
    report.ndcg10 += s.ndcg10;
    report.mrr10 += s.rr10;
    report.p5 += s.p5;
    report.recall100 += s.recall100;
  }
  size_t scored_in_qrels = 0;
  for (const auto& [qid, judged] : qrels) {
    scored_in_qrels +=
        std::any_of(judged.begin(), judged.end(), [](const auto& j) { return j.second >= 2; });
  }
  const double n = static_cast<double>(std::max<size_t>(1, scored_in_qrels));
  report.scored_queries = scored_in_qrels;
  report.ndcg10 /= n;
  report.mrr10 /= n;
  report.p5 /= n;
  report.recall100 /= n;
  report.avg_score /= static_cast<double>(std::max<size_t>(1, report.judged_queries));
  return report;
}

}  // namespace clinsearch
