// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/integrity_check.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <vector>

#include "storage/schema.h"

namespace clinsearch {

namespace {

namespace fs = std::filesystem;

// What one check of one database says: empty when intact, else its first
// complaint.
using Checker = std::function<std::string(const std::string& db)>;

// The advice that ends every "damaged" message.
constexpr const char* kRestoreAdvice =
    "restore a copy, or index the documents again (clinsearch index --rebuild --db DIR PATH..., "
    "or into a new folder)";

Status Damaged(const std::string& db, const std::string& complaint) {
  return Status::Corruption(db + ": the index is damaged (" + complaint + "); " + kRestoreAdvice);
}

// The revision of the database at `db`, or 0 if it cannot be opened.
Xapian::rev Revision(const std::string& db) {
  try {
    return Xapian::Database(db).get_revision();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// The table files of the database folder `db` (postlist.glass, ...).
std::vector<std::string> TableFiles(const std::string& db) {
  std::vector<std::string> tables;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(db, ec)) {
    if (entry.path().extension() == ".glass") tables.push_back(entry.path().string());
  }
  return tables;
}

bool IsPermissionError(int error) { return error == EACCES || error == EPERM || error == EROFS; }

// A file of `db` this process may not read: its name and why; empty when
// every file reads. An unreadable index is a permission problem, never
// damage.
std::string UnreadableFile(const std::string& db) {
  std::vector<std::string> files = TableFiles(db);
  files.push_back(db + "/iamglass");
  for (const std::string& file : files) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::close(fd);
    } else if (IsPermissionError(errno)) {
      return file + " (" + std::strerror(errno) + ")";
    }
  }
  return {};
}

// Whether this process may open the tables of `db` read/write, as Xapian's
// structure check does (GlassTableCheck opens every table writable, though
// it writes nothing): not on a read-only mount, nor for a user who may
// only read the files. Opening read/write changes nothing on disk.
bool TablesWritable(const std::string& db) {
  for (const std::string& table : TableFiles(db)) {
    const int fd = ::open(table.c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
      ::close(fd);
    } else if (IsPermissionError(errno)) {
      return false;
    }
  }
  return true;
}

// The tables Xapian creates lazily (it reads a missing file as an empty
// table, so neither opening nor its check notices one deleted) that a
// database of a clinsearch index always has: with passages, their terms
// (termlist) and word positions (position), and their records (docdata)
// where they are not values (indexes of clinsearch 0.4); the database
// holding the words (an index, or a sharded index's lexicon) once the index
// holds documents, the spelling table.
std::vector<std::string> RequiredTables(const Xapian::Database& d, bool index_has_documents) {
  std::vector<std::string> tables;
  if (d.get_doccount() > 0) tables = {"termlist", "position"};
  if (d.get_doccount() > 0 && d.get_value_freq(kPassageSlot) == 0) tables.push_back("docdata");
  if (index_has_documents && !d.get_metadata(kSpellingDictionaryKey).empty()) {
    tables.push_back("spelling");
  }
  return tables;
}

// A required table of `db` whose file is missing, or empty. A database
// that does not open is left to the structure check, which says why.
std::string MissingTable(const std::string& db, bool index_has_documents) {
  std::vector<std::string> required;
  try {
    required = RequiredTables(Xapian::Database(db), index_has_documents);
  } catch (const Xapian::Error&) {
    return {};
  }
  std::error_code ec;
  for (const std::string& table : required) {
    if (!fs::exists(db + "/" + table + ".glass", ec)) return table + ".glass";
  }
  return {};
}

// Xapian's structure check of `db`: every block of every table, the free
// lists, and what the tables say about each other. Needs write access
// (see TablesWritable).
std::string CheckStructure(const std::string& db) {
  std::ostringstream report;
  const size_t errors = Xapian::Database::check(db, 0, &report);
  if (errors == 0) return {};
  // The report names each table; keep the first line about an error.
  std::istringstream lines(report.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("rror") != std::string::npos) return line;
  }
  return std::to_string(errors) + " errors";
}

// `check` with Xapian's and the standard library's exceptions as complaints
// (bad_alloc, length_error on damaged sizes).
std::string Guarded(const Checker& check, const std::string& db) {
  try {
    return check(db);
  } catch (const Xapian::Error& e) {
    return e.get_description();
  } catch (const std::exception& e) {
    return e.what();
  }
}

