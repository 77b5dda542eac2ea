// SPDX-License-Identifier: GPL-2.0-or-later
// Dictionary: the clinical synonym dictionary (format: synonyms/FORMAT.md),
// compiled against the Analyzer into a token-sequence matcher.
//
//   clinsearch::Dictionary dict;
//   std::vector<std::string> problems;
//   dict.LoadPath("synonyms/", &problems);   // file or folder
//   dict.Compile(analyzer);
//   for (const auto& m : dict.Match(analyzer.Analyze("freeze the tumor"), true))
//     std::cout << dict.concepts()[m.concept_id].name << "\n";   // cryoablation
//
// Both-way names (canonical, syn, abbr, brand, spelling) tag documents at
// index time; lay terms only expand queries. Errors in a file are reported as
// "FILE:LINE: message" through `diagnostics` and the log; the line is skipped.
//
// Thread safety: after Compile(), const methods are safe from many threads.
#ifndef CLINSEARCH_ANALYSIS_DICTIONARY_H_
#define CLINSEARCH_ANALYSIS_DICTIONARY_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/concept_matcher.h"
#include "clinsearch/status.h"
#include "storage/schema.h"  // kConceptPrefix, kMemberPrefix

namespace clinsearch {

// Relation, DictionaryMatch and TermSet come from concept_matcher.h.

// "synonym", "abbreviation", "brand name", "spelling variant", "lay term".
std::string_view RelationLabel(Relation relation);

struct Concept {
  std::string name;                                     // canonical name as written
  std::string id;                                       // term-safe id derived from the name
  std::vector<std::pair<Relation, std::string>> names;  // includes {kName, name}
  std::vector<std::string> isa;                         // class names as written
  std::vector<std::string> members;                     // member names as written
  std::vector<uint32_t> parents;                        // direct classes (after Compile)
  std::vector<uint32_t> ancestors;                      // all classes, transitively (after Compile)
  std::vector<uint32_t> descendants;                    // all members, transitively (after Compile)
  bool is_class = false;                                // has members (after Compile)
  // Indices into `names` of names that come from untagged sources: the index
  // does not know them, so queries must look for their words.
  std::vector<size_t> untagged;
  // Their analysed terms, both-way names only (after Compile).
  std::vector<std::vector<std::string>> untagged_phrases;

  std::string ConceptTerm() const { return std::string(kConceptPrefix) + id; }
  std::string MemberTerm() const { return std::string(kMemberPrefix) + id; }
};

// Where the bundled clinical dictionary is read from: $CLINSEARCH_SYNONYMS_DIR
// when set, else share/clinsearch/synonyms beside the program or library
// (an install, or a build tree's link to synonyms/; base/data_dir.h), else
// the configured install prefix's copy, else ./synonyms.
std::string BundledDictionaryDir();

class Dictionary {
 public:
  // Adds the entries of `text`, named `source` in messages. Problems go to
  // `diagnostics` (when given) and, when `log_problems`, to the log as warnings.
  void Parse(std::string_view text, std::string_view source,
             std::vector<std::string>* diagnostics = nullptr, bool log_problems = true);

  // Whether names loaded from now on are tagged in the index (default
  // true). A searcher loads extra dictionaries untagged: their names expand
  // queries by their words, since no passage carries their concept terms.
  // Untagged sources are not part of Serialize().
  void set_tagged(bool tagged) { tagged_ = tagged; }
  // Loads a file, or every *.syn, *.tsv and *.csv file of a folder (sorted by
  // name). .tsv and .csv files are open vocabularies (vocabulary_import.h).
  // Fails only when the path cannot be read at all.
  Status LoadPath(const std::string& path, std::vector<std::string>* diagnostics = nullptr);

  // The Fingerprint() a dictionary would have after LoadPath(path) alone,
  // without parsing it (cheap: reads and hashes the files).
  static Result<std::string> PathFingerprint(const std::string& path);

  // Resolves classes, builds the matcher, the untagged phrases and the
  // spelling words. Call after the last Parse/Load.
  void Compile(const Analyzer& analyzer);

  // All matches in `tokens` (the Analyzer's output). Lay terms only when
  // `include_lay`. Matches are ordered by first token, longest first.
  // With `first_keys`, only matches whose first token (stem, acronym or
  // hyphen compound) is one of them: a fast path when only some concepts
  // matter (see FirstKeys).
  std::vector<DictionaryMatch> Match(const std::vector<Token>& tokens, bool include_lay,
                                     const TermSet* first_keys = nullptr) const;

  // The keys a match of this concept can start with (after Compile).
  const std::vector<std::string>& FirstKeys(uint32_t concept_id) const {
    return matcher_.FirstKeys(concept_id);
  }

  const std::vector<Concept>& concepts() const { return concepts_; }
  // The folded single words (letters only, 4+ bytes) of all names and lay
  // terms, sorted: spelling correction prefers them (after Compile).
  const std::vector<std::string>& words() const { return words_; }
  // SpellingKey() of each of words(), same order.
  const std::vector<std::string>& word_keys() const { return word_keys_; }
  // LetterMask() of each of words() and of each of word_keys().
  const std::vector<uint32_t>& word_masks() const { return word_masks_; }
  const std::vector<uint32_t>& word_key_masks() const { return word_key_masks_; }
  size_t size() const { return concepts_.size(); }
  bool empty() const { return concepts_.empty(); }

  // All loaded source text, re-parseable by Deserialize: stored in the index
  // so that a searcher uses the dictionary the index was built with.
  std::string Serialize() const;
  static Dictionary Deserialize(std::string_view serialized);
  // Stable hash of the dictionary text as Serialize() writes it (source
  // names left out): survives a Serialize/Deserialize round trip and
  // changes whenever an entry changes.
  std::string Fingerprint() const;

 private:
  uint32_t FindOrAdd(const std::string& name);
  // Parse's step for a relation line "kind: term, term" of concept
  // `concept_index`; false if `kind` is unknown (dictionary_parser.cc).
  bool AddRelation(uint32_t concept_index, const std::string& kind, std::vector<std::string> terms);
  // The (name, dictionary text) of each file LoadPath(path) reads.
  static Status ReadSources(const std::string& path,
                            std::vector<std::pair<std::string, std::string>>* out,
                            std::vector<std::string>* diagnostics);

  // Compile's phases, in order.
  // Links members and classes (creating concepts for undefined ones) and
  // fills parents, ancestors, descendants and is_class.
  void ResolveClasses();
  // Adds every name to the matcher. The names' single words (letters only,
  // 4+ bytes) go to `spelling_candidates`, from the same analysis.
  void BuildMatcher(const Analyzer& analyzer, std::vector<std::string>* spelling_candidates);
  // Fills untagged_phrases from untagged both-way names.
  void BuildUntaggedPhrases(const Analyzer& analyzer);
  // words(), word_keys() and the masks, from the candidates.
  void BuildSpellingWords(std::vector<std::string> candidates);

  struct Source {
    std::string name, text;
    bool tagged;
  };
  std::vector<Source> sources_;
  bool tagged_ = true;
  std::vector<Concept> concepts_;
  std::unordered_map<std::string, uint32_t> by_name_;  // lower-cased name -> concept index
  ConceptMatcher matcher_;
  std::vector<std::string> words_;
  std::vector<std::string> word_keys_;
  std::vector<uint32_t> word_masks_, word_key_masks_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_DICTIONARY_H_
