// SPDX-License-Identifier: GPL-2.0-or-later
// Changing an index through the public API: a reopened searcher sees new
// documents, a document given again replaces its passages, bad documents
// are rejected or repaired, a changed bundled dictionary is reported,
// progress is reported, and periodic commits survive a crash.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "clinsearch/document.h"
#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "clinsearch/status.h"
#include "tests/support/documents.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;

using testing_support::Literal;
using testing_support::MakeDocument;
using testing_support::Paragraph;
using testing_support::QuietLogs;
using testing_support::TempDir;

class IndexChangeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { QuietLogs(); }
  TempDir dir_;
  std::string db() const { return dir_ / "index"; }
};

TEST_F(IndexChangeTest, ReopenPicksUpNewDocument) {
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(w->AddDocument(MakeDocument("doc/one", "One", {Paragraph("quokkas")})).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto searcher = Searcher::Open(db());
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  const size_t before = searcher->passage_count();
  {
    auto r = searcher->Search("wombats", Literal());
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->hits.empty());
  }
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(w->AddDocument(MakeDocument("doc/two", "Two", {Paragraph("wombats")})).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  ASSERT_TRUE(searcher->Reopen().ok());
  EXPECT_GT(searcher->passage_count(), before);
  auto r = searcher->Search("wombats", Literal());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].doc_id, "doc/two");
  EXPECT_EQ(r->hits[0].title, "Two");
  // Reopen with nothing new is fine too.
  EXPECT_TRUE(searcher->Reopen().ok());
}

TEST_F(IndexChangeTest, SameIdReplacesPassages) {
  size_t passages = 0;
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(w->AddDocument(MakeDocument("doc/other", "Other", {Paragraph("lemurs")})).ok());
    ASSERT_TRUE(
        w->AddDocument(MakeDocument("doc/a", "A", {Paragraph("quokkas"), Paragraph("quokkas")}))
            .ok());
    ASSERT_TRUE(w->Commit().ok());
    passages = w->stats().passages;
  }
  auto searcher = Searcher::Open(db());
  ASSERT_TRUE(searcher.ok());
  const size_t count = searcher->passage_count();
  EXPECT_EQ(count, passages);
  ASSERT_GE(count, 3u);

  // Same id, same shape, new words: in a new writer session ...
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(
        w->AddDocument(MakeDocument("doc/a", "A2", {Paragraph("wombats"), Paragraph("wombats")}))
            .ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  ASSERT_TRUE(searcher->Reopen().ok());
  EXPECT_EQ(searcher->passage_count(), count);
  auto old_words = searcher->Search("quokkas", Literal());
  ASSERT_TRUE(old_words.ok());
  EXPECT_TRUE(old_words->hits.empty());
  auto new_words = searcher->Search("wombats", Literal());
  ASSERT_TRUE(new_words.ok());
  ASSERT_FALSE(new_words->hits.empty());
  for (const Hit& h : new_words->hits) {
    EXPECT_EQ(h.doc_id, "doc/a");
    EXPECT_EQ(h.title, "A2");
  }

  // ... and twice within one session.
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(
        w->AddDocument(MakeDocument("doc/a", "A3", {Paragraph("koalas"), Paragraph("koalas")}))
            .ok());
    ASSERT_TRUE(
        w->AddDocument(MakeDocument("doc/a", "A4", {Paragraph("numbats"), Paragraph("numbats")}))
            .ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  ASSERT_TRUE(searcher->Reopen().ok());
  EXPECT_EQ(searcher->passage_count(), count);
  for (const char* gone : {"wombats", "koalas"}) {
    auto r = searcher->Search(gone, Literal());
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->hits.empty()) << gone;
  }
  auto r = searcher->Search("numbats", Literal());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].title, "A4");
  // The other document is untouched.
  r = searcher->Search("lemurs", Literal());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].doc_id, "doc/other");
}

