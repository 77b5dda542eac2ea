// SPDX-License-Identifier: GPL-2.0-or-later
#include "searcher/speller.h"

#include <algorithm>
#include <cstdint>

namespace clinsearch {
namespace {

// std::popcount, inline: without -mpopcnt (Debian's x86-64 baseline) the
// library call costs more than the test it guards, run against every
// dictionary word.
int BitCount(uint32_t v) {
  v = v - ((v >> 1) & 0x55555555u);
  v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
  return static_cast<int>((((v + (v >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

}  // namespace

// Optimal string alignment distance (a transposition counts as one edit),
// or max + 1 once it is certainly larger than `max`.
size_t EditDistance(std::string_view a, std::string_view b, size_t max) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > max) return max + 1;
  // Three rows, reused across calls (this runs against every dictionary
  // word for each unknown query word).
  thread_local std::vector<size_t> prev2, prev, cur;
  prev2.assign(b.size() + 1, 0);
  prev.resize(b.size() + 1);
  cur.assign(b.size() + 1, 0);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], max + 1);
}

std::string Speller::Suggest(const Token& t) const {
  const Xapian::doccount freq = db_.get_termfreq(t.term);
  // A word the index knows is only corrected when it is rare and one edit
  // away from a word the index uses far more often (a typo in the corpus).
  const size_t max_edits = freq == 0 ? (t.word.size() >= 6 ? 2 : 1) : 1;
  struct Candidate {
    std::string word;
    size_t edits;
    bool clinical;  // a dictionary word
    Xapian::doccount freq;
  };
  std::vector<Candidate> candidates;
  auto consider = [&](const std::string& w, size_t d, bool clinical) {
    if (w.empty() || w == t.word || d > max_edits) return;
    const Xapian::doccount f = db_.get_termfreq(analyzer_.Stem(w));
    if (f == 0) return;
    if (freq > 0 && (freq > 10 || f < 20 * freq)) return;
    candidates.push_back({w, d, clinical, f});
  };
  // Dictionary words: by letters, or by sound for unknown words (doubled
  // letters and silent h are the commonest consumer misspellings); a
  // sound-alike counts as max_edits.
  const std::string key = SpellingKey(t.word);
  const auto& words = dictionary_.words();
  const auto& keys = dictionary_.word_keys();
  const auto& masks = dictionary_.word_masks();
  const auto& key_masks = dictionary_.word_key_masks();
  const uint32_t mask = LetterMask(t.word), key_mask = LetterMask(key);
  for (size_t i = 0; i < words.size(); ++i) {
    size_t d = static_cast<size_t>(BitCount(mask ^ masks[i])) <= 2 * max_edits
                   ? EditDistance(t.word, words[i], max_edits)
                   : max_edits + 1;
    if (d > max_edits && freq == 0 && BitCount(key_mask ^ key_masks[i]) <= 2 &&
        EditDistance(key, keys[i], 1) <= (max_edits >= 2 ? 1 : 0)) {
      d = max_edits;
    }
    consider(words[i], d, true);
  }
  // The index's own words (the lexicon's spelling table). Its suggestion
  // could only win with fewer edits than every dictionary word found, so
  // when a dictionary word is one edit away (the fewest possible) it is not
  // asked.
  const bool one_edit_clinical = std::any_of(candidates.begin(), candidates.end(),
                                             [](const Candidate& c) { return c.edits <= 1; });
  if (!one_edit_clinical) {
    const std::string general =
        lexicon_.get_spelling_suggestion(t.word, static_cast<unsigned>(max_edits));
    consider(general, EditDistance(t.word, general, max_edits), false);
  }
  if (candidates.empty()) return {};
  // Fewest edits; then clinical words; then the most frequent.
  const auto best = std::min_element(candidates.begin(), candidates.end(),
                                     [](const Candidate& a, const Candidate& b) {
                                       if (a.edits != b.edits) return a.edits < b.edits;
                                       if (a.clinical != b.clinical) return a.clinical;
                                       return a.freq > b.freq;
                                     });
  return best->word;
}

std::string Speller::Correct(const std::string& text, const std::vector<Token>& tokens,
                             const std::vector<bool>& quoted) const {
  // Words the dictionary knows are never "corrected", whether the query is
  // expanded or not.
  std::vector<bool> skip = quoted;
  for (const DictionaryMatch& m : dictionary_.Match(tokens, /*include_lay=*/true)) {
    for (size_t i = m.first; i <= m.last; ++i) skip[i] = true;
  }
  std::string out = text;
  bool changed = false;
  for (size_t i = tokens.size(); i-- > 0;) {
    const Token& t = tokens[i];
    if (skip[i] || t.compound || !t.alphabetic || t.stopword || t.word.size() < 4) continue;
    // An ordinary English or medical word is what the person meant ("quote"
    // is no typo for "quite"), even when the corpus rarely uses it.
    if (!t.acronym.empty() || analyzer_.IsKnownWord(t.word)) continue;
    const std::string suggestion = Suggest(t);
    if (suggestion.empty()) continue;
    out.replace(t.begin, t.end - t.begin, suggestion);
    changed = true;
  }
  return changed ? out : std::string();
}

}  // namespace clinsearch
