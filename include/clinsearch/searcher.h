// SPDX-License-Identifier: GPL-2.0-or-later
// Searcher: ranks the passages of a clinsearch index for a query.
//
//   auto searcher = clinsearch::Searcher::Open("idx");
//   if (!searcher.ok()) return fail(searcher.status());
//   auto response = searcher->Search("freeze tumor");
//   if (!response.ok()) return fail(response.status());   // e.g. empty query
//   for (const clinsearch::Hit& hit : response->hits)
//     std::cout << hit.rank << " " << hit.title << ": " << hit.snippet << "\n";
//
// The query goes through the same Analyzer as the documents, then:
// unknown words are spell-corrected when a correction exists in the index
// (reported in SearchResponse::corrected); words and phrases found in the
// clinical dictionary are expanded to their concept (lay terms, brands,
// abbreviations, synonyms, drug classes), each group scored as one term so
// expansions never outweigh what was typed; "quoted phrases" are matched as
// phrases; passages are ranked with BM25, title and section heading counting
// as context.
//
// Thread safety: a Searcher is not safe to share between threads; open one
// per thread (they may share the index folder).
#ifndef CLINSEARCH_SEARCHER_H_
#define CLINSEARCH_SEARCHER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clinsearch/export.h"
#include "clinsearch/status.h"

namespace clinsearch {

struct SearcherOptions {
  // Further dictionaries used at query time on top of the one stored in the
  // index (their names expand queries; only the index's own concepts are
  // tagged in passages).
  std::vector<std::string> synonym_paths;
  // At Open, compare the bundled dictionary on disk (synonyms/ or
  // $CLINSEARCH_SYNONYMS_DIR) with the one the index was built with, and
  // warn when it changed: searches keep using the index's own dictionary
  // until the documents are indexed again. Costs a few milliseconds.
  bool check_bundled_dictionary = true;
  // Open first reads every block of the index and checks its structure,
  // failing with Corruption on a truncated or damaged index instead of
  // answering from it. About 0.4 s per 160 MB of index; turn off where open
  // time matters more. The check runs in a child process (fork): libxapian
  // 1.4.22's checker can crash on some damage, and that must refuse the
  // index, not end the host. (Reopen needs no check: a rebuild is checked
  // by the indexer before it goes live.) An index this process may only
  // read (a read-only mount, files of another user) is checked by reading
  // every table instead, much slower (14 s for 158 MB); a file it may not read at
  // all fails with IoError, not Corruption. A database with passages whose
  // termlist, position or spelling table file is missing is
  // refused as Corruption (Xapian would read it as empty).
  bool check_index = true;
  // BM25 parameters. Passages are short and fairly even, so length
  // normalisation is moderate.
  double bm25_k1 = 1.2;
  double bm25_b = 0.5;
  // Extra weight for passages whose document title names what the query
  // names (the page is about it), and whose section heading answers the
  // kind of question asked (treatment, symptoms, dosage ...). 0 turns off.
  double title_boost = 0.5;
  double heading_boost = 0.5;
  // In questions of six words or more, treat conversational words ("hi",
  // "please", "wondering", "thank you") as stopwords.
  bool drop_question_phrasing = true;
  // Pseudo-relevance feedback: add this many words of the top 5 passages
  // (Xapian's ESet) to the query at feedback_weight. 0 turns it off.
  size_t feedback_terms = 0;
  double feedback_weight = 0.3;
};

struct SearchOptions {
  size_t limit = 10;          // results wanted (capped at 1000)
  size_t offset = 0;          // results to skip, for paging
  bool spelling = true;       // correct unknown words
  bool expand = true;         // use the clinical dictionary
  size_t per_document = 0;    // at most this many passages per document (0: any)
  size_t snippet_words = 40;  // 0: the whole passage
  // Only passages of documents from this source (case-insensitive, exact
  // name as given at index time). Empty: any.
  std::string source;
  // Only passages whose section heading contains these words (analysed
  // like the query: "treatment" also matches "Treatments"). Empty: any.
  std::string heading;
  // Count matching passages by source (SearchResponse::source_facets).
  // Every match is then examined, so it costs more on broad queries.
  bool facets = false;
  // Stop matching after this long and return the best found. 0: no limit.
  unsigned time_limit_ms = 0;
};

struct Hit {
  int rank = 0;        // 1-based, across pages
  double score = 0;    // BM25 score (higher is better)
  std::string doc_id;  // the input document's id
  std::string title;
  std::string heading;  // the heading of the passage's section (may be empty)
  std::string source;
  std::string url;
  std::string passage;  // the passage's full text
  std::string snippet;  // a window of the passage around the matches
  // Byte ranges [begin, end) within `snippet` to highlight.
  std::vector<std::pair<size_t, size_t>> highlights;
  // Why it matched: "tumor", "freeze → cryoablation (lay term)", ...
  std::vector<std::string> matched;
};

struct SearchResponse {
  std::string query;                     // as given
  std::optional<std::string> corrected;  // the query after spelling correction
  size_t total_estimate = 0;             // matching passages (Xapian's estimate)
  std::vector<Hit> hits;
  // With SearchOptions::facets: matching passages per source, most first.
  std::vector<std::pair<std::string, size_t>> source_facets;
};

// A type-ahead suggestion for what is being typed.
struct Suggestion {
  enum class Kind { kConcept, kWord, kSpelling };
  std::string text;  // the completed query
  Kind kind = Kind::kWord;
  std::string concept_name;  // kConcept: the canonical name the text leads to
};

// What an open index holds.
struct IndexInfo {
  size_t passages = 0;
  size_t documents = 0;
  int generation = 0;   // live generation (sharded: the lexicon's; 0: none)
  size_t shards = 0;    // a sharded index's shard count (0: one database)
  size_t concepts = 0;  // dictionary concepts (index + mined + extra)
  bool dictionary_outdated = false;
};

class CLINSEARCH_EXPORT Searcher {
 public:
  // Opens the index at `db_path` for reading: an index folder, a sharded
  // one whose stub lists local or remote shards (docs/scaling.md), or a
  // Xapian stub file (then the dictionary, spelling table and mined
  // synonyms are those of the first database it lists: use a sharded
  // folder, whose lexicon holds those of all shards). Fails with NotFound if there is no index,
  // IoError if a remote shard cannot be reached, Corruption if it cannot be read, InvalidArgument
  // if it was written by an incompatible clinsearch version or a sharded folder's stub lists
  // another number of shards than its lexicon was built with.
  static Result<Searcher> Open(const std::string& db_path, const SearcherOptions& options = {});

  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;
  ~Searcher();

