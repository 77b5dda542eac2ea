#include "searcher/highlighter.h"

#include <algorithm>

namespace clinsearch {
namespace {

struct Span {
  size_t begin, end;
};

// Adds `s` unless it is there already, ignoring ASCII case.
void AddUnique(std::vector<std::string>& v, std::string s) {
  auto same = [&](const std::string& x) {
    return x.size() == s.size() &&
           std::equal(x.begin(), x.end(), s.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
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

// Explanations and highlighted spans of one text, given its tokens.
void Scan(const Analyzer& analyzer, const Dictionary& dictionary, const BuiltQuery& query,
          std::string_view text, const std::vector<Token>& tokens, std::vector<Span>& spans,
          std::vector<std::string>& matched, const HighlightContext* context) {
  for (const Token& t : tokens) {
    if (context && !context->literal.contains(t.term) &&
        (t.acronym.empty() || !context->literal.contains(t.acronym))) {
      continue;  // neither is a literal term
    }
    auto it = query.literal_terms.find(t.acronym.empty() ? t.term : t.acronym);
    if (it == query.literal_terms.end() && !t.acronym.empty()) it = query.literal_terms.find(t.term);
    if (it == query.literal_terms.end()) continue;
    spans.push_back({t.begin, t.end});
    AddUnique(matched, it->second);
  }
  if (query.concepts.empty()) return;
  for (const DictionaryMatch& m :
       dictionary.Match(tokens, /*include_lay=*/false, context ? &context->keys : nullptr)) {
    const Concept& c = dictionary.concepts()[m.concept_id];
    const std::string seen(text.substr(tokens[m.first].begin, tokens[m.last].end - tokens[m.first].begin));
    std::string why;
    if (auto it = query.concepts.find(m.concept_id); it != query.concepts.end()) {
      const ConceptUse& use = it->second;
      if (use.kind == ConceptUse::kClassOfQuery) {
        why = use.typed + " \u2192 " + seen + " (class)";
      } else {
        // Same words as typed (up to inflection): a literal match, explained above.
        std::vector<std::string> typed_here;
        const std::vector<std::string>* typed = nullptr;
        if (context) {
          auto known = context->typed_terms.find(m.concept_id);
          if (known != context->typed_terms.end()) typed = &known->second;
        }
        if (!typed) typed = &(typed_here = Terms(analyzer, use.typed));
        if (*typed == Terms(tokens, m.first, m.last)) {
          spans.push_back({tokens[m.first].begin, tokens[m.last].end});
          continue;
        }
        Relation r = use.relation;
        if (r == Relation::kName || r == Relation::kSynonym) r = m.relation;
        why = use.typed + " \u2192 " + seen + " (" +
              std::string(r == Relation::kName ? "synonym" : RelationLabel(r)) + ")";
      }
    } else {
      // A member of a class the query named.
      for (uint32_t a : c.ancestors) {
        auto it = query.concepts.find(a);
        if (it != query.concepts.end() && it->second.kind == ConceptUse::kDirect) {
          why = it->second.typed + " \u2192 " + seen + " (class member)";
          break;
        }
      }
    }
    if (why.empty()) continue;
    spans.push_back({tokens[m.first].begin, tokens[m.last].end});
    AddUnique(matched, why);
  }
}

}  // namespace

HighlightContext PrepareHighlight(const Analyzer& analyzer, const Dictionary& dictionary,
                                  const BuiltQuery& query) {
  HighlightContext context;
  for (const auto& [term, typed] : query.literal_terms) context.literal.insert(term);
  if (query.concepts.empty()) return context;
  auto add = [&](uint32_t id) {
    for (const std::string& k : dictionary.FirstKeys(id)) context.keys.insert(k);
  };
  for (const auto& [id, use] : query.concepts) {
    add(id);
    context.typed_terms[id] = Terms(analyzer, use.typed);
  }
  // Members of a class the query named (as Scan explains them).
  for (const auto& [id, use] : query.concepts) {
    if (use.kind != ConceptUse::kDirect) continue;
    for (uint32_t member : dictionary.concepts()[id].descendants) add(member);
  }
  return context;
}

Highlighted Highlight(const Analyzer& analyzer, const Dictionary& dictionary,
                      const BuiltQuery& query, std::string_view passage,
                      std::string_view title, std::string_view section, size_t snippet_words,
                      const HighlightContext* context, const StoredHitTokens* stored) {
  Highlighted out;
  std::vector<Token> analysed;
  const std::vector<Token>& tokens = stored ? stored->passage : (analysed = analyzer.Analyze(passage));
  std::vector<Span> spans;
  Scan(analyzer, dictionary, query, passage, tokens, spans, out.matched, context);
  for (int part = 0; part < 2; ++part) {
    const std::string_view text = part == 0 ? title : section;
    std::vector<Token> ctx_analysed;
    const std::vector<Token>& ctx_tokens =
        stored ? (part == 0 ? stored->title : stored->section) : (ctx_analysed = analyzer.Analyze(text));
    std::vector<Span> ctx_spans;
    Scan(analyzer, dictionary, query, text, ctx_tokens, ctx_spans, out.matched, context);
  }
  // Merge overlapping spans.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const Span& s : spans) {
    if (!merged.empty() && s.begin <= merged.back().end) merged.back().end = std::max(merged.back().end, s.end);
    else merged.push_back(s);
  }
  // Snippet window: the run of snippet_words words with the most highlights.
  std::vector<const Token*> words;
  for (const Token& t : tokens) {
    if (!t.compound) words.push_back(&t);
  }
  size_t first = 0, last = words.empty() ? 0 : words.size() - 1;
  if (snippet_words > 0 && words.size() > snippet_words) {
    // hit[w]: word w lies in a match (spans and words are both sorted).
    std::vector<bool> hit(words.size(), false);
    for (size_t w = 0, k = 0; w < words.size(); ++w) {
      while (k < merged.size() && merged[k].end < words[w]->end) ++k;
      hit[w] = k < merged.size() && words[w]->begin >= merged[k].begin && words[w]->end <= merged[k].end;
    }
    // Sliding window count of hits.
    size_t best = 0, best_count = 0, count = 0;
    for (size_t w = 0; w < words.size(); ++w) {
      count += hit[w];
      if (w >= snippet_words) count -= hit[w - snippet_words];
      if (w + 1 >= snippet_words && count > best_count) {
        best_count = count;
        best = w + 1 - snippet_words;
      }
    }
    if (best_count > 0) {
      // Lead in with up to three words of context, keeping every match of
      // the chosen window inside.
      size_t a = best, b = best + snippet_words - 1;
      while (!hit[a]) ++a;
      while (!hit[b]) --b;
      const size_t slack = snippet_words - 1 - (b - a);
      first = a - std::min({a, size_t{3}, slack});
    }
    last = std::min(words.size() - 1, first + snippet_words - 1);
  }
  size_t begin = 0, end = passage.size();
  if (!words.empty() && first > 0) begin = words[first]->begin;
  if (!words.empty() && last + 1 < words.size()) end = words[last]->end;
  std::string prefix = begin > 0 ? "\u2026 " : "";
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
  return out;
}

}  // namespace clinsearch
