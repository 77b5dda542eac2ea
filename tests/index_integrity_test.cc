// SPDX-License-Identifier: GPL-2.0-or-later
// Index integrity: a truncated or damaged copy of an index is
// refused at open with a clear message, and whatever damage gets past that
// check never crashes a search; an index written by clinsearch 0.4.0 (the
// fixture in tests/fixtures/) is still read and upgraded by an incremental
// run; an index of an unknown format is refused.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "storage/integrity_check.h"
#include "storage/schema.h"
#include "tests/support/corpus_index.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;
using testing_support::Contains;
using testing_support::QuietLogs;
using testing_support::SharedCorpusIndex;
using testing_support::TempDir;

// An index of corpus/, built once for the whole program; tests damage copies.
class IndexIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override { QuietLogs(); }

  static const std::string& Index() { return SharedCorpusIndex().path(); }

  // A copy of the index in `to`; returns the copy's live database folder.
  static std::string CopyIndex(const std::string& to) {
    fs::copy(Index(), to, fs::copy_options::recursive);
    return IndexFolder(to).LiveDatabasePath();
  }
};

void Truncate(const std::string& file, uintmax_t size) { fs::resize_file(file, size); }

void FlipByte(const std::string& file, uintmax_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  const char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(offset));
  f.put(static_cast<char>(c ^ 0x5a));
  ASSERT_TRUE(f.good()) << file;
}

TEST_F(IndexIntegrityTest, IntactIndexPassesTheCheck) {
  EXPECT_TRUE(CheckIndex(IndexFolder(Index())).ok());
  auto s = Searcher::Open(Index());
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto r = s->Search("freeze tumor");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->hits.empty());
}

TEST_F(IndexIntegrityTest, TruncatedTablesAreRefusedAtOpen) {
  for (const std::string table : {"postlist.glass", "termlist.glass", "position.glass"}) {
    TempDir copy;
    const std::string db = CopyIndex(copy / "index");
    ASSERT_FALSE(db.empty());
    const uintmax_t size = fs::file_size(db + "/" + table);
    ASSERT_GT(size, 2 * kBlockSize) << table;
    Truncate(db + "/" + table, size / 2);
    auto s = Searcher::Open(copy / "index");
    ASSERT_FALSE(s.ok()) << table << " cut to half was not noticed";
    EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().message();
    EXPECT_TRUE(Contains(s.status().message(), copy / "index")) << s.status().message();
  }
}

TEST_F(IndexIntegrityTest, DamagedBlocksAreRefusedAtOpen) {
  // One byte flipped in the item directory of every block of a table (the
  // offsets that locate each entry): whichever blocks are in use, the
  // check must see it.
  for (const std::string table : {"postlist.glass", "termlist.glass", "position.glass"}) {
    TempDir copy;
    const std::string db = CopyIndex(copy / "index");
    const uintmax_t size = fs::file_size(db + "/" + table);
    for (uintmax_t block = 0; block * kBlockSize < size; ++block) {
      FlipByte(db + "/" + table, block * kBlockSize + 12);
    }
    auto s = Searcher::Open(copy / "index");
    ASSERT_FALSE(s.ok()) << table;
    EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().message();
    EXPECT_TRUE(Contains(s.status().message(), "damaged")) << s.status().message();
  }
}

