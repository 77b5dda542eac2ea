// SPDX-License-Identifier: GPL-2.0-or-later
// Document: one input document as the readers produce it and the index
// writer consumes it. A portal that already has its content in memory builds
// Documents directly and hands them to IndexWriter::AddDocument.
//
// Section text convention: paragraphs are separated by blank lines; a line
// starting with "- " is a bullet item. Passage splitting relies on it.
#ifndef CLINSEARCH_DOCUMENT_H_
#define CLINSEARCH_DOCUMENT_H_

#include <string>
#include <vector>

namespace clinsearch {

struct Section {
  std::string heading;  // may be empty
  std::string text;     // UTF-8; paragraphs separated by blank lines
};

struct Document {
  std::string id;      // stable identifier: the JSONL "id", or the file path
  std::string title;   // may be empty
  std::string url;     // optional
  std::string source;  // optional, e.g. "CancerGov"; used for filters
  std::vector<Section> sections;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_DOCUMENT_H_
