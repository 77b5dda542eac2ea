// SPDX-License-Identifier: GPL-2.0-or-later
// The index folder: which files an index folder holds, what they are
// called, and how the writer and the searcher open them. The one place
// that knows the names XAPIANDB, iamglass, gen-N, shard-K and lexicon (as
// LevelDB's filename.h knows CURRENT and MANIFEST-N).
//
// A plain folder holds one or more complete Xapian databases (gen-1,
// gen-2, ...) and a Xapian stub file XAPIANDB ("auto gen-N") naming the live
// one. A full rebuild writes the next generation beside the live one and
// switches the stub with an atomic rename, so searchers answer from the old
// generation until the switch and never see a half-built index. Folders
// written by clinsearch before generations (a "legacy folder": a database
// directly in the folder) are still opened as they are.
//
// A sharded folder (docs/scaling.md): its stub lists its shards, "auto
// shard-0" ... (a searcher's copy may list "remote HOST:PORT" lines
// instead), each shard an index folder with generations as above, and the
// folder "lexicon" beside them, a database without documents holding the
// dictionary, mined synonyms and spelling table of all shards (Xapian's
// remote backend serves neither spelling nor synonym tables).
//
//   IndexFolder folder("library");
//   auto index = folder.OpenForSearch();   // documents + lexicon
//
// A writer locks the whole folder (LockForWriting: the file clinsearch.lock)
// for its whole run, so that no second writer, incremental or rebuilding,
// runs beside it: a rebuild switching generations under an incremental run
// would silently drop that run's changes, and removing old generations
// could pull one from under its writer.
//
// Thread safety: an IndexFolder is a path; its methods read and write the
// file system and may be called from any thread. Writers hold LockForWriting
// (Xapian also locks each database).
#ifndef CLINSEARCH_STORAGE_INDEX_FOLDER_H_
#define CLINSEARCH_STORAGE_INDEX_FOLDER_H_

#include <xapian.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clinsearch/status.h"

