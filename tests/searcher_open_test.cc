// SPDX-License-Identifier: GPL-2.0-or-later
// Opening an index: a missing or empty folder is a clear error, and
// searchers opened with different dictionaries do not share them.
#include <gtest/gtest.h>

#include <string>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "clinsearch/status.h"
#include "tests/support/documents.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"

namespace clinsearch {
namespace {

using testing_support::MakeDocument;
using testing_support::Paragraph;
using testing_support::QuietLogs;
using testing_support::TempDir;
using testing_support::WriteFile;

TEST(SearcherOpenTest, MissingFolderIsNotFound) {
  TempDir dir;
  const std::string missing = dir / "no-such-index";
  auto s = Searcher::Open(missing);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
  EXPECT_NE(s.status().message().find(missing), std::string::npos) << s.status().message();
}

TEST(SearcherOpenTest, EmptyFolderIsAnError) {
  TempDir dir;
  auto s = Searcher::Open(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().code(), Status::Code::kOk);
  EXPECT_NE(s.status().message().find(dir.path()), std::string::npos) << s.status().message();
}

TEST(SearcherOpenTest, AddPathOfMissingPathIsNotFound) {
  QuietLogs();
  TempDir dir;
  auto w = IndexWriter::Open(dir / "index");
  ASSERT_TRUE(w.ok());
  const Status s = w->AddPath(dir / "nothing-here");
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("nothing-here"), std::string::npos) << s.message();
}

// Searchers of one process share compiled dictionaries, but only those
// built from the same sources: searchers on one index with different
// search-time dictionaries, open at once, each expand with their own, and
// a dictionary file changed on disk is read again by the next searcher.
TEST(SearcherOpenTest, SearchersWithDifferentDictionariesDoNotShareThem) {
  QuietLogs();
  TempDir dir;
  auto w = IndexWriter::Open(dir / "index");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(w->AddDocument(MakeDocument("doc/q", "Q", {Paragraph("quokkas")})).ok());
  ASSERT_TRUE(w->Commit().ok());
  const std::string syn = dir / "extra.syn";
  WriteFile(syn, "[quokka]\nsyn: scrubhopper\n");
  SearcherOptions with_extra;
  with_extra.synonym_paths = {syn};
  auto plain = Searcher::Open(dir / "index");
  auto extra = Searcher::Open(dir / "index", with_extra);
  auto plain2 = Searcher::Open(dir / "index");
  ASSERT_TRUE(plain.ok() && extra.ok() && plain2.ok());
  auto hits = [](Searcher& s, const std::string& q) {
    auto r = s.Search(q, SearchOptions{});
    return r.ok() ? r->hits.size() : size_t{999};
  };
  EXPECT_EQ(hits(*plain, "scrubhopper"), 0u);
  EXPECT_EQ(hits(*extra, "scrubhopper"), 1u);
  EXPECT_EQ(hits(*plain2, "scrubhopper"), 0u);
  // The file changes: a searcher opened now reads the new entry.
  WriteFile(syn, "[quokka]\nsyn: bushbouncer\n");
  auto changed = Searcher::Open(dir / "index", with_extra);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(hits(*changed, "bushbouncer"), 1u);
  EXPECT_EQ(hits(*changed, "scrubhopper"), 0u);
  EXPECT_EQ(hits(*extra, "scrubhopper"), 1u);  // the earlier searcher keeps its own
}

}  // namespace
}  // namespace clinsearch
