// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: a query through the public Searcher API: parsing,
// spelling correction, dictionary expansion, ranking, highlighting and both
// output formats, over an index of the bundled corpus/ built at start-up
// (in a temporary folder, removed at exit). Autocomplete and the passages
// of a document id get the same bytes.
//
// Input: first byte holds the options (spelling, expansion, one passage per
// document, facets, whole passages); the rest is the query.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "clinsearch/format.h"
#include "clinsearch/searcher.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

clinsearch::Searcher* g_searcher = nullptr;

}  // namespace

// Set-up outside the timed inputs: index corpus/ and open it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clinsearch::fuzz::QuietLogs();
  auto searcher = clinsearch::Searcher::Open(clinsearch::fuzz::BuildCorpusIndex());
  FUZZ_CHECK(searcher.ok());
  g_searcher = new clinsearch::Searcher(std::move(*searcher));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clinsearch::Searcher& searcher = *g_searcher;
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string_view query(reinterpret_cast<const char*>(data) + 1, size - 1);
  clinsearch::SearchOptions options;
  options.spelling = flags & 1;
  options.expand = flags & 2;
  options.per_document = flags & 4 ? 1 : 0;
  options.facets = flags & 8;
  options.snippet_words = flags & 16 ? 0 : 40;
  options.limit = 5;

  auto response = searcher.Search(query, options);
  if (response.ok()) {
    FUZZ_CHECK(response->hits.size() <= options.limit);
    for (const clinsearch::Hit& hit : response->hits) {
      for (const auto& [begin, end] : hit.highlights)
        FUZZ_CHECK(begin <= end && end <= hit.snippet.size());
    }
    // Whatever the bytes, the JSON answer parses.
    FUZZ_CHECK(nlohmann::json::accept(clinsearch::FormatJson(*response)));
    (void)clinsearch::FormatText(*response, /*color=*/flags & 32);
  } else {
    FUZZ_CHECK(!response.status().message().empty());
    FUZZ_CHECK(
        nlohmann::json::accept(clinsearch::FormatJsonError(query, response.status().message())));
  }
  const auto suggestions = searcher.Suggest(query, 4);
  FUZZ_CHECK(suggestions.size() <= 4);
  FUZZ_CHECK(nlohmann::json::accept(clinsearch::FormatSuggestionsJson(query, suggestions)));
  (void)searcher.Passages(query);
  return 0;
}
