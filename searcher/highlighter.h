// Highlighter: finds what in a result passage matched the query (literal
// words, and dictionary concepts the query expanded to), picks the snippet
// window with the most matches, and explains each match in words.
#ifndef CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
#define CLINSEARCH_SEARCHER_HIGHLIGHTER_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "searcher/query_builder.h"

namespace clinsearch {

struct Highlighted {
  std::string snippet;
  std::vector<std::pair<size_t, size_t>> highlights;  // byte ranges in snippet
  std::vector<std::string> matched;                   // explanations, deduplicated
};

// What highlighting needs of a query, worked out once for all its hits:
// the dictionary keys a concept match can start with (those of the query's
// concepts and of the members of the classes it named), and the terms of
// the words typed for each concept.
struct HighlightContext {
  TermSet keys;
  TermSet literal;  // the query's literal_terms, for the quick rejection test
  std::unordered_map<uint32_t, std::vector<std::string>> typed_terms;
};
HighlightContext PrepareHighlight(const Analyzer& analyzer, const Dictionary& dictionary,
                                  const BuiltQuery& query);

// The tokens of a hit's three texts as the index stored them (see
// index/stored_tokens.h).
struct StoredHitTokens {
  std::vector<Token> passage, title, section;
};

// `title` and `section` only contribute explanations. `context` (from
// PrepareHighlight for this query) and `stored` (the texts' tokens, as
// Analyze gives them) only make it faster: results are the same without.
Highlighted Highlight(const Analyzer& analyzer, const Dictionary& dictionary,
                      const BuiltQuery& query, std::string_view passage, std::string_view title,
                      std::string_view section, size_t snippet_words,
                      const HighlightContext* context = nullptr,
                      const StoredHitTokens* stored = nullptr);

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