TEST_F(IndexIntegrityTest, RandomDamageIsRefusedOrSearchedWithoutCrashing) {
  // Bytes flipped anywhere (many land in entries' contents, which the
  // structure check cannot see): open fails cleanly, or every search
  // returns results or an error, and never crashes.
  std::mt19937 random(20261129);
  const std::vector<std::string> tables = {"postlist.glass", "termlist.glass", "position.glass",
                                           "spelling.glass"};
  int refused = 0, searched = 0;
  for (int round = 0; round < 40; ++round) {
    TempDir copy;
    const std::string db = CopyIndex(copy / "index");
    const std::string table = db + "/" + tables[round % tables.size()];
    const uintmax_t size = fs::file_size(table);
    for (int i = 0; i <= round / 8; ++i) FlipByte(table, random() % size);
    auto s = Searcher::Open(copy / "index");
    if (!s.ok()) {
      EXPECT_FALSE(s.status().message().empty());
      ++refused;
      continue;
    }
    ++searched;
    for (const char* q : {"freeze tumor", "bisphosphonates", "Xgeva", "spinal cord compresion",
                          "\"pain relief\""}) {
      auto r = s->Search(q);
      if (!r.ok()) {
        EXPECT_FALSE(r.status().message().empty());
      }
    }
    (void)s->Suggest("bisph");
    (void)s->Passages("x");
  }
  std::cout << "random damage: " << refused << " copies refused at open, " << searched
            << " searched\n";
  // With 40 copies, both ways occur (24 and 16 when written): the check
  // catches structural damage and lets through what it cannot see.
  EXPECT_GT(refused, 0);
  EXPECT_GT(searched, 0);
}

TEST_F(IndexIntegrityTest, CheckCanBeTurnedOff) {
  TempDir copy;
  const std::string db = CopyIndex(copy / "index");
  const uintmax_t size = fs::file_size(db + "/position.glass");
  for (uintmax_t block = 0; block * kBlockSize < size; ++block) {
    FlipByte(db + "/position.glass", block * kBlockSize + 12);
  }
  SearcherOptions options;
  options.check_index = false;
  // Without the check the damaged positions go unnoticed until a phrase
  // needs them; open succeeds.
  EXPECT_TRUE(Searcher::Open(copy / "index", options).ok());
  EXPECT_FALSE(Searcher::Open(copy / "index").ok());
}

TEST_F(IndexIntegrityTest, UnknownFormatIsRefusedWithAClearMessage) {
  TempDir copy;
  const std::string db = CopyIndex(copy / "index");
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    w.set_metadata(kFormatKey, "2");
    w.commit();
  }
  auto s = Searcher::Open(copy / "index");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.status().message(), "index format 2 is not supported"))
      << s.status().message();
  auto w = IndexWriter::Open(copy / "index");
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(Contains(w.status().message(), "format")) << w.status().message();
}

// tests/fixtures/index-0.4.0: tests/fixtures/README.md says how it was made.
const std::string kFixture = CLINSEARCH_SOURCE_DIR "/tests/fixtures/index-0.4.0";

TEST(OlderIndexTest, IndexFromVersion040IsSearched) {
  QuietLogs();
  TempDir copy;  // searching writes nothing, but never touch the fixture
  fs::copy(kFixture, copy / "index", fs::copy_options::recursive);
  auto s = Searcher::Open(copy / "index");
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto r = s->Search("freeze tumor");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].doc_id, "ablation");
  EXPECT_TRUE(Contains(r->hits[0].snippet, "cryoablation")) << r->hits[0].snippet;
  EXPECT_FALSE(r->hits[0].highlights.empty());
}

TEST(OlderIndexTest, IncrementalRunUpgradesAnIndexFromVersion040) {
  QuietLogs();
  TempDir copy;
  fs::copy(kFixture, copy / "index", fs::copy_options::recursive);
  fs::create_directory(copy / "docs");
  for (const auto& f : fs::directory_iterator(CLINSEARCH_SOURCE_DIR "/tests/fixtures/docs-0.4.0")) {
    fs::copy(f.path(), copy / "docs");
  }
  IndexOptions options;
  options.bundled_synonyms = false;
  options.synonym_paths = {CLINSEARCH_SOURCE_DIR "/tests/fixtures/docs-0.4.0/fixture.syn"};
  auto w = IndexWriter::Open(copy / "index", options);
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w->AddPath(copy / "docs").ok());
  ASSERT_TRUE(w->Commit().ok());
  auto s = Searcher::Open(copy / "index");
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto r = s->Search("freeze tumor");
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].doc_id, "ablation");
  // Every passage now has the current layout's stored passage.
  Xapian::Database db(IndexFolder(copy / "index").LiveDatabasePath());
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    EXPECT_FALSE(db.get_document(*it).get_value(kPassageSlot).empty()) << "passage " << *it;
  }
}

}  // namespace
}  // namespace clinsearch
