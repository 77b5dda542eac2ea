// SPDX-License-Identifier: GPL-2.0-or-later
// Document readers: turn files into Documents. Each Parse* function is pure
// (content in, document out) so it can be tested without files.
#ifndef CLINSEARCH_INDEXER_READERS_H_
#define CLINSEARCH_INDEXER_READERS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clinsearch/document.h"

namespace clinsearch {

// Plain text: the first line is the title when it looks like one; a short
// line standing alone between blank lines is a section heading; "- ", "* ",
// "•" and "1." lines are bullets.
Document ParseText(std::string_view content, const std::string& id);
// Markdown (CommonMark): the first level-1 heading is the title, other
// headings start sections; list items become bullets.
Document ParseMarkdown(std::string_view content, const std::string& id);
// HTML: <title> (or the first <h1>) is the title, headings start sections;
// script, style, template and noscript content is dropped. Elements nested
// deeper than kMaxHtmlDepth lose their tags but keep their text.
Document ParseHtml(std::string_view content, const std::string& id);

inline constexpr size_t kMaxHtmlDepth = 256;

// `html` with the tags of elements nested deeper than `max_depth` removed,
// or an empty string when nothing is that deep. `deepest` (optional)
// receives the depth seen, capped at max_depth + 1.
std::string LimitHtmlDepth(std::string_view html, size_t max_depth, size_t* deepest = nullptr);

// Called with every document read; problems as "FILE:LINE: message".
using DocumentSink = std::function<void(Document&&)>;
using ProblemSink = std::function<void(const std::string&)>;

// JSON Lines, one document per line (the format of corpus/README.md in
// ../shared): {"id", "title", "url"?, "source"?, "sections": [{"heading",
// "text"}]} or a single "text". Bad lines are reported and skipped.
// `bytes_read`, when given, grows by the bytes consumed, line by line.
void ReadJsonl(std::istream& in, const std::string& name, const DocumentSink& sink,
               const ProblemSink& problem, uint64_t* bytes_read = nullptr);

// Whether ReadPath reads files with this name's extension.
bool IsSupportedFile(const std::string& path);

// Where ReadPath hands what it reads.
struct ReadSinks {
  DocumentSink document;
  // Problems with the content of a file ("FILE:LINE: message"); the rest
  // of it is read.
  ProblemSink problem;
  // An input that could not be read at all ("PATH: message"): a file that
  // cannot be opened or read to its end, or a folder (or sub-folder) that
  // cannot be listed. Its documents are missing from what was read.
  ProblemSink read_error;
  // The id of a file's document, from its path as found (the path itself
  // when not set). JSONL documents carry their own ids.
  std::function<std::string(const std::string&)> file_id;
  // Grows by the bytes consumed, for progress (optional).
  uint64_t* bytes_read = nullptr;
};

// Reads a file, or all supported files below a folder (sorted by path; a
// symbolic link to a folder inside it is not followed, so a loop cannot be
// walked), and hands each document to `sinks.document`. Returns false if
// `path` does not exist (a path that exists but cannot be examined is a
// read error). `bytes_read` ends at InputBytes(path) when every file could
// be read.
bool ReadPath(const std::string& path, const ReadSinks& sinks);
// The same, with read errors reported as problems and ids as paths.
bool ReadPath(const std::string& path, const DocumentSink& sink, const ProblemSink& problem,
              uint64_t* bytes_read = nullptr);

// Every supported file ReadPath(path) would read, sorted, or false if
// `path` does not exist; inputs it could not examine go to `read_error`.
bool ListInputFiles(const std::string& path, std::vector<std::string>* files,
                    const ProblemSink& read_error);

// The total size of the files ReadPath(path) reads (0 if there are none).
uint64_t InputBytes(const std::string& path);

}  // namespace clinsearch

#endif  // CLINSEARCH_INDEXER_READERS_H_
