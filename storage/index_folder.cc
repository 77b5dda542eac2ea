// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/index_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/coding.h"
#include "base/log.h"
#include "storage/schema.h"

namespace clinsearch {

namespace fs = std::filesystem;

namespace {

// The names of an index folder's files.
constexpr const char* kStubFile = "/XAPIANDB";     // Xapian's stub file
constexpr const char* kGlassMarker = "/iamglass";  // a glass database's marker file
constexpr std::string_view kGenerationPrefix = "gen-";
constexpr const char* kShardPrefix = "/shard-";
constexpr const char* kLexiconFolder = "/lexicon";
constexpr const char* kLockFile = "/clinsearch.lock";  // a writer's lock (LockForWriting)

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// The number in a "gen-N" name, or 0.
int GenerationNumber(std::string_view name) {
  if (name.substr(0, kGenerationPrefix.size()) != kGenerationPrefix) return 0;
  try {
    return std::stoi(std::string(name.substr(kGenerationPrefix.size())));
  } catch (const std::exception&) {
    return 0;
  }
}

// fsync of a file or folder, so that what was written is durable before it
// becomes visible; best effort.
void SyncPath(const std::string& path, int flags) {
  if (int fd = ::open(path.c_str(), flags); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes `text` as the stub of `dir`: to a temporary file, made durable,
// then renamed over the old stub (atomic on POSIX file systems).
Status WriteStub(const std::string& dir, const std::string& text) {
  const std::string stub = dir + kStubFile, tmp = stub + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Status::IoError(tmp + ": cannot write the index stub");
  }
  SyncPath(tmp, O_RDONLY);
  if (std::rename(tmp.c_str(), stub.c_str()) != 0) {
    return Status::IoError(stub + ": cannot be replaced");
  }
  SyncPath(dir, O_RDONLY | O_DIRECTORY);
  return Status::Ok();
}

// What opening a path resolves to: its local databases, how many remote
// ones its stubs list, and the stubs' text.
struct Resolved {
  std::vector<std::string> local;
  size_t remote = 0;
  std::string stubs;
  std::vector<std::string> visited;  // stubs read, so that a loop ends
};

void Collect(const fs::path& path, Resolved* r);

// One line of a stub: a remote database is counted, a local one followed.
void CollectStubLine(const std::string& line, const fs::path& base, Resolved* r) {
  std::istringstream words(line);
  std::string kind, target;
  if (!(words >> kind)) return;
  if (kind == "remote") {
    ++r->remote;
    return;
  }
  if (kind != "auto" && kind != "glass") return;
  std::getline(words >> std::ws, target);  // the rest of the line: a path may hold spaces
  while (!target.empty() && (target.back() == ' ' || target.back() == '\r')) target.pop_back();
  if (target.empty()) return;
  Collect(fs::path(target).is_absolute() ? fs::path(target) : base / target, r);
}

void Collect(const fs::path& path, Resolved* r) {
  std::error_code ec;
  if (fs::exists(path.string() + kGlassMarker, ec)) {
    r->local.push_back(path.string());
    return;
  }
  const fs::path stub = fs::is_directory(path, ec) ? fs::path(path.string() + kStubFile) : path;
  const std::string canonical = fs::weakly_canonical(stub, ec).string();
  if (std::find(r->visited.begin(), r->visited.end(), canonical) != r->visited.end()) return;
  r->visited.push_back(canonical);
  std::ifstream in(stub);
  if (!in) return;
  for (std::string line; std::getline(in, line);) {
    r->stubs.append(line).push_back('\n');
    CollectStubLine(line, stub.parent_path(), r);
  }
}

// "device:inode;" of `path`, "-;" when it cannot be read.
std::string FileIdentity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "-;";
  return std::to_string(st.st_dev) + ':' + std::to_string(st.st_ino) + ';';
}

// IndexFolder::Identity() of the folder `root` that resolved to `r`.
std::string IdentityOf(const std::string& root, const Resolved& r) {
  std::string identity = FileIdentity(root);
  for (const std::string& stub : r.visited) identity += FileIdentity(stub);
  for (const std::string& db : r.local) identity += FileIdentity(db);
  return identity;
}

Resolved Resolve(const std::string& path) {
  Resolved r;
  Collect(path, &r);
  return r;
}

Status CheckFormat(const std::string& folder, const Xapian::Database& db) {
  const std::string format = db.get_metadata(kFormatKey);
  if (!format.empty() && format != kFormatVersion) {
    return Status::InvalidArgument(folder + ": index format " + format +
                                   " is not supported by this clinsearch (expects " +
                                   kFormatVersion + "); rebuild it in a new folder");
  }
  return Status::Ok();
}

}  // namespace

// --- What the folder holds ---

bool IndexFolder::IsSharded() const {
  std::error_code ec;
  return fs::is_directory(path_ + kLexiconFolder, ec);
}

bool IndexFolder::HoldsIndex() const { return Exists(path_ + kStubFile) || IsLegacy(); }

bool IndexFolder::IsLegacy() const { return Exists(path_ + kGlassMarker); }

int IndexFolder::LiveGeneration() const {
  std::ifstream in(path_ + kStubFile);
  std::string kind, target;
  if (!(in >> kind >> target) || kind != "auto") return 0;
  return GenerationNumber(target);
}

std::string IndexFolder::GenerationPath(int n) const {
  return path_ + "/" + std::string(kGenerationPrefix) + std::to_string(n);
}

std::string IndexFolder::LiveDatabasePath() const {
  const int live = LiveGeneration();
  const std::string db = live > 0 ? GenerationPath(live) : path_;
  return Exists(db + kGlassMarker) ? db : std::string();
}

IndexFolder IndexFolder::Shard(size_t k) const {
  return IndexFolder(path_ + kShardPrefix + std::to_string(k));
}

IndexFolder IndexFolder::Lexicon() const { return IndexFolder(path_ + kLexiconFolder); }

// --- Its stubs ---

size_t IndexFolder::StubEntries() const {
  std::error_code ec;
  std::ifstream in(fs::is_directory(path_, ec) ? path_ + kStubFile : path_);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string kind;
    if (words >> kind && kind[0] != '#') ++n;
  }
  return n;
}

