// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/concept_matcher.h"

#include <algorithm>
#include <span>

namespace clinsearch {
namespace {

// Each hyphen compound doubles the spellings of a name; a handful is plenty.
constexpr size_t kMaxNameVariants = 16;

// The token lattice: plain tokens in order, plus hyphen compounds as
// alternative single steps over their parts. Built for every field of
// every hit highlighted, so it allocates two vectors and no more.
struct Lattice {
  // A hyphen compound: its token, and the plain indices of its first and
  // last parts.
  struct Compound {
    size_t first, token, last;
  };
  std::vector<size_t> plain;        // token indices of non-compound tokens
  std::vector<Compound> compounds;  // by `first`

  explicit Lattice(const std::vector<Token>& tokens) {
    plain.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!tokens[i].compound) {
        plain.push_back(i);
        continue;
      }
      // A compound comes right after its last part.
      if (i == 0 || tokens[i - 1].compound) continue;
      const size_t last = plain.size() - 1;
      size_t first = last;
      while (first > 0 && tokens[plain[first]].begin > tokens[i].begin) --first;
      if (tokens[plain[first]].begin == tokens[i].begin) compounds.push_back({first, i, last});
    }
    std::stable_sort(compounds.begin(), compounds.end(),
                     [](const Compound& a, const Compound& b) { return a.first < b.first; });
  }

  // The compounds whose first part is plain[p].
  std::span<const Compound> CompoundsAt(size_t p) const {
    if (compounds.empty()) return {};
    const auto from = std::lower_bound(compounds.begin(), compounds.end(), p,
                                       [](const Compound& c, size_t at) { return c.first < at; });
    auto to = from;
    while (to != compounds.end() && to->first == p) ++to;
    return {from, to};
  }
};

// Calls `emit(keys)` for each spelling of a name, at most `limit` times: each
// path through its lattice, a word stepping by its MatchTerm() and a hyphen
// compound by its joined term instead of its parts. Plain words come first.
template <typename Emit>
void ForEachSpelling(const std::vector<Token>& tokens, const Lattice& lattice, size_t limit,
                     Emit emit) {
  std::vector<std::string> keys;
  size_t spellings = 0;
  auto walk = [&](auto& self, size_t at) -> void {
    if (spellings >= limit) return;
    if (at == lattice.plain.size()) {
      emit(keys);
      ++spellings;
      return;
    }
    keys.push_back(tokens[lattice.plain[at]].MatchTerm());
    self(self, at + 1);
    keys.pop_back();
    for (const Lattice::Compound& c : lattice.CompoundsAt(at)) {
      keys.push_back(tokens[c.token].term);
      self(self, c.last + 1);
      keys.pop_back();
    }
  };
  if (!lattice.plain.empty()) walk(walk, 0);
}

// Whether a match of one of `first_keys` (all, when null) can start at plain
// token `start`: by its stem, its acronym or a hyphen compound it begins.
bool MayStart(const std::vector<Token>& tokens, const Lattice& lattice, size_t start,
              const TermSet* first_keys) {
  if (!first_keys) return true;
  const Token& t = tokens[lattice.plain[start]];
  if (first_keys->contains(t.term) || (!t.acronym.empty() && first_keys->contains(t.acronym))) {
    return true;
  }
  for (const Lattice::Compound& c : lattice.CompoundsAt(start)) {
    if (first_keys->contains(tokens[c.token].term)) return true;
  }
  return false;
}

// Orders the matches of one start, (*out)[before..], longest first, and
// keeps the first (longest) of each concept. `seen` is scratch space.
void KeepLongestPerConcept(const std::vector<Token>& tokens, size_t before,
                           std::vector<DictionaryMatch>* out, std::vector<uint32_t>* seen) {
  std::stable_sort(out->begin() + before, out->end(),
                   [&](const DictionaryMatch& a, const DictionaryMatch& b) {
                     return tokens[a.last].end > tokens[b.last].end;
                   });
  seen->clear();
  auto keep = out->begin() + before;
  for (auto it = keep; it != out->end(); ++it) {
    if (std::find(seen->begin(), seen->end(), it->concept_id) != seen->end()) continue;
    seen->push_back(it->concept_id);
    *keep++ = *it;
  }
  out->erase(keep, out->end());
}

}  // namespace

