// SPDX-License-Identifier: GPL-2.0-or-later
#include "searcher/query_builder.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include "base/log.h"
#include "base/utf8.h"
#include "searcher/question_types.h"
#include "storage/schema.h"

namespace clinsearch {
namespace {

constexpr double kBroaderWeight = 0.5;   // classes of what was asked about, or its members
constexpr size_t kMaxUntaggedNames = 8;  // phrases per concept the index does not tag
constexpr double kPartWeight = 0.3;      // single words inside an expanded phrase

// Replaces quote characters with spaces (keeping byte offsets) and returns
// the quoted byte ranges. An unmatched last quote is ignored.
std::vector<std::pair<size_t, size_t>> StripQuotes(std::string& text) {
  std::vector<std::pair<size_t, size_t>> quotes;  // (offset, length) of each quote char
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"')
      quotes.push_back({i, 1});
    else if (text.compare(i, 3, "\u201c") == 0 || text.compare(i, 3, "\u201d") == 0)
      quotes.push_back({i, 3});
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
    "hi",          "hello",  "dear",      "sir",        "madam",     "thanks",     "thank",
    "please",      "pls",    "kindly",    "help",       "question",  "questions",  "ask",
    "asking",      "know",   "knowing",   "wondering",  "wonder",    "curious",    "tell",
    "information", "info",   "regarding", "concerning", "anyone",    "someone",    "like",
    "want",        "wanted", "wants",     "need",       "needs",     "get",        "got",
    "getting",     "really", "much",      "many",       "thing",     "things",     "something",
    "anything",    "way",    "ways",      "find",       "found",     "look",       "looking",
    "read",        "heard",  "say",       "said",       "think",     "appreciate", "advice",
    "advise",      "answer", "answers",   "possible",   "currently", "recently",   "ago",
    "since",       "still",  "now",       "day",        "days",      "year",       "years",
    "month",       "months", "week",      "weeks",      "time",      "times",      "yes",
    "ok",          "okay",   "well",      "even",       "yet",       "though",     "however",
    "etc",         "lot",    "lots",      "bit",        "little",    "use",        "used",
    "using",       "take",   "taking",    "took",       "give",      "given",      "make",
    "made",        "go",     "going",     "come",       "came",      "one",        "two"};

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

Status NoSearchableWords() { return Status::InvalidArgument("the query has no searchable words"); }

// Whether byte offset `at` lies strictly inside one of the (begin, end) ranges.
bool InRanges(const std::vector<std::pair<size_t, size_t>>& ranges, size_t at) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [at](const auto& range) { return at > range.first && at < range.second; });
}

// Whether a word of match `m` is inside quotes.
bool AnyQuoted(const std::vector<bool>& quoted, const DictionaryMatch& m) {
  for (size_t i = m.first; i <= m.last; ++i) {
    if (quoted[i]) return true;
  }
  return false;
}

// Whether match `m` is stopwords only ("the", not "ALL").
bool OnlyStopwords(const std::vector<Token>& tokens, const DictionaryMatch& m) {
  for (size_t i = m.first; i <= m.last; ++i) {
    if (!tokens[i].stopword || !tokens[i].acronym.empty()) return false;
  }
  return true;
}

// The heading terms of the question types, as heading-prefixed queries.
std::vector<Xapian::Query> HeadingTerms(const std::vector<QuestionType>& question_types) {
  std::vector<Xapian::Query> headings;
  for (const QuestionType& type : question_types) {
    for (const std::string& h : type.heading_terms) {
      headings.emplace_back(std::string(kHeadingPrefix) + h);
    }
  }
  return headings;
}

// `words` AND_MAYBE `boost`, in a form Xapian ranks the same over several
// databases (shards) as over one: FILTER(words OR boost, words) matches and
// weighs exactly as AND_MAYBE.
// WORKAROUND(xapian<=1.4.22): across several databases, Xapian 1.4.22 skips
// some matches of a phrase inside OP_SYNONYM under AND_MAYBE (its max-weight
// pruning in a later shard; tests/shards_test.cc); remove when the minimum
// Xapian ranks AND_MAYBE the same over shards (tests/shards_test.cc passes
// with plain AND_MAYBE).
Xapian::Query ShardStableAndMaybe(const Xapian::Query& words, const Xapian::Query& boost) {
  return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_OR, words, boost),
                       words);
}

}  // namespace

// The query as the phases read it: the text, its tokens, and which are quoted.
struct QueryBuilder::QueryText {
  std::string typed;     // as typed (after the cut), quotes and all
  std::string analysed;  // `typed` with quote characters blanked: same byte offsets
  std::vector<std::pair<size_t, size_t>> quoted_ranges;  // byte ranges between quotes
  std::vector<Token> tokens;  // of `analysed`, the first max_words words only
  std::vector<bool> quoted;   // quoted[i]: tokens[i] is inside quotes

