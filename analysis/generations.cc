#include "analysis/generations.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <xapian.h>

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

Status CheckIndex(const std::string& dir) {
  const std::string db = LiveDatabasePath(dir);
  return db.empty() ? Status::Ok() : CheckDatabase(db);
}

Status CheckDatabase(const std::string& db) {
  std::string complaint;
  Xapian::rev failed_at = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::ostringstream report;
    try {
      const size_t errors = Xapian::Database::check(db, 0, &report);
      if (errors == 0) return Status::Ok();
      // The report names each table; keep the first line about an error.
      complaint = std::to_string(errors) + " errors";
      std::istringstream lines(report.str());
      for (std::string line; std::getline(lines, line);) {
        if (line.find("rror") != std::string::npos) {
          complaint = line;
          break;
        }
      }
    } catch (const Xapian::Error& e) {
      complaint = e.get_description();
    } catch (const std::exception& e) {  // bad_alloc, length_error on damaged sizes
      complaint = e.what();
    }
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
  const std::string stub = dir + "/XAPIANDB", tmp = stub + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "auto gen-" << n << "\n";
    out.flush();
    if (!out) return Status::IoError(tmp + ": cannot write the index stub");
  }
  // Durable before it becomes visible.
  if (int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(tmp.c_str(), stub.c_str()) != 0) {
    return Status::IoError(stub + ": cannot switch to generation " + std::to_string(n));
  }
  if (int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
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
