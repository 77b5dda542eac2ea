// SPDX-License-Identifier: GPL-2.0-or-later
// SynonymMiner: learns synonyms from the documents being indexed, so a new
// corpus brings its own: abbreviations defined in the text ("stereotactic
// radiosurgery (SRS)", found with the Schwartz & Hearst 2003 algorithm) and
// "Also called: A, B" lists, which name other names of the page's title.
//
//   SynonymMiner miner;
//   miner.Scan("Stereotactic radiosurgery (SRS) sends ...", "Spinal tumors");
//   miner.DictionaryText();   // "[Stereotactic radiosurgery]\nabbr: SRS\n\n"
//
// An abbreviation defined with different long forms is kept only when one
// long form has at least twice the uses of any other. The result is
// dictionary text (synonyms/FORMAT.md); the index writer stores it beside
// the dictionary and searchers expand queries with it.
// Thread safety: none; one miner per writer.
#ifndef CLINSEARCH_INDEXER_SYNONYM_MINER_H_
#define CLINSEARCH_INDEXER_SYNONYM_MINER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace clinsearch {

class SynonymMiner {
 public:
  // Looks for definitions in `text`; `title` is the document's title.
  void Scan(std::string_view text, std::string_view title);

  // Adds the findings (with their counts) of another miner.
  void MergeFrom(const SynonymMiner& other);

  // Adds what an earlier DictionaryText() held (to keep the findings of
  // earlier indexing runs).
  void Merge(std::string_view dictionary_text);

  // Everything found so far, as dictionary text (empty if nothing).
  std::string DictionaryText() const;

  // The long form that `short_form` abbreviates at the end of `before`
  // (the text just before the parenthesis), or empty. Exposed for tests.
  static std::string LongFormFor(std::string_view short_form, std::string_view before);

 private:
  // short form -> long form (lower-cased key) -> {count, long form as written}
  std::map<std::string, std::map<std::string, std::pair<int, std::string>>> abbreviations_;
  // title -> other names
  std::map<std::string, std::vector<std::string>> also_called_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_INDEXER_SYNONYM_MINER_H_
