// SPDX-License-Identifier: GPL-2.0-or-later
// Shared by the libFuzzer targets: a check that aborts (libFuzzer reports
// an abort as a crash and saves the input), and quiet logs.
#ifndef CLINSEARCH_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define CLINSEARCH_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "tests/support/corpus_index.h"

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

namespace clinsearch::fuzz {

// Warnings about bad input are the expected outcome here; printing them
// for every input would slow fuzzing to a crawl.
inline bool QuietLogs() {
  spdlog::set_level(spdlog::level::off);
  return true;
}

// Indexes the bundled corpus/ into a fresh folder of the build tree, once
// (removed at exit; one left by a crash is in build-fuzz/, not /tmp), and
// returns the index path. For targets that search. A failure throws, which
// aborts the target.
inline std::string BuildCorpusIndex() {
  static const testing_support::CorpusIndex index(CLINSEARCH_BINARY_DIR);
  return index.path();
}

inline bool SameTokens(const std::vector<Token>& a, const std::vector<Token>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].term != b[i].term || a[i].word != b[i].word || a[i].acronym != b[i].acronym ||
        a[i].position != b[i].position || a[i].begin != b[i].begin || a[i].end != b[i].end ||
        a[i].compound != b[i].compound || a[i].stopword != b[i].stopword ||
        a[i].alphabetic != b[i].alphabetic)
      return false;
  }
  return true;
}

}  // namespace clinsearch::fuzz

#endif  // CLINSEARCH_TESTS_FUZZ_FUZZ_SUPPORT_H_
