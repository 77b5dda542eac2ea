// SPDX-License-Identifier: GPL-2.0-or-later
#include "tests/support/corpus_index.h"

#include <filesystem>
#include <stdexcept>

#include "clinsearch/status.h"

namespace clinsearch::testing_support {
namespace {

void ThrowUnlessOk(const Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error(what + ": " + status.ToString());
}

}  // namespace

CorpusIndex::CorpusIndex() : CorpusIndex(std::filesystem::temp_directory_path().string()) {}

CorpusIndex::CorpusIndex(const std::string& parent) : dir_(parent), path_(dir_ / "index") {
  auto writer = IndexWriter::Open(path_);
  ThrowUnlessOk(writer.status(), "opening " + path_);
  ThrowUnlessOk(writer->AddPath(CLINSEARCH_SOURCE_DIR "/corpus"), "indexing corpus/");
  ThrowUnlessOk(writer->Commit(), "committing " + path_);
  stats_ = writer->stats();
  diagnostics_ = writer->diagnostics();
}

const CorpusIndex& SharedCorpusIndex() {
  static const CorpusIndex index;
  return index;
}

}  // namespace clinsearch::testing_support
