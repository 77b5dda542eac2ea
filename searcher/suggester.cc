// SPDX-License-Identifier: GPL-2.0-or-later
#include "searcher/suggester.h"

#include <algorithm>
#include <utility>

#include "base/strings.h"
#include "base/utf8.h"

namespace clinsearch {

// The suggestions of one Suggest(): at most `limit`, no text twice
// (ignoring ASCII case).
class Suggester::Collector {
 public:
  explicit Collector(size_t limit) : limit_(limit) {}

  void Add(Suggestion s) {
    if (out_.size() < limit_ && seen_.insert(LowerAscii(s.text)).second) {
      out_.push_back(std::move(s));
    }
  }
  size_t size() const { return out_.size(); }
  size_t limit() const { return limit_; }
  std::vector<Suggestion> Take() { return std::move(out_); }

 private:
  const size_t limit_;
  std::vector<Suggestion> out_;
  std::unordered_set<std::string> seen_;
};

namespace {

// The spelling-table words starting with `last` (of the first 2000 from
// there), most frequent first.
std::vector<std::pair<Xapian::doccount, std::string>> WordsStartingWith(
    const Xapian::Database& lexicon, const std::string& last) {
  std::vector<std::pair<Xapian::doccount, std::string>> words;
  auto it = lexicon.spellings_begin();
  it.skip_to(last);
  for (size_t scanned = 0; it != lexicon.spellings_end() && scanned < 2000; ++it, ++scanned) {
    const std::string word = *it;
    if (word.compare(0, last.size(), last) != 0) break;
    words.push_back({it.get_termfreq(), word});
  }
  std::stable_sort(words.begin(), words.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  return words;
}

}  // namespace

std::vector<Suggestion> Suggester::Suggest(std::string_view prefix, size_t limit,
                                           const SuggestionSources& sources) {
  std::string typed = Squeeze(prefix);
  CutUtf8(typed, 200);
  if (typed.empty() || limit == 0) return {};
  const std::string key = LowerAscii(typed);
  Collector out(limit);
  AddConceptNames(key, sources, out);
  AddIndexWords(key, sources.lexicon, out);
  return out.Take();
}

// Dictionary names starting with `key`: names of concepts the index holds
// first, then shorter ones. Names of other concepts fill at most half.
void Suggester::AddConceptNames(const std::string& key, const SuggestionSources& sources,
                                Collector& out) {
  if (!names_ready_) BuildNames(sources.dictionary);
  if (!indexed_concept_terms_ready_) ReadIndexedConceptTerms(sources.db);
  const std::vector<Concept>& concepts = sources.dictionary.concepts();
  struct Candidate {
    const Name* name;
    bool in_index;
  };
  std::vector<Candidate> candidates;
  auto before = [](const Name& n, const std::string& k) { return n.key < k; };
  for (auto it = std::lower_bound(names_.begin(), names_.end(), key, before);
       it != names_.end() && it->key.compare(0, key.size(), key) == 0 && candidates.size() < 500;
       ++it) {
    const Concept& c = concepts[it->concept_id];
    candidates.push_back({&*it, indexed_concept_terms_.count(c.ConceptTerm()) > 0 ||
                                    indexed_concept_terms_.count(c.MemberTerm()) > 0});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.in_index != b.in_index) return a.in_index;
                     return a.name->key.size() < b.name->key.size();
                   });
  for (const Candidate& c : candidates) {
    if (!c.in_index && out.size() >= out.limit() / 2) break;  // leave room for words the index has
    out.Add({c.name->key, Suggestion::Kind::kConcept, concepts[c.name->concept_id].name});
  }
}

// Words of the index completing the last word of `key`, most frequent
// first; when nothing at all was suggested, a spelling correction.
void Suggester::AddIndexWords(const std::string& key, const Xapian::Database& lexicon,
                              Collector& out) {
  const size_t space = key.rfind(' ');
  const std::string head = space == std::string::npos ? "" : key.substr(0, space + 1);
  const std::string last = key.substr(head.size());
  if (last.size() < 2) return;
  for (const auto& [freq, word] : WordsStartingWith(lexicon, last)) {
    out.Add({head + word, Suggestion::Kind::kWord, {}});
  }
  if (out.size() == 0 && last.size() >= 4) {
    const std::string fixed = lexicon.get_spelling_suggestion(last);
    if (!fixed.empty()) out.Add({head + fixed, Suggestion::Kind::kSpelling, {}});
  }
}

void Suggester::BuildNames(const Dictionary& dictionary) {
  names_.clear();
  for (uint32_t i = 0; i < dictionary.concepts().size(); ++i) {
    for (const auto& [relation, text] : dictionary.concepts()[i].names) {
      names_.push_back({LowerAscii(Squeeze(text)), text, i});
    }
  }
  std::sort(names_.begin(), names_.end(),
            [](const Name& a, const Name& b) { return a.key < b.key; });
  names_ready_ = true;
}

void Suggester::ReadIndexedConceptTerms(const Xapian::Database& db) {
  indexed_concept_terms_.clear();
  for (const std::string& prefix : {std::string(kConceptPrefix), std::string(kMemberPrefix)}) {
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
      indexed_concept_terms_.insert(*t);
    }
  }
  indexed_concept_terms_ready_ = true;
}

}  // namespace clinsearch
