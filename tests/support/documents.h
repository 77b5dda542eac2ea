// SPDX-License-Identifier: GPL-2.0-or-later
// Small documents for tests that build their own index, and the search
// options they search it with.
#ifndef CLINSEARCH_TESTS_SUPPORT_DOCUMENTS_H_
#define CLINSEARCH_TESTS_SUPPORT_DOCUMENTS_H_

#include <string>
#include <vector>

#include "clinsearch/document.h"
#include "clinsearch/searcher.h"

namespace clinsearch::testing_support {

// A document `id` titled `title`, one section per text, headed "Part 1",
// "Part 2", ...
Document MakeDocument(const std::string& id, const std::string& title,
                      const std::vector<std::string>& section_texts);

// About 90 words mentioning `word` once: enough for a passage of its own.
std::string Paragraph(const std::string& word);

// Search options without spelling correction, for made-up words that the
// corrector would otherwise turn into words of the index.
SearchOptions Literal();

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_SUPPORT_DOCUMENTS_H_
