// SPDX-License-Identifier: GPL-2.0-or-later
// Passage splitting: a document's sections become passages of readable size,
// the unit that is indexed, ranked and shown. A passage never crosses a
// section boundary; a lead-in line ending in ':' stays with the list it
// introduces; bullet items are grouped; a paragraph longer than max_words is
// cut at sentence ends.
#ifndef CLINSEARCH_INDEXER_PASSAGE_SPLITTER_H_
#define CLINSEARCH_INDEXER_PASSAGE_SPLITTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "clinsearch/document.h"
#include "clinsearch/index_writer.h"

namespace clinsearch {

// One passage: the unit that is indexed, ranked and returned.
struct Passage {
  std::string heading;    // the heading of the section it came from (may be empty)
  std::string text;       // the passage's own text
  int section_index = 0;  // which section of the document it came from
};

// Passages of one document in order. Sections without text yield none.
std::vector<Passage> SplitPassages(const Document& doc, const PassageOptions& options = {});

// Number of whitespace-separated words in `text`.
size_t CountWords(std::string_view text);

}  // namespace clinsearch

#endif  // CLINSEARCH_INDEXER_PASSAGE_SPLITTER_H_