TEST_F(IndexChangeTest, DocumentWithoutIdOrTextIsRejected) {
  auto w = IndexWriter::Open(db());
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->AddDocument(MakeDocument("", "No id", {Paragraph("quokkas")})).ok());
  EXPECT_FALSE(w->AddDocument(MakeDocument("doc/empty", "Empty", {})).ok());
  EXPECT_EQ(w->stats().documents, 0u);
  EXPECT_EQ(w->stats().skipped, 2u);
}

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF).
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// A Document built in memory (not read from a file) with invalid UTF-8 in
// its title and text is indexed with the bad bytes replaced: what the
// Searcher returns is valid UTF-8 with U+FFFD where the bytes were.
TEST_F(IndexChangeTest, InvalidUtf8InMemoryDocumentIsRepaired) {
  const std::string kReplacement = "\xEF\xBF\xBD";
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    Document d = MakeDocument("doc/bad-bytes", "Bad \xff\xfe title",
                              {Paragraph("quokkas") + " Broken \xc3\x28 and \xed\xa0\x80 bytes."});
    const Status added = w->AddDocument(d);
    ASSERT_TRUE(added.ok()) << added.ToString();
    EXPECT_EQ(w->stats().documents, 1u);
    ASSERT_TRUE(w->Commit().ok());
  }
  auto s = Searcher::Open(db());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto r = s->Search("quokkas", Literal());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->hits.empty());
  const Hit& hit = r->hits[0];
  EXPECT_EQ(hit.doc_id, "doc/bad-bytes");
  EXPECT_TRUE(IsValidUtf8(hit.title)) << testing::PrintToString(hit.title);
  EXPECT_TRUE(IsValidUtf8(hit.passage)) << testing::PrintToString(hit.passage);
  EXPECT_TRUE(IsValidUtf8(hit.snippet)) << testing::PrintToString(hit.snippet);
  EXPECT_NE(hit.title.find(kReplacement), std::string::npos) << hit.title;
  EXPECT_EQ(hit.title.rfind("Bad ", 0), 0u) << hit.title;
  EXPECT_NE(hit.title.find(" title"), std::string::npos) << hit.title;
  EXPECT_NE(hit.passage.find(kReplacement), std::string::npos) << hit.passage;
  EXPECT_NE(hit.passage.find("Broken "), std::string::npos) << hit.passage;
}

// A searcher says when the bundled dictionary (here a folder given by
// CLINSEARCH_SYNONYMS_DIR) changed since the index was built, and keeps
// using the index's own; reindexing re-analyses the document and clears it.
TEST_F(IndexChangeTest, ChangedBundledDictionaryIsReported) {
  const std::string syn_dir = dir_ / "synonyms";
  std::filesystem::create_directories(syn_dir);
  auto write_dictionary = [&](const char* text) { std::ofstream(syn_dir + "/test.syn") << text; };
  write_dictionary("[cryoablation]\nlay: freeze\n");
  ASSERT_EQ(setenv("CLINSEARCH_SYNONYMS_DIR", syn_dir.c_str(), 1), 0);
  const Document doc =
      MakeDocument("doc/cryo", "Cryoablation", {Paragraph("cryoablation of the tumor")});
  auto index = [&]() {
    auto w = IndexWriter::Open(db());
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_TRUE(w->AddDocument(doc).ok());
    EXPECT_TRUE(w->Commit().ok());
    return w->stats();
  };
  index();
  {
    auto searcher = Searcher::Open(db());
    ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
    EXPECT_FALSE(searcher->dictionary_outdated());
  }
  write_dictionary("[cryoablation]\nlay: freeze, ice treatment\n");
  {
    auto searcher = Searcher::Open(db());
    ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
    EXPECT_TRUE(searcher->dictionary_outdated());
    auto r = searcher->Search("freeze");  // the index's dictionary still answers
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->hits.empty());
    EXPECT_EQ(r->hits[0].doc_id, "doc/cryo");
    SearcherOptions unchecked;
    unchecked.check_bundled_dictionary = false;
    auto quiet = Searcher::Open(db(), unchecked);
    ASSERT_TRUE(quiet.ok());
    EXPECT_FALSE(quiet->dictionary_outdated());
  }
  const IndexStats stats = index();
  EXPECT_EQ(stats.updated, 1u) << "a new dictionary re-analyses the document";
  {
    auto searcher = Searcher::Open(db());
    ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
    EXPECT_FALSE(searcher->dictionary_outdated());
    auto r = searcher->Search("ice treatment");
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->hits.empty());
    EXPECT_EQ(r->hits[0].doc_id, "doc/cryo");
  }
  unsetenv("CLINSEARCH_SYNONYMS_DIR");
}

