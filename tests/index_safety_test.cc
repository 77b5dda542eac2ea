// SPDX-License-Identifier: GPL-2.0-or-later
// Nothing goes live that the caller did not mean: a rebuild or a prune
// after a read error, an empty or partial export, a mass deletion, a
// second writer, an empty index path, and ids that depend on how a path
// was spelled (review rows #14 #22 #23 #24 #27 #33; the CLI side is in
// cli_smoke_test.sh), and a bundled dictionary that is missing.
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
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

const std::string kCorpus = CLINSEARCH_SOURCE_DIR "/corpus";

class IndexSafetyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { QuietLogs(); }

  std::string db() const { return dir_ / "index"; }

  // `n` documents "doc-0" .. as one JSONL export, each naming "wombat".
  std::string Export(const std::string& name, int n) const {
    std::ofstream out(dir_ / name);
    for (int i = 0; i < n; ++i) {
      out << R"({"id":"doc-)" << i << R"(","title":"Doc )" << i << R"(","text":")"
          << Paragraph("wombat") << "\"}\n";
    }
    return dir_ / name;
  }

  // The live index from corpus/ and a 40-document export.
  void BuildLive() {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(w->AddPath(kCorpus).ok());
    ASSERT_TRUE(w->AddPath(Export("full.jsonl", 40)).ok());
    ASSERT_TRUE(w->Commit().ok());
  }

  size_t Total(const std::string& query) const {
    auto s = Searcher::Open(db());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return 0;
    auto r = s->Search(query, Literal());
    return r.ok() ? r->total_estimate : 0;
  }

  std::string Stub() const {
    std::ifstream in(db() + "/XAPIANDB");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  TempDir dir_;
};

// review #23: a rebuild with a mistyped path removes its generation and
// leaves the live one answering as before.
TEST_F(IndexSafetyTest, RebuildWithAMissingPathDoesNotSwitch) {
  BuildLive();
  const size_t before = Total("wombat");
  const std::string stub = Stub();
  IndexOptions options;
  options.rebuild = true;
  {
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w.ok());
    EXPECT_TRUE(w->AddPath(kCorpus).ok());
    EXPECT_EQ(w->AddPath(dir_ / "full.jsonlX").code(), Status::Code::kNotFound);
    const Status s = w->Commit();
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("not switching"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("full.jsonlX"), std::string::npos) << s.message();
  }
  EXPECT_EQ(Stub(), stub);
  EXPECT_FALSE(fs::exists(db() + "/gen-2"));
  EXPECT_EQ(Total("wombat"), before);
}

// review #23 (the guards of a rebuild): a rebuild from half the export is
// a mass deletion, refused unless allowed.
TEST_F(IndexSafetyTest, RebuildFromAHalfExportIsRefusedUnlessAllowed) {
  BuildLive();
  const std::string half = Export("half.jsonl", 20);
  IndexOptions options;
  options.rebuild = true;
  {
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->AddPath(kCorpus).ok());
    ASSERT_TRUE(w->AddPath(half).ok());
    const Status s = w->Commit();
    EXPECT_NE(s.message().find("not switching: it would delete 20 of the index's 56"),
              std::string::npos)
        << s.message();
  }
  EXPECT_EQ(Stub(), "auto gen-1\n");
  options.allow_mass_delete = true;
  auto w = IndexWriter::Open(db(), options);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->AddPath(kCorpus).ok());
  ASSERT_TRUE(w->AddPath(half).ok());
  EXPECT_TRUE(w->Commit().ok());
  EXPECT_EQ(w->stats().deleted, 20u);
  EXPECT_EQ(Stub(), "auto gen-2\n");
}

