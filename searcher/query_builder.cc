#include "searcher/query_builder.h"

#include <algorithm>

#include "analysis/log.h"

namespace clinsearch {
namespace {

constexpr double kClassWeight = 0.5;  // a class of what was asked about
constexpr double kPartWeight = 0.3;   // single words inside an expanded phrase

// Replaces quote characters with spaces (keeping byte offsets) and returns
// the quoted byte ranges. An unmatched last quote is ignored.
std::vector<std::pair<size_t, size_t>> StripQuotes(std::string& text) {
  std::vector<std::pair<size_t, size_t>> quotes;  // (offset, length) of each quote char
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quotes.push_back({i, 1});
    else if (text.compare(i, 3, "\u201c") == 0 || text.compare(i, 3, "\u201d") == 0) quotes.push_back({i, 3});
  }
  if (quotes.size() % 2 == 1) quotes.pop_back();
  std::vector<std::pair<size_t, size_t>> ranges;
  for (size_t k = 0; k + 1 < quotes.size(); k += 2) {
    ranges.push_back({quotes[k].first, quotes[k + 1].first});
  }
  for (const auto& [at, len] : quotes) text.replace(at, len, std::string(len, ' '));
  return ranges;
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 character.
void CutUtf8(std::string& s, size_t max) {
  if (s.size() <= max) return;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

Xapian::Query PhraseOf(const std::vector<std::string>& terms) {
  if (terms.size() == 1) return Xapian::Query(terms[0]);
  return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end());
}

}  // namespace

bool QueryBuilder::Known(const Token& t) const {
  if (db_.get_termfreq(t.term) > 0) return true;
  return !t.acronym.empty() && db_.get_termfreq(t.acronym) > 0;
}

std::string QueryBuilder::Correct(const std::string& text, const std::vector<Token>& tokens,
                                  const std::vector<bool>& quoted) const {
  std::string out = text;
  bool changed = false;
  for (size_t i = tokens.size(); i-- > 0;) {
    const Token& t = tokens[i];
    if (quoted[i] || t.compound || !t.alphabetic || t.stopword || t.word.size() < 4) continue;
    if (Known(t)) continue;
    const std::string suggestion = db_.get_spelling_suggestion(t.word, 2);
    if (suggestion.empty() || suggestion == t.word) continue;
    if (db_.get_termfreq(analyzer_.Stem(suggestion)) == 0) continue;
    out.replace(t.begin, t.end - t.begin, suggestion);
    changed = true;
  }
  return changed ? out : std::string();
}

Result<BuiltQuery> QueryBuilder::Build(std::string_view input, bool spelling, bool expand,
                                       const QueryLimits& limits) const {
  std::string text(input);
  CutUtf8(text, limits.max_bytes);
  std::string analysed = text;
  auto quoted_ranges = StripQuotes(analysed);
  std::vector<Token> tokens = analyzer_.Analyze(analysed);
  if (tokens.empty()) {
    return Status::InvalidArgument("the query has no searchable words");
  }
  auto in_quotes = [&](const Token& t) {
    for (const auto& [b, e] : quoted_ranges) {
      if (t.begin > b && t.begin < e) return true;
    }
    return false;
  };
  std::vector<bool> quoted(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) quoted[i] = in_quotes(tokens[i]);

  BuiltQuery built;
  if (spelling) {
    std::string corrected = Correct(analysed, tokens, quoted);
    if (!corrected.empty()) {
      // Same byte layout for quotes: corrections never touch quoted words,
      // so re-derive the visible text by correcting the original too.
      built.corrected = Correct(text, analyzer_.Analyze(text), std::vector<bool>(tokens.size() + 64, false));
      if (built.corrected.empty()) built.corrected = corrected;
      analysed = corrected;
      quoted_ranges = StripQuotes(analysed);
      tokens = analyzer_.Analyze(analysed);
      quoted.assign(tokens.size(), false);
      for (size_t i = 0; i < tokens.size(); ++i) quoted[i] = in_quotes(tokens[i]);
      Log()->debug("spelling corrected the query to '{}'", built.corrected);
    }
  }
  // Bound the work: only the first max_words words count.
  {
    size_t words = 0, keep = tokens.size();
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!tokens[i].compound && ++words > limits.max_words) {
        keep = i;
        break;
      }
    }
    tokens.resize(keep);
    quoted.resize(keep);
  }

  const bool all_stopwords = std::all_of(tokens.begin(), tokens.end(),
                                         [](const Token& t) { return t.stopword; });
  // An acronym typed in capitals (AIDS, ALL) means the acronym only, even
  // where the index has no passage with it: "walking aids" is no answer.
  auto term_of = [&](const Token& t) { return t.acronym.empty() ? t.term : t.acronym; };
  auto surface = [&](size_t first, size_t last) {
    return analysed.substr(tokens[first].begin, tokens[last].end - tokens[first].begin);
  };

  std::vector<Xapian::Query> parts;
  std::vector<bool> covered(tokens.size(), false);

  // Quoted phrases: exact, not expanded.
  for (const auto& [b, e] : quoted_ranges) {
    std::vector<std::string> terms;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].begin > b && tokens[i].begin < e) {
        covered[i] = true;
        if (tokens[i].compound) continue;
        terms.push_back(term_of(tokens[i]));
        built.literal_terms.emplace(terms.back(), tokens[i].word);
      }
    }
    if (!terms.empty()) parts.push_back(PhraseOf(terms));
  }

  // Dictionary groups: longest match first, no overlaps.
  if (expand && !dictionary_.empty()) {
    std::vector<DictionaryMatch> matches = dictionary_.Match(tokens, /*include_lay=*/true);
    std::stable_sort(matches.begin(), matches.end(), [&](const auto& a, const auto& b) {
      if (tokens[a.first].begin != tokens[b.first].begin) return tokens[a.first].begin < tokens[b.first].begin;
      return tokens[a.last].end > tokens[b.last].end;
    });
    size_t covered_end = 0;
    for (size_t k = 0; k < matches.size();) {
      const DictionaryMatch& m = matches[k];
      size_t same = k;  // all matches with exactly this span form one group
      while (same < matches.size() && matches[same].first == m.first && matches[same].last == m.last) ++same;
      const size_t begin = tokens[m.first].begin, end = tokens[m.last].end;
      bool skip = begin < covered_end;
      for (size_t i = m.first; i <= m.last && !skip; ++i) skip = quoted[i];
      bool only_stop = true;
      for (size_t i = m.first; i <= m.last; ++i) only_stop &= tokens[i].stopword && tokens[i].acronym.empty();
      if (skip || only_stop) {
        k = same;
        continue;
      }
      covered_end = end;
      const std::string typed = surface(m.first, m.last);
      std::vector<std::string> literal;
      std::vector<Xapian::Query> individual;
      for (size_t i = m.first; i <= m.last; ++i) {
        covered[i] = true;
        if (tokens[i].compound) continue;
        literal.push_back(term_of(tokens[i]));
        built.literal_terms.emplace(literal.back(), tokens[i].word);
        if (!tokens[i].stopword) individual.emplace_back(literal.back());
      }
      std::vector<Xapian::Query> alternatives{PhraseOf(literal)};
      std::vector<Xapian::Query> classes;
      for (size_t j = k; j < same; ++j) {
        const Concept& c = dictionary_.concepts()[matches[j].concept_id];
        alternatives.emplace_back(c.ConceptTerm());
        if (c.is_class) alternatives.emplace_back(c.MemberTerm());
        built.concepts[matches[j].concept_id] = {ConceptUse::kDirect, typed, matches[j].relation};
        for (uint32_t p : c.parents) {
          classes.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                               Xapian::Query(dictionary_.concepts()[p].ConceptTerm()), kClassWeight);
          built.concepts.emplace(p, ConceptUse{ConceptUse::kClassOfQuery, typed, Relation::kName});
        }
        if (c.is_class) {
          built.concepts.emplace(matches[j].concept_id, ConceptUse{ConceptUse::kDirect, typed, matches[j].relation});
        }
      }
      parts.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
      for (auto& q : classes) parts.push_back(std::move(q));
      if (individual.size() > 1) {
        for (auto& q : individual) parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, kPartWeight);
      }
      k = same;
    }
  }

  // Remaining words.
  const Token* previous = nullptr;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (covered[i]) {
      previous = nullptr;
      continue;
    }
    if (t.stopword && !all_stopwords) {
      previous = nullptr;
      continue;
    }
    const std::string term = term_of(t);
    built.literal_terms.emplace(term, t.word);
    parts.emplace_back(term);
    // "radio frequency" also finds "radiofrequency".
    if (!t.compound && previous && previous->alphabetic && t.alphabetic) {
      const std::string joined = analyzer_.Stem(previous->word + t.word);
      if (db_.get_termfreq(joined) > 0) {
        parts.emplace_back(joined);
        built.literal_terms.emplace(joined, previous->word + t.word);
      }
    }
    if (!t.compound) previous = &t;
  }

  if (parts.empty()) return Status::InvalidArgument("the query has no searchable words");
  built.query = Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  return built;
}

}  // namespace clinsearch