std::vector<std::string> IndexFolder::LocalDatabases() const { return Resolve(path_).local; }

std::string IndexFolder::ResolvedStubs() const {
  Resolved r;
  Collect(path_, &r);
  if (IsSharded()) Collect(Lexicon().path(), &r);
  return r.stubs;
}

std::string IndexFolder::Identity() const {
  Resolved r;
  Collect(path_, &r);
  if (IsSharded()) Collect(Lexicon().path(), &r);
  return IdentityOf(path_, r);
}

// --- Opening ---

Result<SearchableIndex> IndexFolder::OpenForSearch() const {
  SearchableIndex index;
  // The stubs are read once, before the databases open (a switch in
  // between then shows as changed stubs at the next reopen): what the
  // folder lists, then the lexicon's.
  const bool sharded = IsSharded();
  Resolved resolved = Resolve(path_);
  index.several_databases = resolved.local.size() + resolved.remote > 1;
  if (sharded) Collect(Lexicon().path(), &resolved);
  index.resolved_stubs = std::move(resolved.stubs);
  index.identity = IdentityOf(path_, resolved);
  index.documents = Xapian::Database(path_);
  index.lexicon = sharded ? Xapian::Database(Lexicon().path()) : index.documents;
  if (sharded) {
    index.shards = ShardCount(index.lexicon);
    const size_t listed = StubEntries();
    if (listed != index.shards) {
      return Status::InvalidArgument(
          path_ + ": its stub lists " + std::to_string(listed) + " databases but the index has " +
          std::to_string(index.shards) + " shards; list every shard (docs/scaling.md)");
    }
  }
  index.generation = sharded ? Lexicon().LiveGeneration() : LiveGeneration();
  return index;
}

