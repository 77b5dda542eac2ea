// SPDX-License-Identifier: GPL-2.0-or-later
// Output formats for search responses: JSON Lines for programs and a
// readable listing for terminals. Used by the CLI; available to embedders.
#ifndef CLINSEARCH_FORMAT_H_
#define CLINSEARCH_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

#include "clinsearch/export.h"
#include "clinsearch/searcher.h"

namespace clinsearch {

// One JSON object on one line (no trailing newline):
// {"id", "query", "corrected"?, "total", "results": [{"rank", "score",
//  "doc_id", "title", "section", "source"?, "url"?, "passage", "snippet",
//  "matched": [...]}], "facets"?: {"source": {"NAME": passages}}}.
// "snippet" is HTML: text escaped, matches in <mark>.
// `id` is omitted when empty.
CLINSEARCH_EXPORT std::string FormatJson(const SearchResponse& response, std::string_view id = {});

// JSON for a query that failed: {"id", "query", "error"}.
CLINSEARCH_EXPORT std::string FormatJsonError(std::string_view query, std::string_view error,
                                              std::string_view id = {});

// {"query", "suggestions": [{"text", "kind": "concept"|"word"|"spelling",
//  "concept"?}]}.
CLINSEARCH_EXPORT std::string FormatSuggestionsJson(std::string_view query,
                                                    const std::vector<Suggestion>& suggestions);

// {"doc_id", "title", "source"?, "url"?, "passages": [{"section", "passage"}]}
// from the passages of one document (Searcher::Passages), in order.
CLINSEARCH_EXPORT std::string FormatDocumentJson(std::string_view doc_id,
                                                 const std::vector<Hit>& passages);

// A readable listing; matches in bold when `color` (ANSI), else [brackets].
CLINSEARCH_EXPORT std::string FormatText(const SearchResponse& response, bool color);

}  // namespace clinsearch

#endif  // CLINSEARCH_FORMAT_H_
