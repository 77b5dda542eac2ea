#include "storage/integrity_check.h"

#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <sstream>
#include <vector>

namespace clinsearch {

Status CheckIndex(const IndexFolder& folder) {
  std::vector<std::string> dbs = folder.LocalDatabases();
  if (folder.IsSharded()) {
    for (std::string& db : folder.Lexicon().LocalDatabases()) dbs.push_back(std::move(db));
  }
  for (const std::string& db : dbs) {
    if (Status s = CheckDatabase(db); !s.ok()) return s;
  }
  return Status::Ok();
}

namespace {

// The revision of the database at `db`, or 0 if it cannot be opened.
Xapian::rev Revision(const std::string& db) {
  try {
    return Xapian::Database(db).get_revision();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// Xapian's structure check of `db`: empty when intact, else its first
// complaint.
std::string CheckOnce(const std::string& db) {
  std::ostringstream report;
  try {
    const size_t errors = Xapian::Database::check(db, 0, &report);
    if (errors == 0) return {};
    // The report names each table; keep the first line about an error.
    std::istringstream lines(report.str());
    for (std::string line; std::getline(lines, line);) {
      if (line.find("rror") != std::string::npos) return line;
    }
    return std::to_string(errors) + " errors";
  } catch (const Xapian::Error& e) {
    return e.get_description();
  } catch (const std::exception& e) {  // bad_alloc, length_error on damaged sizes
    return e.what();
  }
}

// CheckOnce in a child process: libxapian 1.4.22's checker can itself crash
// on some damage (SIGSEGV in Database::check_ on a flipped byte, seen in
// tests/index_integrity_test.cc), and that must refuse the index, not end
// the program. Runs in this process when no child can be made.
// WORKAROUND(xapian<=1.4.22): remove the fork when Debian's libxapian
// checks damaged tables without crashing (rerun IndexIntegrityTest.RandomDamage).
std::string CheckIsolated(const std::string& db) {
  int fds[2];
  if (pipe(fds) != 0) return CheckOnce(db);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return CheckOnce(db);
  }
  if (pid == 0) {
    close(fds[0]);
    const std::string complaint = CheckOnce(db);
    const std::string answer = complaint.empty() ? "intact" : "damaged\n" + complaint;
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
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0)
      answer.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    return "the structure check crashed on it, signal " + std::to_string(WTERMSIG(status));
  if (answer == "intact") return {};
  if (answer.rfind("damaged\n", 0) == 0) return answer.substr(8);
  return "the structure check ended without an answer";
}

}  // namespace

Status CheckDatabase(const std::string& db) {
  std::string complaint;
  Xapian::rev failed_at = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    complaint = CheckIsolated(db);
    if (complaint.empty()) return Status::Ok();
    // A writer that committed meanwhile may have reused blocks the check was
    // reading: check again. Failing twice at one revision is damage. (The
    // revision is read only after a failure: an intact open pays nothing.)
    const Xapian::rev now = Revision(db);
    if (attempt > 0 && now == failed_at) break;
    failed_at = now;
  }
  return Status::Corruption(
      db + ": the index is damaged (" + complaint +
      "); restore a copy, or index the documents again (clinsearch index --rebuild "
      "--db DIR PATH..., or into a new folder)");
}

}  // namespace clinsearch
