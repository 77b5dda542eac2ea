// SPDX-License-Identifier: GPL-2.0-or-later
// Bad input beside good: broken documents, files and dictionary lines are
// reported with their file and line, and everything good around them is
// indexed and searchable.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "clinsearch/status.h"
#include "tests/support/documents.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;

using testing_support::AnyContains;
using testing_support::AnyStartsWith;
using testing_support::Literal;
using testing_support::MakeDocument;
using testing_support::Paragraph;
using testing_support::QuietLogs;
using testing_support::TempDir;
using testing_support::WriteFile;

TEST(BadInputTest, GoodDocumentsSurviveBadOnes) {
  QuietLogs();
  TempDir dir;
  const std::string in = dir / "input";
  fs::create_directories(in);
  WriteFile(in + "/good.md", "# Good document\n\n## Treatment\n\n" + Paragraph("quokkas") + "\n");
  WriteFile(
      in + "/data.jsonl",
      R"({"id": "j1", "title": "First", "text": "Jsonl line one is about wombats and recovery."})"
      "\n"
      R"({"id": "broken", "text": "this line never ends)"
      "\n"
      R"({"id": "j3", "title": "Third", "text": "Jsonl line three is about numbats and recovery."})"
      "\n");
  WriteFile(in + "/bad-utf8.txt",
            "Invalid bytes\n\nThe lemurs paragraph is fine.\nA bad byte \xff\xfe here.\n");
  WriteFile(in + "/empty.txt", "");

  auto w = IndexWriter::Open(dir / "index");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE(w->AddPath(in).ok());
  ASSERT_TRUE(w->Commit().ok());
  const std::vector<std::string>& diag = w->diagnostics();
  const std::string all = testing::PrintToString(diag);
  EXPECT_TRUE(AnyStartsWith(diag, in + "/data.jsonl:2: ")) << all;
  EXPECT_TRUE(AnyStartsWith(diag, in + "/bad-utf8.txt:4: ")) << all;
  EXPECT_TRUE(AnyStartsWith(diag, in + "/empty.txt")) << all;
  for (const std::string& d : diag) {
    EXPECT_EQ(d.find("good.md"), std::string::npos) << d;
    EXPECT_EQ(d.find("data.jsonl:1:"), std::string::npos) << d;
    EXPECT_EQ(d.find("data.jsonl:3:"), std::string::npos) << d;
  }
  EXPECT_EQ(w->stats().documents, 4u);  // good.md, j1, j3, bad-utf8.txt
  EXPECT_GE(w->stats().skipped, 1u);    // the empty file
  EXPECT_GE(w->stats().problems, 2u);   // the broken line, the invalid UTF-8

  auto s = Searcher::Open(dir / "index");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  struct Want {
    const char* word;
    std::string doc_id;
  };
  for (const Want& want : {Want{"quokkas", in + "/good.md"}, Want{"wombats", "j1"},
                           Want{"numbats", "j3"}, Want{"lemurs", in + "/bad-utf8.txt"}}) {
    auto r = s->Search(want.word, Literal());
    ASSERT_TRUE(r.ok()) << want.word;
    ASSERT_FALSE(r->hits.empty()) << want.word;
    EXPECT_EQ(r->hits[0].doc_id, want.doc_id) << want.word;
  }
  auto r = s->Search("never ends", Literal());
  ASSERT_TRUE(r.ok());
  for (const Hit& h : r->hits) EXPECT_NE(h.doc_id, "broken");
}

// A hyphen chain of 40 long parts: its joined form would be a term longer
// than Xapian's limit (245 bytes), and a failed add_document rolls back every
// change since the last commit. Indexed between two good documents in one
// AddPath, all three must be indexed and searchable after Commit.
TEST(BadInputTest, OverlongHyphenChainDoesNotLoseOtherDocuments) {
  QuietLogs();
  TempDir dir;
  const std::string in = dir / "input";
  fs::create_directories(in);
  std::string chain;
  for (int i = 0; i < 40; ++i) chain += (i ? "-abcdefghij" : "abcdefghij") + std::to_string(i);
  ASSERT_GT(chain.size(), 245u);
  WriteFile(in + "/a-good.txt", "First good document\n\n" + Paragraph("quokkas") + "\n");
  WriteFile(in + "/b-chain.txt",
            "Chain document\n\n" + Paragraph("numbats") + " Codes: " + chain + " end.\n");
  WriteFile(in + "/c-good.txt", "Second good document\n\n" + Paragraph("wombats") + "\n");

  auto w = IndexWriter::Open(dir / "index");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const Status added = w->AddPath(in);
  EXPECT_TRUE(added.ok()) << added.ToString();
  const Status committed = w->Commit();
  ASSERT_TRUE(committed.ok()) << committed.ToString();
  EXPECT_EQ(w->stats().documents, 3u);
  EXPECT_EQ(w->stats().skipped, 0u);

  auto s = Searcher::Open(dir / "index");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  struct Want {
    const char* word;
    std::string doc_id;
  };
  for (const Want& want :
       {Want{"quokkas", in + "/a-good.txt"}, Want{"numbats", in + "/b-chain.txt"},
        Want{"wombats", in + "/c-good.txt"}}) {
    auto r = s->Search(want.word, Literal());
    ASSERT_TRUE(r.ok()) << want.word;
    ASSERT_FALSE(r->hits.empty()) << want.word;
    EXPECT_EQ(r->hits[0].doc_id, want.doc_id) << want.word;
  }
}

TEST(BadInputTest, BrokenDictionaryLineIsReportedAndTheRestLoads) {
  QuietLogs();
  TempDir dir;
  const std::string dict = dir / "extra.syn";
  WriteFile(dict,
            "# extra dictionary\n"
            "[zorblax therapy]\n"
            "this line has no colon\n"
            "syn: florbix\n"
            "bogus: something\n");
  IndexOptions options;
  options.synonym_paths = {dict};
  auto w = IndexWriter::Open(dir / "index", options);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const std::string all = testing::PrintToString(w->diagnostics());
  EXPECT_TRUE(AnyStartsWith(w->diagnostics(), dict + ":3: ")) << all;
  EXPECT_TRUE(AnyStartsWith(w->diagnostics(), dict + ":5: ")) << all;
  ASSERT_TRUE(w->AddDocument(MakeDocument("doc/f", "F", {Paragraph("florbix")})).ok());
  ASSERT_TRUE(w->Commit().ok());

  auto s = Searcher::Open(dir / "index");
  ASSERT_TRUE(s.ok());
  // The concept after the broken line loaded: its other name finds the passage.
  auto r = s->Search("zorblax therapy", Literal());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].doc_id, "doc/f");
  EXPECT_TRUE(AnyContains(r->hits[0].matched, "zorblax therapy", "florbix"))
      << testing::PrintToString(r->hits[0].matched);
}

TEST(BadInputTest, MissingDictionaryPathFailsOpen) {
  QuietLogs();
  TempDir dir;
  IndexOptions options;
  options.synonym_paths = {dir / "missing.syn"};
  auto w = IndexWriter::Open(dir / "index", options);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("missing.syn"), std::string::npos) << w.status().message();
}

}  // namespace
}  // namespace clinsearch