  // The word of token `t` as typed.
  std::string Word(const Token& t) const { return analysed.substr(t.begin, t.end - t.begin); }
  // The words of tokens first..last as typed, with what lies between them.
  std::string Words(size_t first, size_t last) const {
    return analysed.substr(tokens[first].begin, tokens[last].end - tokens[first].begin);
  }
};

// A dictionary group: its subqueries, and how often the same concepts were
// typed.
struct QueryBuilder::Group {
  std::vector<Xapian::Query> subqueries;
  unsigned count = 1;
};

// What the phases of Build share. Each phase adds to it in turn.
struct QueryBuilder::QueryPlan {
  explicit QueryPlan(size_t tokens) : covered(tokens, false) {}

  // OR-ed: what the words match.
  std::vector<Xapian::Query> parts;
  // The same things, asked of titles.
  std::vector<Xapian::Query> title_parts;
  // covered[i]: token i is in a quoted phrase or a dictionary group.
  std::vector<bool> covered;
  // Dictionary groups in the order typed, and the index of each set of
  // concept ids in `groups`.
  std::vector<Group> groups;
  std::map<std::vector<uint32_t>, size_t> group_of;
  // What the parts mean (literal_terms, concepts), and the query at the end.
  BuiltQuery built;
};

Result<BuiltQuery> QueryBuilder::Build(std::string_view input, const QueryLimits& limits) const {
  std::string typed(input);
  CutUtf8(typed, limits.max_bytes);
  QueryText text = Prepare(std::move(typed), limits);
  if (text.tokens.empty()) return NoSearchableWords();
  std::string corrected = options_.spelling ? Correct(text, limits) : std::string();
  // Question types are read from the words as typed, before the
  // conversational words of a long question are set aside.
  const std::vector<QuestionType> question_types = options_.heading_boost > 0
                                                       ? DetectQuestionTypes(analyzer_, text.tokens)
                                                       : std::vector<QuestionType>{};
  if (options_.drop_question_phrasing) SetAsideQuestionPhrasing(text.tokens);

  QueryPlan plan(text.tokens.size());
  plan.built.corrected = std::move(corrected);
  AddQuotedPhrases(text, plan);
  if (options_.expand && !dictionary_.empty()) AddConceptGroups(text, plan);
  WeighRepeatedGroups(plan);
  AddPlainWords(text, plan);
  if (plan.parts.empty()) return NoSearchableWords();
  plan.built.query =
      ApplyBoosts(Xapian::Query(Xapian::Query::OP_OR, plan.parts.begin(), plan.parts.end()),
                  plan.title_parts, question_types);
  return std::move(plan.built);
}

// Strips the quotes of `text`, analyses it, keeps the first max_words words
// and marks the quoted ones.
QueryBuilder::QueryText QueryBuilder::Prepare(std::string text, const QueryLimits& limits) const {
  QueryText out;
  out.typed = std::move(text);
  out.analysed = out.typed;
  out.quoted_ranges = StripQuotes(out.analysed);
  out.tokens = analyzer_.Analyze(out.analysed);
  // Bound the work: only the first max_words words count.
  size_t words = 0, keep = out.tokens.size();
  for (size_t i = 0; i < out.tokens.size(); ++i) {
    if (!out.tokens[i].compound && ++words > limits.max_words) {
      keep = i;
      break;
    }
  }
  out.tokens.resize(keep);
  out.quoted.assign(out.tokens.size(), false);
  for (size_t i = 0; i < out.tokens.size(); ++i) {
    out.quoted[i] = InRanges(out.quoted_ranges, out.tokens[i].begin);
  }
  return out;
}

// Corrects the misspelt words of `text` and prepares the corrected text in
// its place. Returns the corrected text, or empty when nothing changed.
std::string QueryBuilder::Correct(QueryText& text, const QueryLimits& limits) const {
  // `tokens` come from `analysed`, whose bytes line up with `typed` (quotes
  // are blanked, not removed): correct what was typed, quotes and all.
  std::string corrected = speller_.Correct(text.typed, text.tokens, text.quoted);
  if (!corrected.empty()) {
    // Not cut again (a correction may lengthen it): max_words still bounds it.
    text = Prepare(corrected, limits);
    Log()->debug("spelling corrected the query to '{}'", corrected);
  }
  return corrected;
}

// Quoted phrases: exact, not expanded.
void QueryBuilder::AddQuotedPhrases(const QueryText& text, QueryPlan& plan) {
  for (const auto& [b, e] : text.quoted_ranges) {
    std::vector<std::string> terms;
    for (size_t i = 0; i < text.tokens.size(); ++i) {
      const Token& t = text.tokens[i];
      if (t.begin > b && t.begin < e) {
        plan.covered[i] = true;
        if (t.compound) continue;
        terms.push_back(t.MatchTerm());
        plan.built.literal_terms.emplace(terms.back(), text.Word(t));
      }
    }
    if (!terms.empty()) plan.parts.push_back(PhraseOf(terms));
  }
}

