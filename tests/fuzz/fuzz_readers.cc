// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer targets: the document readers. Built four times, once per
// format (CLINSEARCH_FUZZ_FORMAT = 0 text, 1 Markdown, 2 HTML, 3 JSONL), so
// each has its own corpus and coverage. The documents read are split into
// passages as the indexer would, which must stay within the passage bounds.
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "clinsearch/index_writer.h"
#include "indexer/passage_splitter.h"
#include "indexer/readers.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

// Words of a passage, not counting the "- " that marks a list item.
size_t ContentWords(const std::string& text) {
  size_t markers = text.rfind("- ", 0) == 0 ? 1 : 0;
  for (size_t at = text.find("\n- "); at != std::string::npos; at = text.find("\n- ", at + 1))
    ++markers;
  return clinsearch::CountWords(text) - markers;
}

void Split(const clinsearch::Document& doc) {
  clinsearch::PassageOptions options;
  for (const clinsearch::Passage& p : clinsearch::SplitPassages(doc, options)) {
    FUZZ_CHECK(ContentWords(p.text) <= options.max_words);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = clinsearch::fuzz::QuietLogs();
  (void)quiet;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
#if CLINSEARCH_FUZZ_FORMAT == 0
  Split(clinsearch::ParseText(content, "fuzz.txt"));
#elif CLINSEARCH_FUZZ_FORMAT == 1
  Split(clinsearch::ParseMarkdown(content, "fuzz.md"));
#elif CLINSEARCH_FUZZ_FORMAT == 2
  Split(clinsearch::ParseHtml(content, "fuzz.html"));
#else
  std::istringstream in{std::string(content)};
  uint64_t bytes = 0;
  size_t problems = 0;
  clinsearch::ReadJsonl(
      in, "fuzz.jsonl", [](clinsearch::Document&& doc) { Split(doc); },
      [&](const std::string& problem) {
        // Problems name the file and line.
        FUZZ_CHECK(problem.rfind("fuzz.jsonl:", 0) == 0);
        ++problems;
      },
      &bytes);
  FUZZ_CHECK(bytes == size);
#endif
  return 0;
}
