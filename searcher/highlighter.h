// Highlighter: finds what in a result passage matched the query (literal
// words, and dictionary concepts the query expanded to), picks the snippet
// window with the most matches, and explains each match in words.
#ifndef CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
#define CLINSEARCH_SEARCHER_HIGHLIGHTER_H_

#include <string>
#include <string_view>
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

// `title` and `section` only contribute explanations.
Highlighted Highlight(const Analyzer& analyzer, const Dictionary& dictionary,
                      const BuiltQuery& query, std::string_view passage, std::string_view title,
                      std::string_view section, size_t snippet_words);

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
