// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the Analyzer on arbitrary bytes (any text a document or
// a query can carry), and the stored-token round trip the searcher relies
// on: decoding what was encoded gives back exactly the analysed tokens.
#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/analyzer.h"
#include "storage/stored_tokens.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = clinsearch::fuzz::QuietLogs();
  static const clinsearch::Analyzer analyzer;
  (void)quiet;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const uint32_t first = size > 0 ? data[0] % 3 * 1000 : 0;
  const std::vector<clinsearch::Token> tokens = analyzer.Analyze(text, first);
  for (const clinsearch::Token& t : tokens) {
    // Every token lies inside the text it came from.
    FUZZ_CHECK(t.begin <= t.end && t.end <= text.size());
    FUZZ_CHECK(t.position >= first);
  }
  const std::string encoded = clinsearch::EncodeStoredTokens({{text, &tokens, first}});
  std::vector<clinsearch::Token> decoded;
  FUZZ_CHECK(clinsearch::DecodeStoredTokens(encoded, {{text, &decoded, first}}));
  FUZZ_CHECK(clinsearch::fuzz::SameTokens(tokens, decoded));
  return 0;
}