Result<WritableIndex> IndexFolder::OpenForWriting(size_t shards, bool rebuild) const {
  std::error_code ec;
  fs::create_directories(path_, ec);
  if (IsSharded()) {
    const size_t existing = ShardCount(Xapian::Database(Lexicon().path()));
    if (existing == 0) {
      return Status::Corruption(path_ + ": sharded index without a shard count in its lexicon");
    }
    if (shards > 0 && shards != existing) {
      return Status::InvalidArgument(path_ + ": the index has " + std::to_string(existing) +
                                     " shards, not " + std::to_string(shards) +
                                     "; to change the number, index into a new folder");
    }
    shards = existing;
  } else if (shards > 0 && HoldsIndex()) {
    return Status::InvalidArgument(path_ +
                                   ": holds an index that is not sharded; "
                                   "index into a new folder to shard");
  }
  WritableIndex index;
  if (shards == 0) {  // a plain index
    index.shards.emplace_back();
    if (Status s = OpenPart(rebuild, &index.shards[0]); !s.ok()) return s;
    return index;
  }
  index.shards.resize(shards);
  for (size_t k = 0; k < shards; ++k) {
    if (Status s = Shard(k).OpenPart(rebuild, &index.shards[k]); !s.ok()) return s;
  }
  if (!IsSharded()) {
    if (Status s = CreateLexicon(shards); !s.ok()) return s;
  }
  index.lexicon = std::make_unique<WritablePart>();
  if (Status s = Lexicon().OpenPart(rebuild, index.lexicon.get()); !s.ok()) return s;
  if (index.lexicon->db.get_metadata(kShardsKey).empty()) {  // a rebuild's new generation
    index.lexicon->db.set_metadata(kShardsKey, std::to_string(shards));
  }
  if (!Exists(path_ + kStubFile)) {
    if (Status s = WriteShardStub(shards); !s.ok()) return s;
  }
  return index;
}

// The lexicon is made last: once it exists, the folder reads as sharded, so
// a new one is made beside it with its shard count and renamed into place
// (a crash leaves no lexicon without a count).
Status IndexFolder::CreateLexicon(size_t shards) const {
  std::error_code ec;
  const IndexFolder fresh(Lexicon().path() + ".new");
  fs::remove_all(fresh.path(), ec);
  {
    WritablePart part;
    if (Status s = fresh.OpenPart(false, &part); !s.ok()) return s;
    part.db.set_metadata(kShardsKey, std::to_string(shards));
    part.db.commit();
  }
  fs::rename(fresh.path(), Lexicon().path(), ec);
  if (ec) return Status::IoError(Lexicon().path() + ": cannot be created: " + ec.message());
  return Status::Ok();
}

// Opens this folder's live generation, or a new one from scratch for a new
// index or a rebuild.
Status IndexFolder::OpenPart(bool rebuild, WritablePart* part) const {
  std::error_code ec;
  fs::create_directories(path_, ec);
  part->dir = path_;
  const int live = LiveGeneration();
  if (IsLegacy()) {
    if (rebuild) {
      return Status::InvalidArgument(path_ +
                                     ": an index from an older clinsearch cannot be "
                                     "rebuilt in place; index into a new folder");
    }
    part->db = Xapian::WritableDatabase(path_, Xapian::DB_CREATE_OR_OPEN);
    return CheckFormat(path_, part->db);
  }
  RemoveUnfinishedGenerations(live);
  if (live == 0 || rebuild) {
    // A new index, or a rebuild: the next generation, from scratch.
    const int next = live + 1;
    part->db =
        Xapian::WritableDatabase(GenerationPath(next), Xapian::DB_CREATE_OR_OVERWRITE, kBlockSize);
    if (live == 0) {
      // Nothing to keep answering from: live at once.
      if (Status s = SwitchGeneration(next); !s.ok()) return s;
    } else {
      part->switch_to = next;  // at commit
      Log()->info("{}: rebuilding as generation {}; searchers use generation {} until it is done",
                  path_, next, live);
    }
  } else {
    part->db = Xapian::WritableDatabase(GenerationPath(live), Xapian::DB_OPEN);
  }
  return CheckFormat(path_, part->db);
}

