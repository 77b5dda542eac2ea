// SPDX-License-Identifier: GPL-2.0-or-later
// Incremental indexing: unchanged documents are skipped, changed ones
// replaced, missing ones pruned, and a new dictionary re-analyses all; a
// full rebuild switches generations atomically.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "clinsearch/document.h"
#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "tests/support/documents.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"

namespace clinsearch {
namespace {

using testing_support::Literal;
using testing_support::MakeDocument;
using testing_support::Paragraph;
using testing_support::QuietLogs;
using testing_support::TempDir;

class IncrementalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { QuietLogs(); }

  std::string db() const { return dir_ / "index"; }

  // One writer session: `docs` added, then Prune() if `prune`, then Commit.
  IndexStats Run(const std::vector<Document>& docs, bool prune = false, IndexOptions options = {}) {
    auto w = IndexWriter::Open(db(), options);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    for (const Document& d : docs) EXPECT_TRUE(w->AddDocument(d).ok());
    if (prune) {
      EXPECT_TRUE(w->Prune().ok());
    }
    EXPECT_TRUE(w->Commit().ok());
    return w->stats();
  }

  // How many passages answer `word` (spelling correction off).
  size_t Hits(const std::string& word) {
    auto s = Searcher::Open(db());
    EXPECT_TRUE(s.ok());
    auto r = s->Search(word, Literal());
    return r.ok() ? r->hits.size() : 0;
  }

  TempDir dir_;
};

TEST_F(IncrementalTest, UnchangedDocumentsAreSkipped) {
  const std::vector<Document> docs = {MakeDocument("a", "A", {Paragraph("quokkas")}),
                                      MakeDocument("b", "B", {Paragraph("wombats")})};
  IndexStats first = Run(docs);
  EXPECT_EQ(first.added, 2u);
  IndexStats second = Run(docs);
  EXPECT_EQ(second.unchanged, 2u);
  EXPECT_EQ(second.documents, 0u);
  EXPECT_EQ(second.passages, 0u);
  EXPECT_EQ(Hits("quokkas"), 1u);
}

TEST_F(IncrementalTest, ChangedDocumentIsReplacedAndSearchableAtOnce) {
  Run({MakeDocument("a", "A", {Paragraph("quokkas")}),
       MakeDocument("b", "B", {Paragraph("wombats")})});
  IndexStats st = Run({MakeDocument("a", "A", {Paragraph("platypus")}),
                       MakeDocument("b", "B", {Paragraph("wombats")})});
  EXPECT_EQ(st.updated, 1u);
  EXPECT_EQ(st.unchanged, 1u);
  EXPECT_EQ(Hits("quokkas"), 0u);
  EXPECT_EQ(Hits("platypus"), 1u);
}

TEST_F(IncrementalTest, PruneDeletesDocumentsNoLongerGiven) {
  Run({MakeDocument("a", "A", {Paragraph("quokkas")}),
       MakeDocument("b", "B", {Paragraph("wombats")})});
  IndexOptions mass;  // one of two documents goes: beyond the default 10% guard
  mass.allow_mass_delete = true;
  IndexStats st = Run({MakeDocument("a", "A", {Paragraph("quokkas")})}, /*prune=*/true, mass);
  EXPECT_EQ(st.deleted, 1u);
  EXPECT_EQ(Hits("wombats"), 0u);
  EXPECT_EQ(Hits("quokkas"), 1u);
  // Without --prune nothing is deleted.
  IndexStats keep = Run({MakeDocument("c", "C", {Paragraph("echidnas")})});
  EXPECT_EQ(keep.deleted, 0u);
  EXPECT_EQ(Hits("quokkas"), 1u);
}

TEST_F(IncrementalTest, NewDictionaryReanalysesEverything) {
  const std::vector<Document> docs = {MakeDocument("a", "A", {Paragraph("quokkas")})};
  Run(docs);
  TempDir extra;
  const std::string syn = extra / "extra.syn";
  std::ofstream(syn) << "[quokka]\nsyn: short-tailed scrub wallaby\n";
  IndexOptions options;
  options.synonym_paths.push_back(syn);
  IndexStats st = Run(docs, false, options);
  EXPECT_EQ(st.updated, 1u);
  EXPECT_EQ(st.unchanged, 0u);
}

TEST_F(IncrementalTest, DuplicateIdInOneRunIsCountedAndTheLastWins) {
  IndexStats st = Run({MakeDocument("a", "A", {Paragraph("quokkas")}),
                       MakeDocument("a", "A", {Paragraph("platypus")})});
  EXPECT_EQ(st.duplicates, 1u);
  EXPECT_EQ(Hits("quokkas"), 0u);
  EXPECT_EQ(Hits("platypus"), 1u);
}

// Found by a sanitizer review: with analysis on worker threads, a re-run of
// an export that repeats an id could keep an earlier copy, because the last
// copy was judged "unchanged" before the earlier ones were applied.
TEST_F(IncrementalTest, RepeatedIdKeepsTheLastCopyOnEveryRun) {
  TempDir in;
  const std::string file = in / "export.jsonl";
  {
    std::ofstream out(file);
    for (const char* word : {"quokkas", "wombats", "platypus"}) {
      out << R"({"id": "same", "title": "T", "sections": [{"heading": "", "text": "About )" << word
          << R"(."}]})"
          << "\n";
    }
    for (int i = 0; i < 50; ++i) {
      out << R"({"id": "other)" << i
          << R"(", "title": "O", "sections": [{"heading": "", "text": "Filler )" << i << R"(."}]})"
          << "\n";
    }
  }
  for (int run = 0; run < 3; ++run) {
    IndexOptions options;
    options.threads = 2;
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->AddPath(file).ok());
    ASSERT_TRUE(w->Commit().ok());
    EXPECT_EQ(Hits("platypus"), 1u) << "run " << run;
    EXPECT_EQ(Hits("quokkas"), 0u) << "run " << run;
    EXPECT_EQ(Hits("wombats"), 0u) << "run " << run;
  }
}

