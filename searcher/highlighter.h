// SPDX-License-Identifier: GPL-2.0-or-later
// Highlighter: finds what in a result passage matched the query (literal
// words, and dictionary concepts the query expanded to), picks the snippet
// window with the most matches, and explains each match in words.
//
//   const Highlighter highlighter(analyzer, dictionary, built, /*snippet_words=*/40);
//   for (const Passage& p : hits) {
//     Highlighted h = highlighter.Highlight(p.text, p.title, p.heading);
//   }
//
// Built once per query: what depends only on the query (the dictionary keys
// a concept match can start with, the terms of the words typed for each
// concept) is worked out in the constructor, not once per hit.
//
// Thread safety: Highlight() is const and keeps no state between calls; one
// Highlighter may serve several threads.
#ifndef CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
#define CLINSEARCH_SEARCHER_HIGHLIGHTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

// The tokens of a hit's three texts as the index stored them (see
// storage/stored_tokens.h).
struct StoredHitTokens {
  std::vector<Token> passage, title, section;
};

class Highlighter {
 public:
  // A byte range [begin, end) of a text.
  struct Span {
    size_t begin, end;
  };

  // `analyzer`, `dictionary` and `query` must outlive the highlighter.
  // Snippets are windows of `snippet_words` words (0: the whole passage).
  Highlighter(const Analyzer& analyzer, const Dictionary& dictionary, const BuiltQuery& query,
              size_t snippet_words);

  // The snippet of `passage` with its highlights, and the explanations of
  // the matches in all three texts: `title` and `section` only contribute
  // explanations. `stored` (the texts' tokens, as Analyze gives them) only
  // makes it faster: results are the same without.
  Highlighted Highlight(std::string_view passage, std::string_view title, std::string_view section,
                        const StoredHitTokens* stored = nullptr) const;

 private:
  // The spans of the matches in `passage` (whose tokens are
  // `passage_tokens`); the explanations of all three texts into `matched`.
  std::vector<Span> ScanFields(std::string_view passage, const std::vector<Token>& passage_tokens,
                               std::string_view title, std::string_view section,
                               const StoredHitTokens* stored,
                               std::vector<std::string>& matched) const;
  // One text's matches: their spans into `spans` (when given), their
  // explanations into `matched`.
  void Scan(std::string_view text, const std::vector<Token>& tokens, std::vector<Span>* spans,
            std::vector<std::string>& matched) const;
  void ScanLiterals(const std::vector<Token>& tokens, std::vector<Span>* spans,
                    std::vector<std::string>& matched) const;
  void ScanConcepts(std::string_view text, const std::vector<Token>& tokens,
                    std::vector<Span>* spans, std::vector<std::string>& matched) const;
  // Why a dictionary match, the words `seen`, answers the query
  // ("TYPED → SEEN (RELATION)"). Empty: it is the words typed (up to
  // inflection), a literal match explained by ScanLiterals. Nothing: it
  // does not answer the query.
  std::optional<std::string> ExplainConcept(const DictionaryMatch& m,
                                            const std::vector<Token>& tokens,
                                            const std::string& seen) const;

  const Analyzer& analyzer_;
  const Dictionary& dictionary_;
  const BuiltQuery& query_;
  const size_t snippet_words_;

  // Worked out from the query by the constructor.
  TermSet literal_;  // the query's literal_terms, for the quick rejection test
  TermSet keys_;     // the dictionary keys a match of the query's concepts can start with
  // The terms of the words typed for each of the query's concepts.
  std::unordered_map<uint32_t, std::vector<std::string>> typed_terms_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_HIGHLIGHTER_H_