// --- Writing it ---

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the description releases its lock
}

namespace {

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// The pid the holder of a lock file recorded, or "?".
std::string RecordedPid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  const long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
  return pid > 0 ? std::to_string(pid) : "?";
}

}  // namespace

Result<std::unique_ptr<FolderLock>> IndexFolder::LockForWriting() const {
  if (path_.empty()) {
    return Status::InvalidArgument("no index folder given (the path is empty)");
  }
  std::error_code ec;
  fs::create_directories(path_, ec);
  if (ec) return Status::IoError("cannot create " + path_ + ": " + ec.message());
  const std::string lock_path = path_ + kLockFile;
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("cannot write to index folder " + path_ + ": " + ErrnoText(errno));
  }
  auto lock = std::make_unique<FolderLock>(fd);
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;
  if (::fcntl(fd, F_OFD_SETLK, &whole) != 0) {
    if (errno != EAGAIN && errno != EACCES) {
      return Status::IoError(path_ + ": cannot lock the index for writing: " + ErrnoText(errno));
    }
    return Status::IoError(path_ + ": index is locked by another writer (pid " + RecordedPid(fd) +
                           ")");
  }
  // Who holds it, for the message another writer gets; best effort.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  return lock;
}

Status IndexFolder::RemoveGeneration(int n) const {
  if (n <= 0 || n == LiveGeneration()) {
    return Status::InvalidArgument(path_ + ": generation " + std::to_string(n) +
                                   " is live and is not removed");
  }
  std::error_code ec;
  fs::remove_all(GenerationPath(n), ec);
  if (ec) {
    return Status::IoError(GenerationPath(n) + ": cannot be removed: " + ec.message());
  }
  return Status::Ok();
}

void IndexFolder::RemoveUnfinishedRebuild() const {
  if (!IsSharded()) {
    RemoveUnfinishedGenerations(LiveGeneration());
    return;
  }
  Lexicon().RemoveUnfinishedGenerations(Lexicon().LiveGeneration());
  std::error_code ec;
  for (size_t k = 0; fs::is_directory(Shard(k).path(), ec); ++k) {
    Shard(k).RemoveUnfinishedGenerations(Shard(k).LiveGeneration());
  }
}

// Generations above the live one are rebuilds that never finished (a
// killed or failed writer): they only take space, and the lock says no
// writer is working on them.
void IndexFolder::RemoveUnfinishedGenerations(int live) const {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path_, ec)) {
    const int k = GenerationNumber(entry.path().filename().string());
    if (k > live && live > 0) {
      std::error_code removing;
      fs::remove_all(entry.path(), removing);
      if (!removing) Log()->info("{}: removed unfinished generation {}", path_, k);
    }
  }
}

// --- Changing it ---

Status IndexFolder::SwitchGeneration(int n) const {
  if (Status s =
          WriteStub(path_, "auto " + std::string(kGenerationPrefix) + std::to_string(n) + "\n");
      !s.ok()) {
    return Status::IoError(path_ + ": cannot switch to generation " + std::to_string(n) + " (" +
                           s.message() + ")");
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path_, ec)) {
    const int k = GenerationNumber(entry.path().filename().string());
    if (k > 0 && k < n - 1) fs::remove_all(entry.path(), ec);
  }
  return Status::Ok();
}

Status IndexFolder::WriteShardStub(size_t shards) const {
  std::string text;
  for (size_t k = 0; k < shards; ++k) text += "auto shard-" + std::to_string(k) + "\n";
  return WriteStub(path_, text);
}

size_t ShardOf(std::string_view doc_id, size_t shards) {
  return shards == 0 ? 0 : static_cast<size_t>(Fnv1a(doc_id) % shards);
}

size_t ShardCount(const Xapian::Database& lexicon) {
  return static_cast<size_t>(std::strtoul(lexicon.get_metadata(kShardsKey).c_str(), nullptr, 10));
}

}  // namespace clinsearch
