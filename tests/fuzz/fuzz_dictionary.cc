// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: the synonym dictionary parser (the .syn format, and the
// .tsv/.csv open-vocabulary importer in front of it), compiling the parsed
// concepts, matching them in text, and the Serialize/Deserialize round trip
// an index stores its dictionary with (it must keep the fingerprint).
//
// Input: first byte picks the format (syn, tsv, csv); the rest is the file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "analysis/vocabulary_import.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = clinsearch::fuzz::QuietLogs();
  static const clinsearch::Analyzer analyzer;
  (void)quiet;
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> problems;
  std::string text;
  switch (data[0] % 3) {
    case 0:
      text.assign(body);
      break;
    case 1:
      text = clinsearch::ImportVocabulary(body, "fuzz.tsv", &problems);
      break;
    default:
      text = clinsearch::ImportVocabulary(body, "fuzz.csv", &problems);
      break;
  }
  clinsearch::Dictionary dictionary;
  dictionary.Parse(text, "fuzz.syn", &problems, /*log_problems=*/false);
  dictionary.Compile(analyzer);
  for (const std::string& p : problems) FUZZ_CHECK(!p.empty());

  // Matching the file's own words: every match points at real tokens and
  // a real concept.
  const std::vector<clinsearch::Token> tokens = analyzer.Analyze(body);
  for (const clinsearch::DictionaryMatch& m : dictionary.Match(tokens, /*include_lay=*/true)) {
    FUZZ_CHECK(m.first <= m.last && m.last < tokens.size());
    FUZZ_CHECK(m.concept_id < dictionary.size());
  }

  clinsearch::Dictionary copy = clinsearch::Dictionary::Deserialize(dictionary.Serialize());
  FUZZ_CHECK(copy.Fingerprint() == dictionary.Fingerprint());
  copy.Compile(analyzer);
  FUZZ_CHECK(copy.size() == dictionary.size());
  return 0;
}
