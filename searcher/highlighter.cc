// SPDX-License-Identifier: GPL-2.0-or-later
#include "searcher/highlighter.h"

#include <algorithm>
#include <cstdint>

namespace clinsearch {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Adds `s` unless it is there already, ignoring ASCII case.
void AddUnique(std::vector<std::string>& v, std::string s) {
  auto same = [&](const std::string& x) {
    return x.size() == s.size() && std::equal(x.begin(), x.end(), s.begin(), [](char a, char b) {
             return LowerAscii(a) == LowerAscii(b);
           });
  };
  if (std::none_of(v.begin(), v.end(), same)) v.push_back(std::move(s));
}

// The index terms of `text`, in order.
std::vector<std::string> Terms(const Analyzer& analyzer, std::string_view text) {
  std::vector<std::string> terms;
  for (const Token& t : analyzer.Analyze(text)) {
    if (!t.compound) terms.push_back(t.term);
  }
  return terms;
}

// The index terms of tokens[first..last], in order.
std::vector<std::string> Terms(const std::vector<Token>& tokens, size_t first, size_t last) {
  std::vector<std::string> terms;
  for (size_t i = first; i <= last; ++i) {
    if (!tokens[i].compound) terms.push_back(tokens[i].term);
  }
  return terms;
}

using Span = Highlighter::Span;

// A run of words, by index in the passage's word list.
struct WordRange {
  size_t first, last;
};

// The passage's words: its tokens that are not hyphen compounds.
std::vector<const Token*> Words(const std::vector<Token>& tokens) {
  std::vector<const Token*> words;
  for (const Token& t : tokens) {
    if (!t.compound) words.push_back(&t);
  }
  return words;
}

// Step 2: `spans` sorted, overlapping ones merged.
std::vector<Span> MergeSpans(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const Span& s : spans) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

// hit[w]: word w lies in a match (spans and words are both sorted).
// Bytes, not std::vector<bool>: read and written once per word of each hit.
std::vector<uint8_t> HitWords(const std::vector<const Token*>& words,
                              const std::vector<Span>& merged) {
  std::vector<uint8_t> hit(words.size(), 0);
  for (size_t w = 0, k = 0; w < words.size(); ++w) {
    while (k < merged.size() && merged[k].end < words[w]->end) ++k;
    hit[w] =
        k < merged.size() && words[w]->begin >= merged[k].begin && words[w]->end <= merged[k].end;
  }
  return hit;
}

// The first of `length` words with the most hits (the earliest such run),
// and how many hits it holds.
std::pair<size_t, size_t> MostHits(const std::vector<uint8_t>& hit, size_t length) {
  size_t best = 0, best_count = 0, count = 0;
  for (size_t w = 0; w < hit.size(); ++w) {
    count += hit[w];
    if (w >= length) count -= hit[w - length];
    if (w + 1 >= length && count > best_count) {
      best_count = count;
      best = w + 1 - length;
    }
  }
  return {best, best_count};
}

// Step 3: the snippet window, the run of `length` words with the most
// highlights; the whole passage when it is no longer than that.
WordRange BestWindow(const std::vector<const Token*>& words, const std::vector<Span>& merged,
                     size_t length) {
  if (length == 0 || words.size() <= length) return {0, words.empty() ? 0 : words.size() - 1};
  const std::vector<uint8_t> hit = HitWords(words, merged);
  const auto [best, best_count] = MostHits(hit, length);
  size_t first = 0;
  if (best_count > 0) {
    // Lead in with up to three words of context, keeping every match of
    // the chosen window inside.
    size_t a = best, b = best + length - 1;
    while (!hit[a]) ++a;
    while (!hit[b]) --b;
    const size_t slack = length - 1 - (b - a);
    first = a - std::min({a, size_t{3}, slack});
  }
  return {first, std::min(words.size() - 1, first + length - 1)};
}

// Step 4: the text of `window` (with ellipses where the passage goes on,
// line breaks and tabs as spaces) into out.snippet, and the spans inside
// it, rebased onto the snippet, into out.highlights.
void CutSnippet(std::string_view passage, const std::vector<const Token*>& words, WordRange window,
                const std::vector<Span>& merged, Highlighted& out) {
  size_t begin = 0, end = passage.size();
  if (!words.empty() && window.first > 0) begin = words[window.first]->begin;
  if (!words.empty() && window.last + 1 < words.size()) end = words[window.last]->end;
  const std::string prefix = begin > 0 ? "\u2026 " : "";
  out.snippet = prefix + std::string(passage.substr(begin, end - begin));
  if (end < passage.size()) out.snippet += " \u2026";
  for (char& c : out.snippet) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  for (const Span& s : merged) {
    if (s.begin >= begin && s.end <= end) {
      out.highlights.push_back({s.begin - begin + prefix.size(), s.end - begin + prefix.size()});
    }
  }
}

}  // namespace