// Dictionary groups: longest match first, no overlaps; a match inside quotes
// or of stopwords only is left to the other phases.
void QueryBuilder::AddConceptGroups(const QueryText& text, QueryPlan& plan) const {
  const std::vector<Token>& tokens = text.tokens;
  std::vector<DictionaryMatch> matches = dictionary_.Match(tokens, /*include_lay=*/true);
  std::stable_sort(matches.begin(), matches.end(), [&](const auto& a, const auto& b) {
    if (tokens[a.first].begin != tokens[b.first].begin) {
      return tokens[a.first].begin < tokens[b.first].begin;
    }
    return tokens[a.last].end > tokens[b.last].end;
  });
  size_t covered_end = 0;
  for (size_t k = 0; k < matches.size();) {
    const DictionaryMatch& m = matches[k];
    size_t same = k;  // all matches with exactly this span form one group
    while (same < matches.size() && matches[same].first == m.first &&
           matches[same].last == m.last) {
      ++same;
    }
    const bool overlaps = tokens[m.first].begin < covered_end;
    if (!overlaps && !AnyQuoted(text.quoted, m) && !OnlyStopwords(tokens, m)) {
      covered_end = tokens[m.last].end;
      AddGroup(text, std::span(matches).subspan(k, same - k), plan);
    }
    k = same;
  }
}

// Adds the group of one span (`span_matches`: the matches of exactly that span),
// or counts it again when the same concepts were typed before: a question's
// subject and body often repeat them, which counts like a repeated word, not
// as a second group.
void QueryBuilder::AddGroup(const QueryText& text, std::span<const DictionaryMatch> span_matches,
                            QueryPlan& plan) const {
  const DictionaryMatch& m = span_matches.front();
  for (size_t i = m.first; i <= m.last; ++i) plan.covered[i] = true;
  std::vector<uint32_t> group_concepts;
  for (const DictionaryMatch& match : span_matches) group_concepts.push_back(match.concept_id);
  std::sort(group_concepts.begin(), group_concepts.end());
  if (auto it = plan.group_of.find(group_concepts); it != plan.group_of.end()) {
    ++plan.groups[it->second].count;
    return;
  }
  plan.group_of.emplace(group_concepts, plan.groups.size());
  plan.groups.push_back(MakeGroup(text, span_matches, plan));
}

// The group of the words of one span and the concepts they name; records
// its literal terms and concepts and adds its title part.
QueryBuilder::Group QueryBuilder::MakeGroup(const QueryText& text,
                                            std::span<const DictionaryMatch> span_matches,
                                            QueryPlan& plan) const {
  const DictionaryMatch& m = span_matches.front();
  const std::string typed = text.Words(m.first, m.last);
  std::vector<std::string> literal;
  std::vector<Xapian::Query> individual;  // the words other than stopwords
  for (size_t i = m.first; i <= m.last; ++i) {
    const Token& t = text.tokens[i];
    if (t.compound) continue;
    literal.push_back(t.MatchTerm());
    plan.built.literal_terms.emplace(literal.back(), text.Word(t));
    if (!t.stopword) individual.emplace_back(literal.back());
  }
  std::vector<Xapian::Query> alternatives{PhraseOf(literal)};
  std::vector<Xapian::Query> in_title;
  for (const std::string& term : literal) {
    in_title.emplace_back(std::string(kTitlePrefix) + term);
  }
  std::vector<Xapian::Query> broader;  // classes of the concept, members of a class
  for (const DictionaryMatch& match : span_matches) {
    const Concept& c = dictionary_.concepts()[match.concept_id];
    alternatives.emplace_back(c.ConceptTerm());
    in_title.emplace_back(std::string(kTitleConceptPrefix) + c.id);
    // Names the index was not tagged with are looked for word by word.
    for (size_t n = 0; n < c.untagged_phrases.size() && n < kMaxUntaggedNames; ++n) {
      alternatives.push_back(PhraseOf(c.untagged_phrases[n]));
    }
    if (c.is_class) broader.emplace_back(c.MemberTerm());
    plan.built.concepts[match.concept_id] = {ConceptUse::kDirect, typed, match.relation};
    for (uint32_t p : c.parents) {
      broader.emplace_back(dictionary_.concepts()[p].ConceptTerm());
      plan.built.concepts.emplace(p, ConceptUse{ConceptUse::kClassOfQuery, typed, Relation::kName});
    }
  }
  plan.title_parts.emplace_back(Xapian::Query::OP_SYNONYM, in_title.begin(), in_title.end());
  // Beside the concept, its broader readings count as one more term at
  // half weight, and the bare words of a phrase at low weight: stacked
  // up one by one, such expansions would outweigh the other words typed.
  // WORKAROUND(xapian<=1.4.22): the broader readings are one OP_SYNONYM
  // rather than OP_MAX, on which Xapian 1.4.22 can crash under AND_MAYBE;
  // remove when the oldest Xapian supported runs OP_MAX under AND_MAYBE
  // without crashing (and the ranking is compared before switching).
  Group group;
  group.subqueries.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(),
                                alternatives.end());
  if (!broader.empty()) {
    group.subqueries.emplace_back(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_SYNONYM, broader.begin(), broader.end()), kBroaderWeight);
  }
  if (individual.size() > 1) {
    group.subqueries.emplace_back(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_OR, individual.begin(), individual.end()), kPartWeight);
  }
  return group;
}

