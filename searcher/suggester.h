// SPDX-License-Identifier: GPL-2.0-or-later
// Suggester: type-ahead for a search box. Completes what is being typed
// with dictionary names (each leading to its concept), names of concepts
// the index holds first, then with index words completing the last word,
// most frequent first; if there are none, with a spelling correction.
//
//   Suggester suggester;  // one per searcher
//   std::vector<Suggestion> s = suggester.Suggest("ibupro", 8, {dictionary, db, lexicon, path});
//   suggester.IndexChanged();  // after a reopen
//
// What it reads once and keeps (the sorted names, the concept terms of the
// index) is rebuilt lazily after DictionaryChanged() / IndexChanged().
//
// Thread safety: not thread-safe; a searcher is used by one thread at a time.
#ifndef CLINSEARCH_SEARCHER_SUGGESTER_H_
#define CLINSEARCH_SEARCHER_SUGGESTER_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analysis/dictionary.h"
#include "clinsearch/searcher.h"

namespace clinsearch {

// What suggestions are drawn from: a searcher's dictionary and databases.
struct SuggestionSources {
  const Dictionary& dictionary;
  const Xapian::Database& db;       // the passages: which concepts the index holds
  const Xapian::Database& lexicon;  // the spelling table: index words and corrections
  const std::string& path;          // the index, for the log
};

class Suggester {
 public:
  // Up to `limit` completions of `prefix` (see Searcher::Suggest). Xapian
  // errors propagate: the searcher reads the index again and retries.
  std::vector<Suggestion> Suggest(std::string_view prefix, size_t limit,
                                  const SuggestionSources& sources);

  // The dictionary was replaced: its names are sorted again when next needed.
  void DictionaryChanged() { names_ready_ = false; }
  // The index changed: its concept terms are read again when next needed.
  void IndexChanged() { indexed_concept_terms_ready_ = false; }

 private:
  struct Name {
    std::string key;  // lower-cased name
    std::string text;
    uint32_t concept_id;
  };
  class Collector;

  void AddConceptNames(const std::string& key, const SuggestionSources& sources, Collector& out);
  static void AddIndexWords(const std::string& key, const Xapian::Database& lexicon,
                            Collector& out);
  void BuildNames(const Dictionary& dictionary);
  void ReadIndexedConceptTerms(const Xapian::Database& db);

  // Every dictionary name, lower-cased, sorted; built at the first
  // Suggest() after the dictionary is loaded.
  std::vector<Name> names_;
  bool names_ready_ = false;
  // The concept and class terms the index holds (XC, XK), read in one pass
  // at the first Suggest() after a change: one request to remote shards,
  // not one per candidate name.
  std::unordered_set<std::string> indexed_concept_terms_;
  bool indexed_concept_terms_ready_ = false;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_SUGGESTER_H_