struct ConceptMatcher::Walk {
  const std::vector<Token>& tokens;
  const Lattice& lattice;
  bool include_lay;
  const TermSet* first_keys;
  size_t start;  // the plain token the matches start at
  std::vector<DictionaryMatch>& out;
};

void ConceptMatcher::Reset(size_t concept_count) {
  edges_.clear();
  ends_.assign(1, {});  // node 0: the root
  has_children_.assign(1, false);
  first_keys_.assign(concept_count, {});
}

uint32_t ConceptMatcher::Child(uint32_t node, std::string_view key) const {
  const auto it = edges_.find(EdgeView{node, key});
  return it == edges_.end() ? 0 : it->second;
}

void ConceptMatcher::Add(const std::vector<Token>& name, uint32_t concept_id, Relation relation) {
  ForEachSpelling(name, Lattice(name), kMaxNameVariants, [&](const std::vector<std::string>& keys) {
    Insert(keys, concept_id, relation);
  });
}

void ConceptMatcher::Insert(const std::vector<std::string>& keys, uint32_t concept_id,
                            Relation relation) {
  if (keys.empty()) return;
  auto& firsts = first_keys_[concept_id];
  if (std::find(firsts.begin(), firsts.end(), keys.front()) == firsts.end()) {
    firsts.push_back(keys.front());
  }
  uint32_t node = 0;
  for (const auto& k : keys) {
    const uint32_t child = Child(node, k);
    if (child == 0) {
      ends_.emplace_back();
      has_children_.push_back(false);
      const auto added = static_cast<uint32_t>(ends_.size() - 1);
      edges_.emplace(Edge{node, k}, added);
      has_children_[node] = true;
      node = added;
    } else {
      node = child;
    }
  }
  auto& entries = ends_[node];
  for (auto& [c, r] : entries) {
    if (c == concept_id) {  // keep the strongest relation: both-way before lay
      if (r == Relation::kLay && relation != Relation::kLay) r = relation;
      return;
    }
  }
  entries.push_back({concept_id, relation});
}

std::vector<DictionaryMatch> ConceptMatcher::Match(const std::vector<Token>& tokens,
                                                   bool include_lay,
                                                   const TermSet* first_keys) const {
  std::vector<DictionaryMatch> out;
  if (ends_.size() <= 1 || tokens.empty()) return out;
  const Lattice lattice(tokens);
  std::vector<uint32_t> seen;
  for (size_t start = 0; start < lattice.plain.size(); ++start) {
    if (!MayStart(tokens, lattice, start, first_keys)) continue;
    const size_t before = out.size();
    Walk walk{tokens, lattice, include_lay, first_keys, start, out};
    WalkFrom(walk, 0, start);
    KeepLongestPerConcept(tokens, before, &out, &seen);
  }
  return out;
}

// Depth-first over (trie node, next plain index): a token steps by its stem
// or its acronym, a hyphen compound by its term.
void ConceptMatcher::WalkFrom(Walk& walk, uint32_t node, size_t at) const {
  if (at >= walk.lattice.plain.size() || !has_children_[node]) return;  // no longer name goes on
  const size_t token = walk.lattice.plain[at];
  const Token& t = walk.tokens[token];
  Step(walk, node, t.term, token, at + 1);
  if (!t.acronym.empty()) Step(walk, node, t.acronym, token, at + 1);
  for (const Lattice::Compound& c : walk.lattice.CompoundsAt(at)) {
    Step(walk, node, walk.tokens[c.token].term, c.token, c.last + 1);
  }
}

void ConceptMatcher::Step(Walk& walk, uint32_t node, std::string_view key, size_t last_token,
                          size_t next_plain) const {
  if (node == 0 && walk.first_keys && !walk.first_keys->contains(key)) return;  // cannot start
  const uint32_t child = Child(node, key);
  if (child == 0) return;
  for (const auto& [concept_id, relation] : ends_[child]) {
    if (relation == Relation::kLay && !walk.include_lay) continue;
    walk.out.push_back({walk.lattice.plain[walk.start], last_token, concept_id, relation});
  }
  WalkFrom(walk, child, next_plain);
}

}  // namespace clinsearch
