#include "searcher/query_builder.h"

#include <algorithm>
#include <map>
#include <unordered_set>

#include "analysis/index_layout.h"
#include "analysis/log.h"
#include "analysis/utf8.h"
#include "searcher/question_types.h"

namespace clinsearch {
namespace {

constexpr double kBroaderWeight = 0.5;  // classes of what was asked about, or its members
constexpr size_t kMaxUntaggedNames = 8;  // phrases per concept the index does not tag
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

// Words that carry the conversation of a long consumer question ("Hi, I
// would like to know ... thank you"), not its topic. In a question of
// kLongQuestionWords words or more they are treated as stopwords.
constexpr size_t kLongQuestionWords = 6;
constexpr std::string_view kQuestionPhrasing[] = {
    "hi", "hello", "dear", "sir", "madam", "thanks", "thank", "please", "pls", "kindly",
    "help", "question", "questions", "ask", "asking", "know", "knowing", "wondering", "wonder",
    "curious", "tell", "information", "info", "regarding", "concerning", "anyone", "someone",
    "like", "want", "wanted", "wants", "need", "needs", "get", "got", "getting", "really",
    "much", "many", "thing", "things", "something", "anything", "way", "ways", "find", "found",
    "look", "looking", "read", "heard", "say", "said", "think", "appreciate", "advice",
    "advise", "answer", "answers", "possible", "currently", "recently", "ago", "since",
    "still", "now", "day", "days", "year", "years", "month", "months", "week", "weeks",
    "time", "times", "yes", "ok", "okay", "well", "even", "yet", "though", "however",
    "etc", "lot", "lots", "bit", "little", "use", "used", "using", "take", "taking", "took",
    "give", "given", "make", "made", "go", "going", "come", "came", "one", "two"};

// Marks the conversational words of a long question as stopwords.
void SetAsideQuestionPhrasing(std::vector<Token>& tokens) {
  size_t words = 0;
  for (const Token& t : tokens) words += !t.compound && !t.stopword;
  if (words < kLongQuestionWords) return;
  for (Token& t : tokens) {
    if (!t.acronym.empty()) continue;
    for (std::string_view w : kQuestionPhrasing) {
      if (t.word == w) {
        t.stopword = true;
        break;
      }
    }
  }
}

Xapian::Query PhraseOf(const std::vector<std::string>& terms) {
  if (terms.size() == 1) return Xapian::Query(terms[0]);
  return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end());
}

}  // namespace

