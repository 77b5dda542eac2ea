// SPDX-License-Identifier: GPL-2.0-or-later
// QueryBuilder: turns what a person typed into a Xapian query, and records
// what each part of the query means so results can be explained and
// highlighted.
//
// Per query: the Analyzer's tokens; misspelt words corrected (Speller,
// speller.h); dictionary matches (longest first, lay terms included) each
// become one OP_SYNONYM group {literal words, concept term, class-member
// term}, with the concept's classes added at half weight; other words are
// plain terms (acronyms case-sensitive when the index has them), adjacent
// words also tried joined ("radio frequency" -> radiofrequency); "quoted
// text" is a phrase and is not expanded. Everything is OR-ed and ranked with
// BM25.
//
//   QueryBuilder::Options options;
//   options.title_boost = 0.5;
//   const QueryBuilder builder(analyzer, dictionary, db, options);
//   Result<BuiltQuery> built = builder.Build("freeze the tumor");
//   // ((freez SYNONYM XCcryoablation) OR tumor) AND_MAYBE 0.5 * (its title terms)
//
// Thread safety: not safe to use from two threads at once, like the
// Analyzer and the Xapian databases it reads.
#ifndef CLINSEARCH_SEARCHER_QUERY_BUILDER_H_
#define CLINSEARCH_SEARCHER_QUERY_BUILDER_H_

#include <xapian.h>

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "clinsearch/status.h"
#include "searcher/question_types.h"
#include "searcher/speller.h"

namespace clinsearch {

// How a concept entered the query.
struct ConceptUse {
  enum Kind { kDirect, kClassOfQuery } kind = kDirect;
  std::string typed;                    // the query words that brought it in
  Relation relation = Relation::kName;  // how `typed` names the concept (kDirect)
};

struct BuiltQuery {
  Xapian::Query query;
  std::string corrected;  // the corrected query text, or empty
  // Index terms of the words typed (stems, acronym, joined forms) -> the
  // word as typed, for highlighting and explanations.
  std::unordered_map<std::string, std::string> literal_terms;
  std::unordered_map<uint32_t, ConceptUse> concepts;
};

struct QueryLimits {
  size_t max_bytes = 4096;  // longer queries are cut (at a character boundary)
  size_t max_words = 64;    // words past this are ignored
};

class QueryBuilder {
 public:
  struct Options {
    // Correct words neither the index nor the dictionary knows (Speller)
    // before expanding. Default: on.
    bool spelling = true;
    // Expand dictionary names to their concepts. Default: on.
    bool expand = true;
    // The database whose spelling table corrects words: a sharded index's
    // lexicon, whose shards may be remote. Must outlive the builder.
    // Default (nullptr): the builder's own `db`.
    const Xapian::Database* lexicon = nullptr;
    // Boosts (0: off, the default) for passages whose title names what the
    // query names and whose heading answers the question type. With either
    // on, the query becomes main AND_MAYBE (title OR heading boosts).
    double title_boost = 0;
    double heading_boost = 0;
    // `db` spans several databases (shards): the boosted query then takes a
    // form Xapian ranks the same over them as over one database. Default:
    // off (one database).
    bool shard_stable_ranking = false;
    // Long questions lose their conversational words ("Hi, I would like to
    // know ... thank you"). Default: off.
    bool drop_question_phrasing = false;
  };

  // `analyzer`, `dictionary` and `db` must outlive the builder.
  QueryBuilder(const Analyzer& analyzer, const Dictionary& dictionary, const Xapian::Database& db,
               const Options& options)
      : analyzer_(analyzer),
        dictionary_(dictionary),
        db_(db),
        options_(options),
        speller_(analyzer, dictionary, db, options.lexicon ? *options.lexicon : db) {}

  // Fails with InvalidArgument when the query has no searchable words.
  Result<BuiltQuery> Build(std::string_view query, const QueryLimits& limits = {}) const;

 private:
  struct QueryText;  // the query's text and tokens (query_builder.cc)
  struct QueryPlan;  // the query's parts as the phases of Build add them
  struct Group;      // one dictionary group

  // The phases of Build, in order.
  QueryText Prepare(std::string text, const QueryLimits& limits) const;
  std::string Correct(QueryText& text, const QueryLimits& limits) const;
  static void AddQuotedPhrases(const QueryText& text, QueryPlan& plan);
  void AddConceptGroups(const QueryText& text, QueryPlan& plan) const;
  static void WeighRepeatedGroups(QueryPlan& plan);
  void AddPlainWords(const QueryText& text, QueryPlan& plan) const;
  Xapian::Query ApplyBoosts(Xapian::Query words, const std::vector<Xapian::Query>& title_parts,
                            const std::vector<QuestionType>& question_types) const;

  // Helpers of the phases.
  void AddGroup(const QueryText& text, std::span<const DictionaryMatch> span_matches,
                QueryPlan& plan) const;
  Group MakeGroup(const QueryText& text, std::span<const DictionaryMatch> span_matches,
                  QueryPlan& plan) const;
  std::string MaybeJoined(const Token& previous, const Token& t) const;

  const Analyzer& analyzer_;
  const Dictionary& dictionary_;
  const Xapian::Database& db_;
  const Options options_;
  const Speller speller_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_QUERY_BUILDER_H_
