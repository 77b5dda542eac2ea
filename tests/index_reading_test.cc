// Reading an index that others own: searchers open an intact index they
// may only read with the open check on, and refuse an index missing a table
// file Xapian would read as empty.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "clinsearch/searcher.h"
#include "clinsearch/status.h"
#include "storage/index_folder.h"
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

class IndexReadingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { QuietLogs(); }
  TempDir dir_;
};

// Makes everything under `dir` readable by others and writable by its
// owner alone (folders 755, files 644), as a deployment that serves an
// index built by another user.
void ShareReadOnly(const std::string& dir) {
  std::error_code ec;
  fs::permissions(dir, fs::perms(0755), ec);
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    fs::permissions(e.path(), fs::perms(e.is_directory() ? 0755 : 0644), ec);
  }
}

// Runs `body` as a user who may only read what ShareReadOnly shared: as
// root (CI), in a child process that becomes nobody (65534); otherwise
// here, with write permission taken from everything under `dir` meanwhile.
// Returns what `body` returned.
std::string AsReadOnlyUser(const std::string& dir, const std::function<std::string()>& body) {
  if (geteuid() != 0) {
    std::error_code ec;
    const auto write = fs::perms::owner_write;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
      fs::permissions(e.path(), write, fs::perm_options::remove, ec);
    const std::string answer = body();
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
      fs::permissions(e.path(), write, fs::perm_options::add, ec);
    return answer;
  }
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string answer = "cannot become nobody";
    if (setgroups(0, nullptr) == 0 && setgid(65534) == 0 && setuid(65534) == 0) answer = body();
    for (size_t done = 0; done < answer.size();) {
      const ssize_t n = write(fds[1], answer.data() + done, answer.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) answer.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return answer;
}

// Opens `db` with the open check and searches it: "ok", or why not.
std::string OpenAndSearch(const std::string& db) {
  auto searcher = Searcher::Open(db);
  if (!searcher.ok()) return searcher.status().ToString();
  auto r = searcher->Search("freeze tumor");
  if (!r.ok()) return r.status().ToString();
  return r->hits.empty() ? "no hits" : "ok";
}

// Review #19: an intact index the searcher may only read (files of another
// user, mode 644; or a read-only mount) was refused as "the index is
// damaged (... read/write (Permission denied))" with the check on.
TEST_F(IndexReadingTest, IndexThatMayOnlyBeReadIsSearchedWithTheCheck) {
  const std::string db = dir_ / "index";
  fs::copy(SharedCorpusIndex().path(), db, fs::copy_options::recursive);
  ShareReadOnly(dir_.path());
  EXPECT_EQ(AsReadOnlyUser(dir_.path(), [&] { return OpenAndSearch(db); }), "ok");
}

// Review #19: an index that may only be read is still checked: a table cut
// in half is refused as damage.
TEST_F(IndexReadingTest, IndexThatMayOnlyBeReadIsStillChecked) {
  const std::string db = dir_ / "index";
  fs::copy(SharedCorpusIndex().path(), db, fs::copy_options::recursive);
  const std::string postlist = IndexFolder(db).LiveDatabasePath() + "/postlist.glass";
  fs::resize_file(postlist, fs::file_size(postlist) / 2);
  ShareReadOnly(dir_.path());
  const std::string answer = AsReadOnlyUser(dir_.path(), [&] { return OpenAndSearch(db); });
  EXPECT_TRUE(Contains(answer, "damaged") && Contains(answer, "postlist")) << answer;
}

// Review #19: a file the searcher may not read at all is a permission
// problem, never reported as damage.
TEST_F(IndexReadingTest, UnreadableIndexIsNotCalledDamaged) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to read as another user";
  const std::string db = dir_ / "index";
  fs::copy(SharedCorpusIndex().path(), db, fs::copy_options::recursive);
  ShareReadOnly(dir_.path());
  const std::string termlist = IndexFolder(db).LiveDatabasePath() + "/termlist.glass";
  fs::permissions(termlist, fs::perms(0600));
  const std::string answer = AsReadOnlyUser(dir_.path(), [&] {
    auto s = Searcher::Open(db);
    return s.ok() ? std::string("opened") : s.status().ToString();
  });
  EXPECT_TRUE(Contains(answer, "termlist.glass") && Contains(answer, "Permission denied"))
      << answer;
  EXPECT_FALSE(Contains(answer, "damaged")) << answer;
}

// Review #19: the read-only check (used where the tables may not be
// written) sees the damage Xapian's structure check sees in the other
// integrity tests: tables cut short, and damaged item directories in the
// tables searches read (the spelling table's fragments it does not read).
TEST_F(IndexReadingTest, ReadOnlyCheckRefusesTruncatedAndDamagedTables) {
  const std::string intact = IndexFolder(SharedCorpusIndex().path()).LiveDatabasePath();
  EXPECT_TRUE(ScanDatabase(intact).ok()) << ScanDatabase(intact).ToString();
  for (const std::string table : {"postlist", "termlist", "position", "spelling"}) {
    for (bool truncate : {true, false}) {
      if (!truncate && table == "spelling") continue;
      TempDir copy;
      fs::copy(SharedCorpusIndex().path(), copy / "index", fs::copy_options::recursive);
      const std::string file =
          IndexFolder(copy / "index").LiveDatabasePath() + "/" + table + ".glass";
      const uintmax_t size = fs::file_size(file);
      if (truncate) {
        fs::resize_file(file, size / 2);
      } else {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        for (uintmax_t block = 0; block * kBlockSize < size; ++block) {
          f.seekp(static_cast<std::streamoff>(block * kBlockSize + 12));
          f.put('\x5a');
        }
      }
      const Status s = ScanDatabase(IndexFolder(copy / "index").LiveDatabasePath());
      EXPECT_EQ(s.code(), Status::Code::kCorruption)
          << table << (truncate ? " cut in half" : " with damaged blocks") << ": " << s.ToString();
    }
  }
}

// Review #29: a table file deleted passed the check (Xapian reads a missing
// lazily created table as empty): without position.glass scores changed,
// without termlist.glass the next index run failed.
TEST_F(IndexReadingTest, MissingTableFilesAreRefused) {
  for (const std::string table : {"termlist", "position", "spelling"}) {
    TempDir copy;
    fs::copy(SharedCorpusIndex().path(), copy / "index", fs::copy_options::recursive);
    fs::remove(IndexFolder(copy / "index").LiveDatabasePath() + "/" + table + ".glass");
    auto s = Searcher::Open(copy / "index");
    ASSERT_FALSE(s.ok()) << table << ".glass deleted was not noticed";
    EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().message();
    EXPECT_TRUE(Contains(s.status().message(), table + ".glass is missing"))
        << s.status().message();
    EXPECT_FALSE(Contains(s.status().message(), "\n")) << s.status().message();
  }
}

}  // namespace
}  // namespace clinsearch