Result<BuiltQuery> QueryBuilder::Build(std::string_view input, const QueryLimits& limits) const {
  std::string text(input);
  CutUtf8(text, limits.max_bytes);
  std::string analysed = text;
  auto quoted_ranges = StripQuotes(analysed);
  std::vector<Token> tokens = analyzer_.Analyze(analysed);
  if (tokens.empty()) {
    return Status::InvalidArgument("the query has no searchable words");
  }
  // Bound the work: only the first max_words words count.
  auto bound = [&] {
    size_t words = 0, keep = tokens.size();
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!tokens[i].compound && ++words > limits.max_words) {
        keep = i;
        break;
      }
    }
    tokens.resize(keep);
  };
  bound();
  auto in_quotes = [&](const Token& t) {
    for (const auto& [b, e] : quoted_ranges) {
      if (t.begin > b && t.begin < e) return true;
    }
    return false;
  };
  std::vector<bool> quoted(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) quoted[i] = in_quotes(tokens[i]);

  BuiltQuery built;
  if (options_.spelling) {
    // `tokens` come from `analysed`, whose bytes line up with `text` (quotes
    // are blanked, not removed): correct what was typed, quotes and all.
    built.corrected = speller_.Correct(text, tokens, quoted);
    if (!built.corrected.empty()) {
      analysed = built.corrected;
      quoted_ranges = StripQuotes(analysed);
      tokens = analyzer_.Analyze(analysed);
      bound();
      quoted.assign(tokens.size(), false);
      for (size_t i = 0; i < tokens.size(); ++i) quoted[i] = in_quotes(tokens[i]);
      Log()->debug("spelling corrected the query to '{}'", built.corrected);
    }
  }
  // Question types are read from the words as typed, before the
  // conversational words of a long question are set aside.
  const std::vector<QuestionType> question_types =
      options_.heading_boost > 0 ? DetectQuestionTypes(analyzer_, tokens) : std::vector<QuestionType>{};
  if (options_.drop_question_phrasing) SetAsideQuestionPhrasing(tokens);
  const bool all_stopwords = std::all_of(tokens.begin(), tokens.end(),
                                         [](const Token& t) { return t.stopword; });
  // An acronym typed in capitals (AIDS, ALL) means the acronym only, even
  // where the index has no passage with it: "walking aids" is no answer.
  auto term_of = [&](const Token& t) { return t.acronym.empty() ? t.term : t.acronym; };
  auto typed_word = [&](const Token& t) { return analysed.substr(t.begin, t.end - t.begin); };
  auto surface = [&](size_t first, size_t last) {
    return analysed.substr(tokens[first].begin, tokens[last].end - tokens[first].begin);
  };

  std::vector<Xapian::Query> parts;
  std::vector<bool> covered(tokens.size(), false);
  // Dictionary groups, and how often each was typed.
  struct Group {
    std::vector<Xapian::Query> subqueries;
    unsigned count = 1;
  };
  std::vector<Group> groups;
  std::map<std::vector<uint32_t>, size_t> group_of;
  std::vector<Xapian::Query> title_parts;  // the same things, asked of titles

  // Quoted phrases: exact, not expanded.
  for (const auto& [b, e] : quoted_ranges) {
    std::vector<std::string> terms;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].begin > b && tokens[i].begin < e) {
        covered[i] = true;
        if (tokens[i].compound) continue;
        terms.push_back(term_of(tokens[i]));
        built.literal_terms.emplace(terms.back(), typed_word(tokens[i]));
      }
    }
    if (!terms.empty()) parts.push_back(PhraseOf(terms));
  }

  // Dictionary groups: longest match first, no overlaps.
  if (options_.expand && !dictionary_.empty()) {
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
      // The same concept typed again (a question's subject and body often
      // repeat it) counts like a repeated word, not as a second group.
      std::vector<uint32_t> group_concepts;
      for (size_t j = k; j < same; ++j) group_concepts.push_back(matches[j].concept_id);
      std::sort(group_concepts.begin(), group_concepts.end());
      if (auto it = group_of.find(group_concepts); it != group_of.end()) {
        ++groups[it->second].count;
        for (size_t i = m.first; i <= m.last; ++i) covered[i] = true;
        k = same;
        continue;
      }
      group_of.emplace(group_concepts, groups.size());
      std::vector<std::string> literal;
      std::vector<Xapian::Query> individual;
      for (size_t i = m.first; i <= m.last; ++i) {
        covered[i] = true;
        if (tokens[i].compound) continue;
        literal.push_back(term_of(tokens[i]));
        built.literal_terms.emplace(literal.back(), typed_word(tokens[i]));
        if (!tokens[i].stopword) individual.emplace_back(literal.back());
      }
      std::vector<Xapian::Query> alternatives{PhraseOf(literal)};
      std::vector<Xapian::Query> in_title;
      for (const std::string& term : literal) in_title.emplace_back(std::string(kTitlePrefix) + term);
      std::vector<Xapian::Query> broader;  // classes of the concept, members of a class
      for (size_t j = k; j < same; ++j) {
        const Concept& c = dictionary_.concepts()[matches[j].concept_id];
        alternatives.emplace_back(c.ConceptTerm());
        in_title.emplace_back(std::string(kTitleConceptPrefix) + c.id);
        // Names the index was not tagged with are looked for word by word.
        for (size_t n = 0; n < c.untagged_phrases.size() && n < kMaxUntaggedNames; ++n) {
          alternatives.push_back(PhraseOf(c.untagged_phrases[n]));
        }
        if (c.is_class) broader.emplace_back(c.MemberTerm());
        built.concepts[matches[j].concept_id] = {ConceptUse::kDirect, typed, matches[j].relation};
        for (uint32_t p : c.parents) {
          broader.emplace_back(dictionary_.concepts()[p].ConceptTerm());
          built.concepts.emplace(p, ConceptUse{ConceptUse::kClassOfQuery, typed, Relation::kName});
        }
        if (c.is_class) {
          built.concepts.emplace(matches[j].concept_id, ConceptUse{ConceptUse::kDirect, typed, matches[j].relation});
        }
      }
      // Beside the concept, its broader readings count as one more term at
      // half weight, and the bare words of a phrase at low weight: stacked
      // up one by one, such expansions would outweigh the other words typed.
      // (OP_SYNONYM rather than OP_MAX: Xapian 1.4.22 can crash on OP_MAX
      // under AND_MAYBE.)
      Group group;
      group.subqueries.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
      title_parts.emplace_back(Xapian::Query::OP_SYNONYM, in_title.begin(), in_title.end());
      if (!broader.empty()) {
        group.subqueries.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                      Xapian::Query(Xapian::Query::OP_SYNONYM, broader.begin(), broader.end()),
                                      kBroaderWeight);
      }
      if (individual.size() > 1) {
        group.subqueries.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                      Xapian::Query(Xapian::Query::OP_OR, individual.begin(), individual.end()),
                                      kPartWeight);
      }
      groups.push_back(std::move(group));
      k = same;
    }
  }

  for (const Group& g : groups) {
    // BM25's query-frequency saturation (k3 = 1): n mentions weigh 2n/(n+1).
    const double repeat = 2.0 * g.count / (g.count + 1.0);
    for (const Xapian::Query& q : g.subqueries) {
      parts.push_back(g.count == 1 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, repeat));
    }
  }

  // Remaining words; a repeated word is one term with a higher wqf.
  std::vector<std::string> plain;
  std::unordered_map<std::string, Xapian::termcount> wqf;
  auto add_plain = [&](const std::string& term) {
    if (wqf[term]++ == 0) plain.push_back(term);
  };
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
    built.literal_terms.emplace(term, typed_word(t));
    add_plain(term);
    // "radio frequency" also finds "radiofrequency", when the joined
    // spelling is a usual one in the index (not a stray "sideeffects").
    // (A hyphenated pair brings its own joined token right after it.)
    const bool compound_follows = i + 1 < tokens.size() && tokens[i + 1].compound;
    if (!t.compound && !compound_follows && previous && previous->alphabetic && t.alphabetic) {
      const std::string joined = analyzer_.Stem(previous->word + t.word);
      const Xapian::doccount joined_freq = db_.get_termfreq(joined);
      if (joined_freq > 0 &&
          joined_freq * 10 >= std::min(db_.get_termfreq(term_of(*previous)), db_.get_termfreq(term))) {
        add_plain(joined);
        built.literal_terms.emplace(joined, previous->word + t.word);
      }
    }
    if (!t.compound) previous = &t;
  }

  for (const std::string& term : plain) {
    parts.emplace_back(term, wqf[term]);
    title_parts.emplace_back(std::string(kTitlePrefix) + term, wqf[term]);
  }
  if (parts.empty()) return Status::InvalidArgument("the query has no searchable words");
  built.query = Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());

  // Boosts only rerank what the words matched (AND_MAYBE).
  std::vector<Xapian::Query> boosts;
  if (options_.title_boost > 0 && !title_parts.empty()) {
    boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Xapian::Query::OP_OR, title_parts.begin(), title_parts.end()),
                        options_.title_boost);
  }
  if (options_.heading_boost > 0) {
    std::vector<Xapian::Query> headings;
    for (const QuestionType& type : question_types) {
      for (const std::string& h : type.heading_terms) headings.emplace_back(std::string(kHeadingPrefix) + h);
    }
    if (!headings.empty()) {
      boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_OR, headings.begin(), headings.end()),
                          options_.heading_boost);
    }
  }
  if (!boosts.empty()) {
    const Xapian::Query boost(Xapian::Query::OP_OR, boosts.begin(), boosts.end());
    if (options_.shard_stable_ranking) {
      // Across several databases, Xapian 1.4.22 skips some matches of a
      // phrase inside OP_SYNONYM under AND_MAYBE (its max-weight pruning
      // in a later shard; tests/shards_test.cc). FILTER(words OR boosts,
      // words) matches and weighs exactly as AND_MAYBE.
      built.query = Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_OR, built.query, boost),
                                  built.query);
    } else {
      built.query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, built.query, boost);
    }
  }
  return built;
}

}  // namespace clinsearch