// Writes all of `answer` to `fd`, as far as it goes.
void WriteAll(int fd, const std::string& answer) {
  for (size_t done = 0; done < answer.size();) {
    const ssize_t n = write(fd, answer.data() + done, answer.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
}

// Everything `fd` gives until its end.
std::string ReadAll(int fd) {
  std::string answer;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0)
      answer.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  return answer;
}

// `check` in a child process: libxapian 1.4.22's checker can itself crash
// on some damage (SIGSEGV in Database::check_ on a flipped byte, seen in
// tests/index_integrity_test.cc), and so can reading damaged tables; that
// must refuse the index, not end the program. Runs in this process when no
// child can be made.
// WORKAROUND(xapian<=1.4.22): remove the fork when Debian's libxapian
// checks damaged tables without crashing (rerun IndexIntegrityTest.RandomDamage).
std::string Isolated(const Checker& check, const std::string& db) {
  int fds[2];
  if (pipe(fds) != 0) return Guarded(check, db);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Guarded(check, db);
  }
  if (pid == 0) {
    close(fds[0]);
    const std::string complaint = Guarded(check, db);
    WriteAll(fds[1], complaint.empty() ? "intact" : "damaged\n" + complaint);
    _exit(0);
  }
  close(fds[1]);
  const std::string answer = ReadAll(fds[0]);
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

// `check` of `db`, repeated when it failed while a writer committed.
std::string CheckedAtOneRevision(const Checker& check, const std::string& db) {
  std::string complaint;
  Xapian::rev failed_at = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    complaint = Isolated(check, db);
    if (complaint.empty()) return {};
    // A writer that committed meanwhile may have reused blocks the check was
    // reading: check again. Failing twice at one revision is damage. (The
    // revision is read only after a failure: an intact open pays nothing.)
    const Xapian::rev now = Revision(db);
    if (attempt > 0 && now == failed_at) break;
    failed_at = now;
  }
  return complaint;
}

// The read-only check: reads every entry of every table through Xapian's
// read-only API, and compares what two tables, or a scan and a lookup, say
// about the same thing. It sees what damage does to reading (a truncated
// table, a damaged block, entries out of order) though not the free lists,
// which only a writer reads. Returns the first complaint; Xapian's errors
// propagate.
class TableScan {
 public:
  explicit TableScan(const std::string& db) : d_(db) {}

  std::string Run() {
    using Step = std::string (TableScan::*)();
    const std::pair<const char*, Step> steps[] = {
        {"postlist table", &TableScan::Postings},
        {"termlist and position tables", &TableScan::Documents},
        {"value streams", &TableScan::Values},
        {"spelling table", &TableScan::Spellings},
        {"synonym table and metadata", &TableScan::SynonymsAndMetadata}};
    for (const auto& [what, step] : steps) {
      try {
        if (std::string complaint = (this->*step)(); !complaint.empty()) return complaint;
      } catch (const Xapian::Error& e) {
        return std::string("reading the ") + what + ": " + e.get_description();
      }
    }
    return {};
  }

 private:
  // Every posting of every term, in order, against the term's statistics.
  std::string Postings() {
    const Xapian::docid last_docid = d_.get_lastdocid();
    std::string previous;
    for (auto t = d_.allterms_begin(); t != d_.allterms_end(); ++t) {
      const std::string term = *t;
      if (!previous.empty() && term <= previous) return "postlist table: terms out of order";
      Xapian::doccount n = 0;
      Xapian::termcount wdf = 0;
      Xapian::docid last = 0;
      for (auto p = d_.postlist_begin(term); p != d_.postlist_end(term); ++p, ++n) {
        if (*p <= last || *p > last_docid) return "postlist table: bad document number";
        last = *p;
        wdf += p.get_wdf();
      }
      if (n != t.get_termfreq() || n != d_.get_termfreq(term) ||
          wdf != d_.get_collection_freq(term)) {
        return "postlist table: a term's statistics disagree with its postings";
      }
      postings_ += n;
      previous = term;
    }
    return {};
  }