namespace clinsearch {

// One database a writer writes: a shard (the only one of a plain index) or
// a sharded index's lexicon.
struct WritablePart {
  Xapian::WritableDatabase db;
  std::string dir;    // its index folder (with generations)
  int switch_to = 0;  // generation to make live at commit (a rebuild); 0: none
};

// What a writer opens: the shards and, for a sharded index, the lexicon.
struct WritableIndex {
  std::vector<WritablePart> shards;
  std::unique_ptr<WritablePart> lexicon;
};

// What a searcher opens: all documents as one database, and the database
// holding the metadata (dictionary, analyzer) and the spelling table.
struct SearchableIndex {
  Xapian::Database documents;
  Xapian::Database lexicon;        // a sharded index's lexicon, else `documents`
  size_t shards = 0;               // 0: not sharded
  int generation = 0;              // live generation (the lexicon's if sharded; 0: legacy)
  bool several_databases = false;  // the documents span several Xapian databases
  std::string resolved_stubs;      // ResolvedStubs() when opened
  std::string identity;            // Identity() when opened
};

// A writer's lock on an index folder, released when destroyed.
class FolderLock {
 public:
  explicit FolderLock(int fd) : fd_(fd) {}
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

class IndexFolder {
 public:
  explicit IndexFolder(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // --- What the folder holds ---
  // Whether it is a sharded index (has a lexicon folder).
  bool IsSharded() const;
  // Whether it holds an index of any kind (a stub or a legacy database).
  bool HoldsIndex() const;
  // Whether it is a legacy folder (a database directly in it).
  bool IsLegacy() const;
  // The live generation, or 0 if the folder has no stub naming one.
  int LiveGeneration() const;
  // The folder of generation `n`.
  std::string GenerationPath(int n) const;
  // The Xapian database folder of the live index: its live generation, or
  // the folder itself for a legacy one; empty when the folder holds no local
  // glass database (a stub listing other databases, say).
  std::string LiveDatabasePath() const;
  IndexFolder Shard(size_t k) const;  // path/shard-K
  IndexFolder Lexicon() const;        // path/lexicon

  // --- Its stubs ---
  // How many databases the folder's stub lists (lines other than blank ones
  // and # comments).
  size_t StubEntries() const;
  // The local glass databases that opening the folder reads: its own
  // database, or those its stub lists ("auto" and "glass" lines, followed
  // through nested stubs); remote lines are not local. Missing entries are
  // skipped (opening them reports them).
  std::vector<std::string> LocalDatabases() const;
  // The text of every stub met on the way to its local databases, those of
  // the lexicon included. Changes when a rebuild switches the generation of
  // any part, which Xapian's reopen() does not notice.
  std::string ResolvedStubs() const;
  // The device and inode of the folder, of every stub met on the way to its
  // local databases and of each of those databases (the lexicon's too), as
  // text. Changes when the folder is deleted and made again, or another one
  // is moved (mv) in its place, even when its stubs read the same; Xapian's
  // reopen() would keep reading the old, deleted or renamed, tables.
  std::string Identity() const;

  // --- Opening ---
  // Opens every database a searcher reads. Xapian errors propagate as
  // thrown (the caller knows whether it is opening or reconnecting);
  // InvalidArgument when a sharded folder's stub lists another number of
  // databases than its lexicon's shard count.
  Result<SearchableIndex> OpenForSearch() const;
  // Opens (creating when missing) the folder for writing: `shards` > 0
  // makes a new index sharded (an existing one keeps its count; another
  // count, or sharding an existing plain index, is InvalidArgument);
  // `rebuild` starts a new generation of every part, made live by
  // SwitchGeneration at commit. Xapian errors propagate as thrown
  // (Xapian::DatabaseLockError when another writer holds the index).
  Result<WritableIndex> OpenForWriting(size_t shards, bool rebuild) const;

  // --- Writing it ---
  // Creates the folder (and its parents) if needed and locks it for one
  // writer until the lock is destroyed. Fails with InvalidArgument for an
  // empty path (never the current folder or "/" by accident), and with
  // IoError "cannot create PATH: REASON" when the folder cannot be made,
  // "cannot write to index folder PATH: REASON" (permission denied,
  // read-only file system) when it cannot be written, and "PATH: index is
  // locked by another writer (pid N?)" when another writer holds it (the
  // pid is the one that writer recorded). Never waits. The lock is an
  // open-file-description lock: two writers in one process exclude each
  // other too; the kernel drops it when its holder dies.
  Result<std::unique_ptr<FolderLock>> LockForWriting() const;

  // --- Changing it ---
  // Makes generation `n` live: writes the stub beside it and renames it
  // over the old one (atomic on POSIX file systems), then removes
  // generations older than n - 1 (the one before stays for searchers still
  // reading it).
  Status SwitchGeneration(int n) const;
  // Removes the generations above the live one here and, for a sharded
  // index, in every shard and the lexicon: a rebuild that will not finish.
  // Only for the holder of LockForWriting.
  void RemoveUnfinishedRebuild() const;
  // Removes generation `n` (an unfinished rebuild that must not go live);
  // refuses to remove the live one.
  Status RemoveGeneration(int n) const;
  // Writes the stub of a sharded index listing shard-0 .. shard-(shards-1)
  // (atomically, as SwitchGeneration).
  Status WriteShardStub(size_t shards) const;

 private:
  Status OpenPart(bool rebuild, WritablePart* part) const;
  void RemoveUnfinishedGenerations(int live) const;
  Status CreateLexicon(size_t shards) const;
  std::string path_;
};

// The shard that holds document `doc_id`: FNV-1a (64-bit) of the id modulo
// `shards`, so a document stays in its shard from run to run.
size_t ShardOf(std::string_view doc_id, size_t shards);

// The shard count a lexicon records (0 when it records none).
size_t ShardCount(const Xapian::Database& lexicon);

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_INDEX_FOLDER_H_