Highlighter::Highlighter(const Analyzer& analyzer, const Dictionary& dictionary,
                         const BuiltQuery& query, size_t snippet_words)
    : analyzer_(analyzer), dictionary_(dictionary), query_(query), snippet_words_(snippet_words) {
  for (const auto& [term, typed] : query.literal_terms) literal_.insert(term);
  if (query.concepts.empty()) return;
  auto add = [&](uint32_t id) {
    for (const std::string& k : dictionary.FirstKeys(id)) keys_.insert(k);
  };
  for (const auto& [id, use] : query.concepts) {
    add(id);
    typed_terms_[id] = Terms(analyzer, use.typed);
  }
  // Members of a class the query named (as ExplainConcept explains them).
  for (const auto& [id, use] : query.concepts) {
    if (use.kind != ConceptUse::kDirect) continue;
    for (uint32_t member : dictionary.concepts()[id].descendants) add(member);
  }
}

Highlighted Highlighter::Highlight(std::string_view passage, std::string_view title,
                                   std::string_view section, const StoredHitTokens* stored) const {
  Highlighted out;
  std::vector<Token> analysed;
  const std::vector<Token>& tokens =
      stored ? stored->passage : (analysed = analyzer_.Analyze(passage));
  const std::vector<Span> merged =
      MergeSpans(ScanFields(passage, tokens, title, section, stored, out.matched));
  const std::vector<const Token*> words = Words(tokens);
  CutSnippet(passage, words, BestWindow(words, merged, snippet_words_), merged, out);
  return out;
}

std::vector<Span> Highlighter::ScanFields(std::string_view passage,
                                          const std::vector<Token>& passage_tokens,
                                          std::string_view title, std::string_view section,
                                          const StoredHitTokens* stored,
                                          std::vector<std::string>& matched) const {
  std::vector<Span> spans;
  Scan(passage, passage_tokens, &spans, matched);
  if (stored) {
    Scan(title, stored->title, nullptr, matched);
    Scan(section, stored->section, nullptr, matched);
  } else {
    Scan(title, analyzer_.Analyze(title), nullptr, matched);
    Scan(section, analyzer_.Analyze(section), nullptr, matched);
  }
  return spans;
}

void Highlighter::Scan(std::string_view text, const std::vector<Token>& tokens,
                       std::vector<Span>* spans, std::vector<std::string>& matched) const {
  ScanLiterals(tokens, spans, matched);
  if (!query_.concepts.empty()) ScanConcepts(text, tokens, spans, matched);
}

void Highlighter::ScanLiterals(const std::vector<Token>& tokens, std::vector<Span>* spans,
                               std::vector<std::string>& matched) const {
  for (const Token& t : tokens) {
    if (!literal_.contains(t.term) && (t.acronym.empty() || !literal_.contains(t.acronym))) {
      continue;  // neither is a literal term
    }
    auto it = query_.literal_terms.find(t.MatchTerm());
    if (it == query_.literal_terms.end() && !t.acronym.empty()) {
      it = query_.literal_terms.find(t.term);
    }
    if (it == query_.literal_terms.end()) continue;
    if (spans) spans->push_back({t.begin, t.end});
    AddUnique(matched, it->second);
  }
}

void Highlighter::ScanConcepts(std::string_view text, const std::vector<Token>& tokens,
                               std::vector<Span>* spans, std::vector<std::string>& matched) const {
  for (const DictionaryMatch& m : dictionary_.Match(tokens, /*include_lay=*/false, &keys_)) {
    const Span span{tokens[m.first].begin, tokens[m.last].end};
    const std::string seen(text.substr(span.begin, span.end - span.begin));
    const std::optional<std::string> why = ExplainConcept(m, tokens, seen);
    if (!why) continue;
    if (spans) spans->push_back(span);
    if (!why->empty()) AddUnique(matched, *why);
  }
}

std::optional<std::string> Highlighter::ExplainConcept(const DictionaryMatch& m,
                                                       const std::vector<Token>& tokens,
                                                       const std::string& seen) const {
  auto it = query_.concepts.find(m.concept_id);
  if (it == query_.concepts.end()) {
    // A member of a class the query named.
    for (uint32_t a : dictionary_.concepts()[m.concept_id].ancestors) {
      auto named = query_.concepts.find(a);
      if (named != query_.concepts.end() && named->second.kind == ConceptUse::kDirect) {
        return named->second.typed + " \u2192 " + seen + " (class member)";
      }
    }
    return std::nullopt;
  }
  const ConceptUse& use = it->second;
  if (use.kind == ConceptUse::kClassOfQuery) return use.typed + " \u2192 " + seen + " (class)";
  // Same words as typed (up to inflection): a literal match, explained as such.
  if (typed_terms_.at(m.concept_id) == Terms(tokens, m.first, m.last)) return std::string();
  Relation r = use.relation;
  if (r == Relation::kName || r == Relation::kSynonym) r = m.relation;
  return use.typed + " \u2192 " + seen + " (" +
         std::string(r == Relation::kName ? "synonym" : RelationLabel(r)) + ")";
}

}  // namespace clinsearch