// A group typed n times weighs as BM25 weighs a word typed n times (its
// query-frequency saturation, k3 = 1): 2n/(n+1).
void QueryBuilder::WeighRepeatedGroups(QueryPlan& plan) {
  for (const Group& g : plan.groups) {
    const double repeat = 2.0 * g.count / (g.count + 1.0);
    for (const Xapian::Query& q : g.subqueries) {
      plan.parts.push_back(g.count == 1 ? q
                                        : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, repeat));
    }
  }
}

// Remaining words (stopwords only when there is nothing else), each also
// asked of titles; a repeated word is one term with a higher wqf.
void QueryBuilder::AddPlainWords(const QueryText& text, QueryPlan& plan) const {
  const std::vector<Token>& tokens = text.tokens;
  const bool all_stopwords =
      std::all_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.stopword; });
  std::vector<std::string> plain;
  std::unordered_map<std::string, Xapian::termcount> wqf;
  auto add_plain = [&](const std::string& term) {
    if (wqf[term]++ == 0) plain.push_back(term);
  };
  const Token* previous = nullptr;  // the word before, when plain
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (plan.covered[i] || (t.stopword && !all_stopwords)) {
      previous = nullptr;
      continue;
    }
    const std::string term = t.MatchTerm();
    plan.built.literal_terms.emplace(term, text.Word(t));
    add_plain(term);
    // A hyphenated pair brings its own joined token right after it.
    const bool compound_follows = i + 1 < tokens.size() && tokens[i + 1].compound;
    if (!t.compound && !compound_follows && previous) {
      if (const std::string joined = MaybeJoined(*previous, t); !joined.empty()) {
        add_plain(joined);
        plan.built.literal_terms.emplace(joined, previous->word + t.word);
      }
    }
    if (!t.compound) previous = &t;
  }
  for (const std::string& term : plain) {
    plan.parts.emplace_back(term, wqf[term]);
    plan.title_parts.emplace_back(std::string(kTitlePrefix) + term, wqf[term]);
  }
}

// The term of `previous` and `t` written as one word, or empty: "radio
// frequency" also finds "radiofrequency", when the joined spelling is a usual
// one in the index (not a stray "sideeffects").
std::string QueryBuilder::MaybeJoined(const Token& previous, const Token& t) const {
  if (!previous.alphabetic || !t.alphabetic) return {};
  std::string joined = analyzer_.Stem(previous.word + t.word);
  const Xapian::doccount joined_freq = db_.get_termfreq(joined);
  if (joined_freq > 0 && joined_freq * 10 >= std::min(db_.get_termfreq(previous.MatchTerm()),
                                                      db_.get_termfreq(t.MatchTerm()))) {
    return joined;
  }
  return {};
}

// `words` with the title and heading boosts, which only rerank what the
// words matched (AND_MAYBE).
Xapian::Query QueryBuilder::ApplyBoosts(Xapian::Query words,
                                        const std::vector<Xapian::Query>& title_parts,
                                        const std::vector<QuestionType>& question_types) const {
  std::vector<Xapian::Query> boosts;
  if (options_.title_boost > 0 && !title_parts.empty()) {
    boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(Xapian::Query::OP_OR, title_parts.begin(), title_parts.end()),
                        options_.title_boost);
  }
  if (options_.heading_boost > 0) {
    std::vector<Xapian::Query> headings = HeadingTerms(question_types);
    if (!headings.empty()) {
      boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_OR, headings.begin(), headings.end()),
                          options_.heading_boost);
    }
  }
  if (boosts.empty()) return words;
  const Xapian::Query boost(Xapian::Query::OP_OR, boosts.begin(), boosts.end());
  if (options_.shard_stable_ranking) return ShardStableAndMaybe(words, boost);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, words, boost);
}

}  // namespace clinsearch
