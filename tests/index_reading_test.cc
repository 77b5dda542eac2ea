// SPDX-License-Identifier: GPL-2.0-or-later
// Reading an index that others change or own: searchers never fail because
// a writer commits, notice a folder deleted and rebuilt or swapped under
// them, open an intact index they may only read with the open check on, and
// refuse an index missing a table file Xapian would read as empty.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "clinsearch/status.h"
#include "storage/index_folder.h"
#include "storage/integrity_check.h"
#include "storage/schema.h"
#include "tests/support/corpus_index.h"
#include "tests/support/documents.h"
#include "tests/support/logs.h"
#include "tests/support/temp_dir.h"
#include "tests/support/text.h"

// Under LeakSanitizer: libxapian 1.4.22 leaks a cursor's blocks (two
// 16 KB buffers and their owner) when a read runs into blocks a writer
// reused and the database is then reopened; ReadsNeverFailWhileAWriterCommitsOften
// provokes exactly that, on purpose, many times. Only allocations made
// inside libxapian are exempted, and only in this program.
extern "C" const char* __lsan_default_suppressions() { return "leak:libxapian.so\n"; }

namespace clinsearch {
namespace {

namespace fs = std::filesystem;
using testing_support::Contains;
using testing_support::Literal;
using testing_support::MakeDocument;
using testing_support::Paragraph;
using testing_support::QuietLogs;
using testing_support::SharedCorpusIndex;
using testing_support::TempDir;

// A made-up word per number, spelled in letters ("kqab" ...), so that the
// analyzer keeps it whole and every document has one of its own.
std::string Word(const std::string& stem, size_t n) {
  std::string w = stem;
  do {
    w += static_cast<char>('a' + n % 26);
    n /= 26;
  } while (n > 0);
  return w;
}

// Document `i` of a generated set: two passages, one naming the document's
// own word, the text changing with `round` (so that writing it again
// replaces it).
Document Generated(const std::string& stem, size_t i, int round) {
  return MakeDocument(stem + "/" + std::to_string(i), "Generated " + std::to_string(i),
                      {Paragraph(Word(stem, i)) + " Revision " + std::to_string(round) + ".",
                       Paragraph("recovery")});
}

// Indexes `count` generated documents into `db` in one run.
void IndexGenerated(const std::string& db, const std::string& stem, size_t count) {
  auto w = IndexWriter::Open(db);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  for (size_t i = 0; i < count; ++i) ASSERT_TRUE(w->AddDocument(Generated(stem, i, 0)).ok());
  ASSERT_TRUE(w->Commit().ok());
}

class IndexReadingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { QuietLogs(); }
  TempDir dir_;
};

// What the reader threads of the concurrency test saw.
struct ReadLog {
  std::atomic<int> reads{0};
  std::atomic<int> errors{0};
  std::mutex mu;
  std::string first_error;
  void Failed(const std::string& what) {
    ++errors;
    std::lock_guard<std::mutex> lock(mu);
    if (first_error.empty()) first_error = what;
  }
};

// One reader: searches, fetches each hit's document, suggests and counts
// until `stop`, reopening every `reopen_every` rounds (0: never, so that
// it falls many revisions behind the writer).
void ReadUntilStopped(const std::string& db, int reopen_every, const std::atomic<bool>& stop,
                      ReadLog* log) {
  SearcherOptions options;
  options.check_index = false;
  auto searcher = Searcher::Open(db, options);
  if (!searcher.ok()) return log->Failed(searcher.status().ToString());
  SearchOptions search = Literal();
  search.limit = 20;
  for (int round = 1; !stop; ++round) {
    // Idle a moment, as a server's searcher between requests: the writer
    // moves on, and the next read starts many revisions behind.
    if (reopen_every == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (reopen_every > 0 && round % reopen_every == 0) {
      if (Status s = searcher->Reopen(); !s.ok()) log->Failed("reopen: " + s.ToString());
    }
    auto r = searcher->Search("spinal tumors recovery", search);
    ++log->reads;
    if (!r.ok()) {
      log->Failed("search: " + r.status().ToString());
      continue;
    }
    if (r->hits.empty()) log->Failed("search: no hits");
    for (size_t k = 0; k < r->hits.size() && k < 3; ++k) {
      auto passages = searcher->Passages(r->hits[k].doc_id);
      ++log->reads;
      if (!passages.ok()) log->Failed("passages: " + passages.status().ToString());
    }
    auto corrected = searcher->Search("spinal recovry");  // reads the spelling table
    ++log->reads;
    if (!corrected.ok()) log->Failed("spelling: " + corrected.status().ToString());
    if (searcher->Suggest("recov").empty()) log->Failed("suggest: nothing");
    if (searcher->Info().passages == 0) log->Failed("info: no passages");
  }
}

// Review #12: with a commit every 20 passages, searches, document fetches,
// suggestions and statistics failed ("DatabaseError: EOF reading block
// <garbage>", "index changed during the search") for readers many
// revisions behind the writer. Two readers (one never reopening) read
// while the writer replaces every document over and over: no error at all.
TEST_F(IndexReadingTest, ReadsNeverFailWhileAWriterCommitsOften) {
  const std::string db = dir_ / "index";
  constexpr size_t kDocuments = 300;
  IndexGenerated(db, "churn", kDocuments);
  ReadLog log;
  struct Readers {  // stopped and joined on every way out
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    void Join() {
      stop = true;
      for (std::thread& t : threads) t.join();
      threads.clear();
    }
    ~Readers() { Join(); }
  } readers;
  for (int reopen_every : {0, 25}) {
    readers.threads.emplace_back(ReadUntilStopped, db, reopen_every, std::cref(readers.stop), &log);
  }
  // Incremental runs, each replacing every document with a commit every 20
  // passages, for a few seconds.
  int rounds = 0;
  IndexOptions options;
  options.commit_every = 20;
  options.threads = 1;
  for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(4);
       std::chrono::steady_clock::now() < until;) {
    auto w = IndexWriter::Open(db, options);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ++rounds;
    for (size_t i = 0; i < kDocuments; ++i) {
      ASSERT_TRUE(w->AddDocument(Generated("churn", i, rounds)).ok());
    }
    ASSERT_TRUE(w->Commit().ok());
  }
  readers.Join();
  EXPECT_EQ(log.errors, 0) << "of " << log.reads << " reads; first: " << log.first_error;
  EXPECT_GT(log.reads, 30);
  EXPECT_GE(rounds, 1);  // 30 commits and more
}

// The searcher's view of the index after the folder changed: only the
// `stem` set of `count` documents, with counts of that index alone.
void ExpectOnly(Searcher& searcher, const std::string& stem, size_t count,
                const std::string& gone) {
  auto fresh = searcher.Search(Word(stem, 0), Literal());
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  ASSERT_FALSE(fresh->hits.empty());
  EXPECT_EQ(fresh->hits[0].doc_id, stem + "/0");
  auto old = searcher.Search(Word(gone, 0), Literal());
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_TRUE(old->hits.empty()) << "still answers from the old index: " << old->hits[0].doc_id;
  EXPECT_EQ(searcher.Passages(gone + "/0").status().code(), Status::Code::kNotFound);
  const IndexInfo info = searcher.Info();
  EXPECT_EQ(info.documents, count);
  EXPECT_EQ(info.passages, 2 * count);
  EXPECT_EQ(searcher.passage_count(), 2 * count);
}

// Review #15, case 1: the folder deleted and indexed again while a searcher
// has it open. Its stub reads the same ("auto gen-1"), and Xapian's reopen
// kept the deleted tables open: old documents with the new statistics.
TEST_F(IndexReadingTest, FolderDeletedAndRebuiltIsOpenedAfresh) {
  const std::string db = dir_ / "index";
  IndexGenerated(db, "old", 30);
  auto searcher = Searcher::Open(db);
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  ASSERT_EQ(searcher->Info().documents, 30u);
  fs::remove_all(db);
  IndexGenerated(db, "new", 12);
  ASSERT_TRUE(searcher->Reopen().ok());
  ExpectOnly(*searcher, "new", 12, "old");
}

// Review #15, case 2: another index folder swapped in with mv.
TEST_F(IndexReadingTest, FolderSwappedWithMvIsOpenedAfresh) {
  const std::string db = dir_ / "index", next = dir_ / "index_new";
  IndexGenerated(db, "old", 30);
  IndexGenerated(next, "new", 12);
  auto searcher = Searcher::Open(db);
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  ASSERT_EQ(searcher->Info().documents, 30u);
  fs::rename(db, dir_ / "index_old");
  fs::rename(next, db);
  ASSERT_TRUE(searcher->Reopen().ok());
  ExpectOnly(*searcher, "new", 12, "old");
  // The old folder, still on disk, is not read any more: changing it changes nothing.
  fs::remove_all(dir_ / "index_old");
  ASSERT_TRUE(searcher->Reopen().ok());
  ExpectOnly(*searcher, "new", 12, "old");
}

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
    if (setgroups(0, nullptr) == 0 && setgid(65534) == 0 && setuid(65534) == 0) {
      // A temporary folder under one nobody may not enter ($TMPDIR in a
      // private home, say) says nothing about the index.
      answer = access(dir.c_str(), R_OK | X_OK) == 0 ? body() : "skip: nobody cannot reach " + dir;
    }
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
  const std::string answer = AsReadOnlyUser(dir_.path(), [&] { return OpenAndSearch(db); });
  if (answer.rfind("skip:", 0) == 0) GTEST_SKIP() << answer;
  EXPECT_EQ(answer, "ok");
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
  if (answer.rfind("skip:", 0) == 0) GTEST_SKIP() << answer;
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
  if (answer.rfind("skip:", 0) == 0) GTEST_SKIP() << answer;
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
