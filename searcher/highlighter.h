// Highlighter: finds what in a result passage matched the query (literal
// words, and dictionary concepts the query expanded to), picks the snippet
// window with the most matches, and explains each match in words.
#ifndef CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
#define CLINSEARCH_SEARCHER_HIGHLIGHTER_H_

#include <string>
#include <string_view>
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

// The dictionary keys a highlighted concept match can start with: those of
// the query's concepts and of the members of the classes it named. Compute
// once per query and pass to Highlight for every hit.
std::unordered_set<std::string> HighlightKeys(const Dictionary& dictionary, const BuiltQuery& query);

// `title` and `section` only contribute explanations. `keys` (from
// HighlightKeys) only makes it faster: results are the same without.
Highlighted Highlight(const Analyzer& analyzer, const Dictionary& dictionary,
                      const BuiltQuery& query, std::string_view passage, std::string_view title,
                      std::string_view section, size_t snippet_words,
                      const std::unordered_set<std::string>* keys = nullptr);

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
