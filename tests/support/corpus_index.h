// SPDX-License-Identifier: GPL-2.0-or-later
// The bundled corpus/ indexed as the CLI indexes it, for tests that search
// it. Indexing takes about half a second, so a test program builds it once
// (SharedCorpusIndex) and tests that change an index work on a copy.
#ifndef CLINSEARCH_TESTS_SUPPORT_CORPUS_INDEX_H_
#define CLINSEARCH_TESTS_SUPPORT_CORPUS_INDEX_H_

#include <string>
#include <vector>

#include "clinsearch/index_writer.h"
#include "tests/support/temp_dir.h"

namespace clinsearch::testing_support {

// corpus/ indexed with the default IndexOptions (the bundled dictionary,
// mined synonyms, one database) into a fresh folder, removed with the
// object. Throws std::runtime_error when indexing fails.
class CorpusIndex {
 public:
  // In a TempDir under the system's temporary folder.
  CorpusIndex();
  // In a TempDir under `parent`.
  explicit CorpusIndex(const std::string& parent);
  CorpusIndex(const CorpusIndex&) = delete;
  CorpusIndex& operator=(const CorpusIndex&) = delete;

  // The index folder, for Searcher::Open.
  const std::string& path() const { return path_; }
  // What the writer reported after its Commit.
  const IndexStats& stats() const { return stats_; }
  const std::vector<std::string>& diagnostics() const { return diagnostics_; }

 private:
  TempDir dir_;
  std::string path_;
  IndexStats stats_;
  std::vector<std::string> diagnostics_;
};

// One CorpusIndex for the whole test program, built on first use and
// removed at exit. Read it only: a test that changes an index copies it.
const CorpusIndex& SharedCorpusIndex();

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_SUPPORT_CORPUS_INDEX_H_