// review §3.4 (the prune guard): an empty, a truncated and a half export
// are refused and nothing of the run is committed; a share within
// max_delete_fraction, or allow_mass_delete, prunes.
TEST_F(IndexSafetyTest, PruneGuardsEmptyTruncatedAndHalfExports) {
  BuildLive();
  const size_t before = Total("wombat");
  IndexOptions options;
  options.all_or_nothing = true;
  for (int n : {0, 5, 28}) {  // empty, truncated, half (of 56 documents with corpus/)
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w.ok());
    if (n == 28) {
      ASSERT_TRUE(w->AddPath(kCorpus).ok());
    }
    ASSERT_TRUE(w->AddPath(Export("part.jsonl", n == 28 ? 12 : n)).ok());
    const Status s = w->Prune();
    EXPECT_NE(s.message().find("not pruning"), std::string::npos) << n << ": " << s.message();
  }  // destroyed without Commit: nothing is written
  EXPECT_EQ(Total("wombat"), before);

  options.max_delete_fraction = 0.5;  // 28 of 56 documents: allowed
  {
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w->AddPath(kCorpus).ok());
    ASSERT_TRUE(w->AddPath(Export("part.jsonl", 12)).ok());
    ASSERT_TRUE(w->Prune().ok());
    ASSERT_TRUE(w->Commit().ok());
    EXPECT_EQ(w->stats().deleted, 28u);
  }
  options.max_delete_fraction = 0.1;
  options.allow_mass_delete = true;  // an empty export empties the index, when meant
  auto w = IndexWriter::Open(db(), options);
  ASSERT_TRUE(w->Prune().ok());
  ASSERT_TRUE(w->Commit().ok());
  EXPECT_EQ(Total("wombat"), 0u);
}

// review §3.4 (dry run): the ids that would change, and nothing written.
TEST_F(IndexSafetyTest, DryRunListsChangesAndWritesNothing) {
  BuildLive();
  const std::string stub = Stub();
  IndexOptions options;
  options.dry_run = true;
  options.rebuild = true;
  auto w = IndexWriter::Open(db(), options);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->AddPath(Export("half.jsonl", 20)).ok());
  // doc-0 again: counted once, as the first copy.
  ASSERT_TRUE(w->AddDocument(MakeDocument("doc-0", "Doc 0", {Paragraph("numbat")})).ok());
  ASSERT_TRUE(w->AddDocument(MakeDocument("new-1", "New", {Paragraph("numbat")})).ok());
  EXPECT_FALSE(w->Commit().ok());  // would drop corpus/ and doc-20..39: refused
  EXPECT_EQ(w->changes().added, std::vector<std::string>{"new-1"});
  EXPECT_TRUE(w->changes().replaced.empty());
  EXPECT_EQ(w->stats().unchanged, 20u);
  EXPECT_EQ(w->changes().deleted.size(), 36u);
  EXPECT_EQ(Stub(), stub);
  EXPECT_FALSE(fs::exists(db() + "/gen-2"));

  TempDir empty;
  auto none = IndexWriter::Open(empty / "never", options);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(fs::exists(empty / "never"));
}

// review #24: an empty index path is refused, nothing is written.
TEST_F(IndexSafetyTest, EmptyIndexPathIsRefused) {
  auto w = IndexWriter::Open("");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(fs::exists("XAPIANDB"));
}

// review #14: one writer per folder, whichever starts first; a rebuild
// cannot switch or remove generations under an incremental run.
// An install that lost its data folder must not index without the
// clinical dictionary: the writer refuses, naming where it looked, and
// creates nothing; without the bundled dictionary, asked for, it indexes.
TEST_F(IndexSafetyTest, MissingOrEmptyBundledDictionaryIsRefused) {
  const std::string empty = dir_ / "empty-dictionary";
  fs::create_directories(empty);
  for (const std::string& where : {std::string(dir_ / "no-such-folder"), empty}) {
    ASSERT_EQ(setenv("CLINSEARCH_SYNONYMS_DIR", where.c_str(), 1), 0);
    auto w = IndexWriter::Open(db());
    unsetenv("CLINSEARCH_SYNONYMS_DIR");
    ASSERT_FALSE(w.ok()) << where;
    EXPECT_EQ(w.status().code(), Status::Code::kNotFound);
    EXPECT_NE(w.status().message().find(where), std::string::npos) << w.status().message();
    EXPECT_NE(w.status().message().find("--no-bundled-synonyms"), std::string::npos);
    EXPECT_FALSE(fs::exists(db())) << "nothing is created";
  }
  ASSERT_EQ(setenv("CLINSEARCH_SYNONYMS_DIR", empty.c_str(), 1), 0);
  IndexOptions options;
  options.bundled_synonyms = false;
  auto w = IndexWriter::Open(db(), options);
  unsetenv("CLINSEARCH_SYNONYMS_DIR");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(w->AddPath(kCorpus).ok());
  ASSERT_TRUE(w->Commit().ok());
}