// A full rebuild is written beside the live generation; searchers keep the
// old answers until Commit switches generations, then pick up the new one.
TEST_F(IncrementalTest, RebuildSwitchesGenerationsAtomically) {
  Run({MakeDocument("a", "A", {Paragraph("quokkas")})});
  auto searcher = Searcher::Open(db());
  ASSERT_TRUE(searcher.ok());
  auto count = [&](const char* word) {
    auto r = searcher->Search(word, Literal());
    return r.ok() ? r->hits.size() : 0;
  };
  for (int round = 0; round < 3; ++round) {
    IndexOptions options;
    options.rebuild = true;
    options.allow_mass_delete = true;  // the rebuild replaces every document on purpose
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    const char* word = round % 2 == 0 ? "wombats" : "quokkas";
    const char* old_word = round % 2 == 0 ? "quokkas" : "wombats";
    ASSERT_TRUE(w->AddDocument(MakeDocument("b", "B", {Paragraph(word)})).ok());
    ASSERT_TRUE(searcher->Reopen().ok());
    EXPECT_EQ(count(old_word), 1u) << "round " << round << ": old generation still answers";
    EXPECT_EQ(count(word), 0u) << "round " << round << ": nothing of the rebuild is visible yet";
    ASSERT_TRUE(w->Commit().ok());
    ASSERT_TRUE(searcher->Reopen().ok());
    EXPECT_EQ(count(word), 1u) << "round " << round;
    EXPECT_EQ(count(old_word), 0u)
        << "round " << round << ": a rebuild holds only what it was given";
  }
  // Old generations are removed, the one before the live one is kept.
  size_t generations = 0;
  for (const auto& e : std::filesystem::directory_iterator(db())) {
    generations += e.path().filename().string().rfind("gen-", 0) == 0;
  }
  EXPECT_EQ(generations, 2u);
}

}  // namespace
}  // namespace clinsearch