  // Ranks passages for `query`. Fails with InvalidArgument for a query with
  // no searchable words (empty, only punctuation), with IoError when a
  // remote shard does not answer (after connecting again once); never
  // throws.
  //
  // Reads while a writer commits: every read (Search, Passages, Suggest,
  // Info) sees one revision of the index, statistics and records alike. A
  // read that a concurrent commit breaks (Xapian reports blocks reused
  // under it in several ways) reopens the index at its latest revision and
  // runs again, a few times; it fails with IoError only when commits keep
  // breaking it, and with Corruption when it fails at a revision nothing
  // changed (damage). Equal scores are ordered by document (a hash of its id), then
  // passage, so one index and any sharding of it rank alike.
  Result<SearchResponse> Search(std::string_view query, const SearchOptions& options = {});

  // Picks up changes committed since Open (or the last Reopen), including a
  // new generation switched in by a rebuild, and an index folder deleted and
  // made again or replaced (mv) since: that one is opened afresh (without
  // the open check). On failure the searcher keeps answering from what it
  // had open and opens afresh at the next Reopen.
  Status Reopen();
  // Opens the index again from scratch: new connections to remote shards.
  // Search does this by itself once when a remote shard stops answering.
  Status Reconnect();

  // Number of passages in the index.
  size_t passage_count() const;

  // Every passage of the document `doc_id`, in order (snippet = passage,
  // no highlights). Fails with NotFound for an unknown id; retries as Search.
  Result<std::vector<Hit>> Passages(std::string_view doc_id);

  // Up to `limit` completions of `prefix` for a search box: dictionary
  // names that start with it (lay words, brands, synonyms, each leading to
  // its concept), then index words completing its last word (most frequent
  // first); if there are none, a spelling correction. Never fails: an empty
  // or unusable prefix gives no suggestions, and so does an index that
  // cannot be read (retried as Search; logged).
  std::vector<Suggestion> Suggest(std::string_view prefix, size_t limit = 8);

  // Counts of one revision (retried as Search; a retry moves the searcher on
  // to the latest revision, as Reopen would). When the index cannot be read
  // the counts are 0 (logged).
  IndexInfo Info() const;

  // True when check_bundled_dictionary found that the bundled dictionary
  // changed since the index was built (reindex to apply it).
  bool dictionary_outdated() const;

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_H_