  // Every document's record, terms, positions and values, against the
  // document lengths and postings.
  std::string Documents() {
    uint64_t entries = 0;
    Xapian::doccount documents = 0;
    for (auto p = d_.postlist_begin(""); p != d_.postlist_end(""); ++p, ++documents) {
      const Xapian::Document doc = d_.get_document(*p);
      (void)doc.get_data();
      Xapian::termcount length = 0;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t, ++entries) {
        length += t.get_wdf();
        // Reads the whole position list, through the position table's own
        // cursor: a PositionIterator opens a cursor of its own each time,
        // and reading every block again costs twice as long.
        if (HasPositions(*t) && t.positionlist_count() == 0) {
          return "position table: a word's positions are lost";
        }
      }
      if (length != p.get_doclength()) return "termlist table: a document's length disagrees";
      for (auto v = doc.values_begin(); v != doc.values_end(); ++v) ++values_[v.get_valueno()];
    }
    if (documents != d_.get_doccount()) return "postlist table: the document count disagrees";
    if (entries != postings_) return "termlist table: disagrees with the postlist table";
    return {};
  }

  // Every value stream against the documents' values.
  std::string Values() {
    for (const auto& [slot, count] : values_) {
      Xapian::doccount n = 0;
      for (auto v = d_.valuestream_begin(slot); v != d_.valuestream_end(slot); ++v) ++n;
      if (n != count || n != d_.get_value_freq(slot)) return "a value stream disagrees";
    }
    return {};
  }

  // Every word of the spelling table, in order, each with a frequency.
  std::string Spellings() {
    std::string previous;
    for (auto w = d_.spellings_begin(); w != d_.spellings_end(); ++w) {
      std::string word = *w;
      if (w.get_termfreq() == 0 || (!previous.empty() && word <= previous)) {
        return "spelling table: a word is out of order or without a frequency";
      }
      previous = std::move(word);
    }
    return {};
  }

  std::string SynonymsAndMetadata() {
    for (auto k = d_.synonym_keys_begin(); k != d_.synonym_keys_end(); ++k) {
      for (auto s = d_.synonyms_begin(*k); s != d_.synonyms_end(*k); ++s) (void)*s;
    }
    for (auto k = d_.metadata_keys_begin(); k != d_.metadata_keys_end(); ++k) {
      (void)d_.get_metadata(*k);
    }
    return {};
  }

  // Whether the writer gives `term` positions: the words of a passage
  // (lower case, digits, other scripts) and their acronyms do; field and
  // concept terms, whose prefixes are capitals, do not.
  static bool HasPositions(const std::string& term) {
    if (term.empty()) return false;
    if (term.compare(0, kAcronymPrefix.size(), kAcronymPrefix) == 0) return true;
    return term[0] < 'A' || term[0] > 'Z';
  }

  Xapian::Database d_;
  uint64_t postings_ = 0;                               // postings of all terms
  std::map<Xapian::valueno, Xapian::doccount> values_;  // documents with a value, per slot
};

std::string ScanTables(const std::string& db) { return TableScan(db).Run(); }

// The check of one database; `index_has_documents` says whether the index
// it belongs to holds passages (for a lexicon, which holds none itself).
Status CheckPart(const std::string& db, bool index_has_documents) {
  if (const std::string file = UnreadableFile(db); !file.empty()) {
    return Status::IoError(db + ": the index cannot be read by this user: " + file +
                           "; give it read access to the index folder");
  }
  if (const std::string missing = MissingTable(db, index_has_documents); !missing.empty()) {
    return Damaged(db, "table file " + missing + " is missing");
  }
  const Checker check = TablesWritable(db) ? Checker(CheckStructure) : Checker(ScanTables);
  if (const std::string complaint = CheckedAtOneRevision(check, db); !complaint.empty()) {
    return Damaged(db, complaint);
  }
  return Status::Ok();
}

// Whether any of `dbs` holds passages (those that do not open hold none
// here; their own check says why).
bool AnyDocuments(const std::vector<std::string>& dbs) {
  for (const std::string& db : dbs) {
    try {
      if (Xapian::Database(db).get_doccount() > 0) return true;
    } catch (const Xapian::Error&) {
    }
  }
  return false;
}

}  // namespace

Status CheckIndex(const IndexFolder& folder) {
  const std::vector<std::string> dbs = folder.LocalDatabases();
  for (const std::string& db : dbs) {
    if (Status s = CheckDatabase(db); !s.ok()) return s;
  }
  if (folder.IsSharded()) {
    const bool documents = AnyDocuments(dbs);
    for (const std::string& db : folder.Lexicon().LocalDatabases()) {
      if (Status s = CheckPart(db, documents); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status CheckDatabase(const std::string& db) { return CheckPart(db, AnyDocuments({db})); }

Status ScanDatabase(const std::string& db) {
  if (const std::string complaint = CheckedAtOneRevision(ScanTables, db); !complaint.empty()) {
    return Damaged(db, complaint);
  }
  return Status::Ok();
}

}  // namespace clinsearch
