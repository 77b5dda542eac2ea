#include "analysis/generations.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <xapian.h>

#include "analysis/text_util.h"

namespace clinsearch {

namespace fs = std::filesystem;

int LiveGeneration(const std::string& dir) {
  std::ifstream in(dir + "/XAPIANDB");
  std::string kind, target;
  if (!(in >> kind >> target) || kind != "auto" || target.rfind("gen-", 0) != 0) return 0;
  try {
    return std::stoi(target.substr(4));
  } catch (const std::exception&) {
    return 0;
  }
}

std::string GenerationPath(const std::string& dir, int n) { return dir + "/gen-" + std::to_string(n); }

std::string LiveDatabasePath(const std::string& dir) {
  const int live = LiveGeneration(dir);
  const std::string db = live > 0 ? GenerationPath(dir, live) : dir;
  std::error_code ec;
  return fs::exists(db + "/iamglass", ec) ? db : std::string();
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

}  // namespace

namespace {

// Writes `text` as the stub of `dir`: to a temporary file, made durable,
// then renamed over the old stub (atomic on POSIX file systems).
Status WriteStub(const std::string& dir, const std::string& text) {
  const std::string stub = dir + "/XAPIANDB", tmp = stub + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Status::IoError(tmp + ": cannot write the index stub");
  }
  // Durable before it becomes visible.
  if (int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(tmp.c_str(), stub.c_str()) != 0) return Status::IoError(stub + ": cannot be replaced");
  if (int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return Status::Ok();
}

}  // namespace

std::string ShardPath(const std::string& dir, size_t k) { return dir + "/shard-" + std::to_string(k); }

std::string LexiconPath(const std::string& dir) { return dir + "/lexicon"; }

bool IsSharded(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(LexiconPath(dir), ec);
}

size_t ShardOf(std::string_view doc_id, size_t shards) {
  return shards == 0 ? 0 : static_cast<size_t>(Fnv1a(doc_id) % shards);
}

Status WriteShardStub(const std::string& dir, size_t shards) {
  std::string text;
  for (size_t k = 0; k < shards; ++k) text += "auto shard-" + std::to_string(k) + "\n";
  return WriteStub(dir, text);
}

namespace {

// What opening a path resolves to (see LocalDatabases): its local
// databases, how many remote ones its stubs list, and the stubs' text.
struct Resolved {
  std::vector<std::string> local;
  size_t remote = 0;
  std::string layout;
  std::vector<std::string> visited;  // stubs read, so that a loop ends
};

void Collect(const fs::path& path, Resolved* r) {
  std::error_code ec;
  if (fs::exists(path / "iamglass", ec)) {
    r->local.push_back(path.string());
    return;
  }
  const fs::path stub = fs::is_directory(path, ec) ? path / "XAPIANDB" : path;
  const std::string canonical = fs::weakly_canonical(stub, ec).string();
  if (std::find(r->visited.begin(), r->visited.end(), canonical) != r->visited.end()) return;
  r->visited.push_back(canonical);
  std::ifstream in(stub);
  if (!in) return;
  const fs::path base = stub.parent_path();
  for (std::string line; std::getline(in, line);) {
    r->layout.append(line).push_back('\n');
    std::istringstream words(line);
    std::string kind, target;
    if (!(words >> kind)) continue;
    if (kind == "remote") {
      ++r->remote;
      continue;
    }
    if (kind != "auto" && kind != "glass") continue;
    std::getline(words >> std::ws, target);  // the rest of the line: a path may hold spaces
    while (!target.empty() && (target.back() == ' ' || target.back() == '\r')) target.pop_back();
    if (target.empty()) continue;
    Collect(fs::path(target).is_absolute() ? fs::path(target) : base / target, r);
  }
}

}  // namespace

size_t StubEntries(const std::string& path) {
  std::error_code ec;
  std::ifstream in(fs::is_directory(path, ec) ? path + "/XAPIANDB" : path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string kind;
    if (words >> kind && kind[0] != '#') ++n;
  }
  return n;
}

std::vector<std::string> LocalDatabases(const std::string& path) {
  Resolved r;
  Collect(path, &r);
  return r.local;
}

size_t DatabaseCount(const std::string& path) {
  Resolved r;
  Collect(path, &r);
  return r.local.size() + r.remote;
}

std::string LiveLayout(const std::string& dir) {
  Resolved r;
  Collect(dir, &r);
  if (IsSharded(dir)) Collect(LexiconPath(dir), &r);
  return r.layout;
}

Status CheckIndex(const std::string& dir) {
  std::vector<std::string> dbs = LocalDatabases(dir);
  if (IsSharded(dir)) {
    for (std::string& db : LocalDatabases(LexiconPath(dir))) dbs.push_back(std::move(db));
  }
  for (const std::string& db : dbs) {
    if (Status s = CheckDatabase(db); !s.ok()) return s;
  }
  return Status::Ok();
}

namespace {

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
    if (n > 0) answer.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return "the structure check crashed on it, signal " + std::to_string(WTERMSIG(status));
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
  return Status::Corruption(db + ": the index is damaged (" + complaint +
                            "); restore a copy, or index the documents again (clinsearch index --rebuild "
                            "--db DIR PATH..., or into a new folder)");
}

Status SwitchGeneration(const std::string& dir, int n) {
  if (Status s = WriteStub(dir, "auto gen-" + std::to_string(n) + "\n"); !s.ok()) {
    return Status::IoError(dir + ": cannot switch to generation " + std::to_string(n) + " (" + s.message() + ")");
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) != 0) continue;
    int k = 0;
    try {
      k = std::stoi(name.substr(4));
    } catch (const std::exception&) {
      continue;
    }
    if (k < n - 1) fs::remove_all(entry.path(), ec);
  }
  return Status::Ok();
}

}  // namespace clinsearch