// AddPath reports progress through IndexOptions::progress: bytes grow to
// the total of the folder's files, and the last call says done.
TEST_F(IndexChangeTest, ProgressIsReportedUntilDone) {
  std::vector<IndexProgress> calls;
  IndexOptions options;
  options.progress_interval_ms = 0;  // every document
  options.progress = [&](const IndexProgress& p) { calls.push_back(p); };
  auto w = IndexWriter::Open(db(), options);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(w->AddPath(CLINSEARCH_SOURCE_DIR "/corpus").ok());
  ASSERT_GE(calls.size(), 2u);
  uint64_t total = 0;
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(CLINSEARCH_SOURCE_DIR "/corpus")) {
    const std::string ext = e.path().extension().string();
    if (ext == ".md" || ext == ".html" || ext == ".txt" || ext == ".jsonl") {
      total += fs::file_size(e.path());
      ++files;
    }
  }
  for (size_t k = 1; k < calls.size(); ++k) {
    EXPECT_GE(calls[k].bytes_done, calls[k - 1].bytes_done);
    EXPECT_GE(calls[k].documents, calls[k - 1].documents);
    EXPECT_EQ(calls[k].bytes_total, total);
    EXPECT_FALSE(calls[k - 1].done);
  }
  EXPECT_TRUE(calls.back().done);
  EXPECT_EQ(calls.back().bytes_done, total);
  EXPECT_EQ(calls.back().documents, w->stats().documents + w->stats().skipped);
  EXPECT_GE(calls.back().documents, files);
  EXPECT_EQ(calls.back().path, CLINSEARCH_SOURCE_DIR "/corpus");
}

// Periodic commits carry everything a searcher needs: after a crash
// (simulated by _Exit in a child process, with no final Commit) the
// documents committed so far answer, spelling and mined synonyms included.
TEST_F(IndexChangeTest, PeriodicCommitsSurviveACrash) {
  GTEST_FLAG_SET(death_test_style, "fast");  // fork: the child shares this fixture's folder
  EXPECT_EXIT(
      {
        IndexOptions options;
        options.commit_every = 1;  // a commit after every document
        auto w = IndexWriter::Open(db(), options);
        if (!w.ok()) std::_Exit(1);
        const bool added =
            w->AddDocument(MakeDocument("doc/def", "Definition",
                                        {Paragraph("quokka lumbar recalibration (QLR)")}))
                .ok() &&
            w->AddDocument(MakeDocument("doc/use", "Use",
                                        {Paragraph("quokka lumbar recalibration, zymurgical")}))
                .ok();
        std::_Exit(added ? 0 : 1);  // no Commit(), no destructor
      },
      ::testing::ExitedWithCode(0), "");
  auto searcher = Searcher::Open(db());
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  auto ids = [&](const char* query) {
    std::vector<std::string> out;
    auto r = searcher->Search(query);
    if (r.ok()) {
      for (const Hit& h : r->hits) out.push_back(h.doc_id);
    }
    return out;
  };
  const auto both = ids("quokka");
  EXPECT_EQ(both.size(), 2u) << "both committed documents answer";
  const auto by_abbreviation = ids("QLR");
  EXPECT_NE(std::find(by_abbreviation.begin(), by_abbreviation.end(), "doc/use"),
            by_abbreviation.end())
      << "the abbreviation mined before the crash expands the query";
  auto corrected = searcher->Search("zymurgicel");
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(corrected->corrected, "zymurgical") << "spelling words committed with their documents";
}

}  // namespace
}  // namespace clinsearch