TEST_F(IndexSafetyTest, SecondWriterIsRefusedWhateverTheOrder) {
  BuildLive();
  IndexOptions rebuild;
  rebuild.rebuild = true;
  for (bool incremental_first : {true, false}) {
    auto first = IndexWriter::Open(db(), incremental_first ? IndexOptions{} : rebuild);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    auto second = IndexWriter::Open(db(), incremental_first ? rebuild : IndexOptions{});
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.status().message().find("index is locked by another writer (pid " +
                                             std::to_string(getpid()) + ")"),
              std::string::npos)
        << second.status().message();
  }
  auto again = IndexWriter::Open(db());  // released with its writer
  EXPECT_TRUE(again.ok()) << again.status().ToString();
}

// review #33: a writer destroyed without Commit() commits nothing.
TEST_F(IndexSafetyTest, DestructorCommitsNothing) {
  BuildLive();
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w->AddDocument(MakeDocument("late", "Late", {Paragraph("numbat")})).ok());
  }
  EXPECT_EQ(Total("numbat"), 0u);
}

// review #27: `corpus`, `./corpus/` and an absolute path give one id each.
TEST_F(IndexSafetyTest, FileIdsDoNotDependOnThePathSpelling) {
  IndexOptions options;
  options.dry_run = true;
  options.id_root = CLINSEARCH_SOURCE_DIR;
  auto w = IndexWriter::Open(db(), options);
  ASSERT_TRUE(w.ok());
  const std::string relative = fs::relative(kCorpus).string();
  for (const std::string& path :
       {kCorpus, std::string(CLINSEARCH_SOURCE_DIR "/./corpus/"), relative, relative + "/"}) {
    ASSERT_TRUE(w->AddPath(path).ok()) << path;
  }
  EXPECT_EQ(w->changes().added.size(), 16u);
  EXPECT_EQ(w->stats().duplicates, 48u);
  for (const std::string& id : w->changes().added) EXPECT_EQ(id.rfind("corpus/", 0), 0u) << id;
}

// Runs `body` as user nobody in a child process (mode 000 does not stop
// root); its exit code, or -1 when nobody does not exist.
int AsNobody(const std::function<int()>& body) {
  const passwd* nobody = getpwnam("nobody");
  if (!nobody) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    if (getuid() == 0 && (setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0)) _exit(90);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// review #22: a folder that cannot be listed is a read error naming it,
// and it blocks the prune that would delete its documents.
TEST_F(IndexSafetyTest, UnreadableFolderIsAnErrorAndBlocksPrune) {
  const std::string input = dir_ / "in";
  fs::create_directories(input + "/locked");
  testing_support::WriteFile(input + "/open.md", "# Open\n\n" + Paragraph("wombat"));
  testing_support::WriteFile(input + "/locked/shut.md", "# Shut\n\n" + Paragraph("numbat"));
  const passwd* nobody = getpwnam("nobody");
  if (getuid() == 0 && nobody) {
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path())) {
      ASSERT_EQ(chown(entry.path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    }
    ASSERT_EQ(chown(dir_.path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  }
  const int rc = AsNobody([&] {
    {
      auto w = IndexWriter::Open(db());
      if (!w.ok() || !w->AddPath(input).ok() || !w->Commit().ok()) return 10;
    }
    fs::permissions(input + "/locked", fs::perms::none);
    IndexOptions options;
    options.all_or_nothing = true;
    options.allow_mass_delete = true;  // the read error alone must refuse
    auto w = IndexWriter::Open(db(), options);
    const Status read = w->AddPath(input);
    if (read.ok() ||
        read.message().find(input + "/locked: cannot read folder") == std::string::npos)
      return 11;
    if (w->stats().read_errors != 1) return 12;
    if (w->Prune().message().find("not pruning") == std::string::npos) return 13;
    return 0;
  });
  fs::permissions(input + "/locked", fs::perms::owner_all);
  if (rc == -1) GTEST_SKIP() << "no user nobody";
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(Total("numbat"), 1u);  // its document is still there
}

}  // namespace
}  // namespace clinsearch
