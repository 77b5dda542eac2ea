// SPDX-License-Identifier: GPL-2.0-or-later
// ConceptMatcher: finds the names of the dictionary's concepts in analysed
// text. A name is held as the sequence of its words' keys (each word's
// Token::MatchTerm()) in a trie; a hyphen compound of a name may also step
// by its joined term ("radio-frequency" or "radiofrequency"). Match walks the
// trie from every word of the text, a word stepping by its stem or by its
// acronym term.
//
//   clinsearch::ConceptMatcher matcher;
//   matcher.Reset(/*concept_count=*/1);
//   matcher.Add(analyzer.Analyze("radio-frequency ablation"), 0, clinsearch::Relation::kName);
//   for (const auto& m : matcher.Match(analyzer.Analyze("RFA is radiofrequency ablation"), true))
//     std::cout << m.first << ".." << m.last << "\n";   // 2..3
//
// Dictionary::Compile builds one and Dictionary::Match uses it; other code
// goes through Dictionary.
//
// Thread safety: after the last Add(), const methods are safe from many
// threads.
#ifndef CLINSEARCH_ANALYSIS_CONCEPT_MATCHER_H_
#define CLINSEARCH_ANALYSIS_CONCEPT_MATCHER_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/analyzer.h"

namespace clinsearch {

// How a name relates to its concept (the kinds of synonyms/FORMAT.md; see
// RelationLabel in dictionary.h). Lay terms only expand queries.
enum class Relation : uint8_t { kName, kSynonym, kAbbreviation, kBrand, kSpelling, kLay };

struct DictionaryMatch {
  size_t first = 0;  // index of the first token of the match
  size_t last = 0;   // index of the last token (may be a compound token)
  uint32_t concept_id = 0;
  Relation relation = Relation::kName;
};

// A set of terms with a quick rejection test by first byte and length, for
// checking every token of a long text against a few terms: most tokens are
// turned away without hashing.
class TermSet {
 public:
  void insert(std::string_view term) {
    if (!term.empty()) first_bytes_ |= uint64_t{1} << (static_cast<unsigned char>(term[0]) & 63);
    lengths_ |= uint64_t{1} << std::min<size_t>(term.size(), 63);
    set_.emplace(term);
  }
  bool contains(std::string_view term) const {
    if (!(lengths_ >> std::min<size_t>(term.size(), 63) & 1)) return false;
    if (!term.empty() && !(first_bytes_ >> (static_cast<unsigned char>(term[0]) & 63) & 1)) {
      return false;
    }
    return set_.find(term) != set_.end();
  }
  bool empty() const { return set_.empty(); }
  size_t size() const { return set_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> set_;
  uint64_t first_bytes_ = 0, lengths_ = 0;
};

class ConceptMatcher {
 public:
  // Forgets all names, ready for concepts 0 .. concept_count - 1.
  void Reset(size_t concept_count);

  // Adds a name of `concept_id` given as its tokens (Analyzer::Analyze of the
  // name). Each hyphen compound doubles the spellings of a name; only the
  // first 16 are kept, so a name with dozens of hyphens cannot explode the
  // trie. A name added twice keeps its strongest relation (both-way before
  // lay).
  void Add(const std::vector<Token>& name, uint32_t concept_id, Relation relation);

  // All matches in `tokens` (the Analyzer's output). Lay terms only when
  // `include_lay`. Matches are ordered by first token, longest first, one
  // per concept and first token. With `first_keys`, only matches whose first
  // token (stem, acronym or hyphen compound) is one of them.
  std::vector<DictionaryMatch> Match(const std::vector<Token>& tokens, bool include_lay,
                                     const TermSet* first_keys = nullptr) const;

  // The keys a match of this concept can start with.
  const std::vector<std::string>& FirstKeys(uint32_t concept_id) const {
    return first_keys_[concept_id];
  }

 private:
  // The trie is one hash map of edges (node, key) -> child, and the
  // concepts each node ends. Node 0 is the root.
  struct Edge {
    uint32_t node;
    std::string key;
  };
  struct EdgeView {  // for lookups without building a string
    uint32_t node;
    std::string_view key;
  };
  struct EdgeHash {
    using is_transparent = void;
    size_t operator()(const EdgeView& e) const {
      return std::hash<std::string_view>()(e.key) * 31 + e.node;
    }
    size_t operator()(const Edge& e) const { return (*this)(EdgeView{e.node, e.key}); }
  };
  struct EdgeEq {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return a.node == b.node && std::string_view(a.key) == std::string_view(b.key);
    }
  };
  struct Walk;  // the state of one Match() from one start (concept_matcher.cc)

  uint32_t Child(uint32_t node, std::string_view key) const;  // 0: none
  void Insert(const std::vector<std::string>& keys, uint32_t concept_id, Relation relation);
  // Match's depth-first walk: from `node`, on from plain token `at`.
  void WalkFrom(Walk& walk, uint32_t node, size_t at) const;
  // One step of the walk by `key`, which covers tokens up to `last_token`.
  void Step(Walk& walk, uint32_t node, std::string_view key, size_t last_token,
            size_t next_plain) const;

  std::unordered_map<Edge, uint32_t, EdgeHash, EdgeEq> edges_;
  std::vector<std::vector<std::pair<uint32_t, Relation>>> ends_;  // per node
  std::vector<bool> has_children_;  // per node: an edge leaves it (else Match stops there)
  std::vector<std::vector<std::string>> first_keys_;  // per concept
};

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_CONCEPT_MATCHER_H_
