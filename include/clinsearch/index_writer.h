// SPDX-License-Identifier: GPL-2.0-or-later
// IndexWriter: builds or updates a clinsearch index (a Xapian database
// folder) from documents.
//
//   clinsearch::IndexOptions options;             // bundled dictionary on
//   auto writer = clinsearch::IndexWriter::Open("idx", options);
//   if (!writer.ok()) return fail(writer.status());
//   writer->AddPath("corpus/");                   // .txt .md .html .jsonl
//   writer->AddDocument(my_document);             // or documents you built
//   clinsearch::Status s = writer->Commit();      // searchable from here on
//
// Each document is split into passages (one Xapian document each) that keep
// the document id, title and section heading. Indexing is incremental: a
// document whose id, content, dictionary and analyzer are those already
// indexed is skipped; one whose content changed replaces all its passages;
// Prune() removes the documents a run did not see. A new dictionary or
// analyzer changes every document's fingerprint, so all are re-analysed. Dictionary concepts are
// tagged on every passage; words go into the spelling dictionary.
//
// Bad input never stops the work: an unreadable file or folder, a JSONL line
// that is not JSON, invalid UTF-8 or an empty document is reported
// ("FILE:LINE: message") through the log and diagnostics(), and the rest is
// indexed. An input that could not be read at all (a missing path, a file or
// folder that cannot be read) is a read error: it makes AddPath fail (after
// the rest of the path was indexed), and it blocks what would delete that
// input's documents: Prune() and a rebuild's switch refuse.
//
// Nothing goes live that the caller did not mean. Prune() and a rebuild
// (which drops every document its input lacks, like a prune) refuse when an
// input could not be read, when the run saw no document at all, or when they
// would delete more than max_delete_fraction of the index, unless
// allow_mass_delete. A writer works inside Xapian transactions: nothing is
// visible to searchers before Commit() (or a periodic commit of an
// incremental run, see commit_every), and a writer destroyed without
// Commit() leaves the index as the last commit left it.
//
// Thread safety: one IndexWriter per index folder at a time: Open locks the
// whole folder for the writer's lifetime, and a second writer (in any
// process, rebuilding or not) is refused. Its methods must not be called
// concurrently.
#ifndef CLINSEARCH_STORAGE_WRITER_H_
#define CLINSEARCH_STORAGE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clinsearch/document.h"
#include "clinsearch/export.h"
#include "clinsearch/status.h"

namespace clinsearch {

struct PassageOptions {
  // A passage closes once it reaches target_words at a paragraph boundary.
  size_t target_words = 110;
  // Passages never exceed max_words (list markers aside); longer
  // paragraphs are cut at sentence ends.
  size_t max_words = 220;
  // A section's last passage shorter than this joins the one before it.
  size_t min_words = 30;
};

// How far AddPath has got with one path, for progress displays.
struct IndexProgress {
  std::string path;          // the file or folder being read
  uint64_t bytes_done = 0;   // of its files' bytes, read so far
  uint64_t bytes_total = 0;  // their total size
  size_t documents = 0;      // documents read from it so far (changed or not)
  double seconds = 0;        // since AddPath started on it
  bool done = false;         // the path is finished: the last call for it
};

struct IndexOptions {
  // Load the bundled clinical dictionary (share/clinsearch/synonyms of the
  // install, or $CLINSEARCH_SYNONYMS_DIR when set). Default: true. When it
  // is missing or holds no concepts, opening the writer fails (NotFound,
  // naming the folder it looked in) rather than index without it.
  bool bundled_synonyms = true;
  // Further dictionary files or folders (format: synonyms/FORMAT.md).
  std::vector<std::string> synonym_paths;
  PassageOptions passages;
  // Build a new generation of the index from scratch beside the live one;
  // searchers keep answering from the live one until Commit() switches
  // to the new one atomically (see docs/index-layout.md), after reading it
  // back and checking its structure. Commit() does not switch, removes the
  // new generation and fails ("not switching: ...") when an input could
  // not be read, a write failed, the generation is damaged, or the
  // deletion guards below refuse the documents of the live generation the
  // run did not see. Default: update the live generation incrementally.
  bool rebuild = false;
  // The deletion guards of Prune() and of a rebuild: refuse to delete more
  // than this share of the index's documents (0.10: 10%), or every
  // document when the run saw none; allow_mass_delete lifts both (a read
  // error always refuses).
  double max_delete_fraction = 0.10;
  bool allow_mass_delete = false;
  // One transaction for the whole run: no periodic commit (commit_every is
  // ignored), and Commit() commits nothing and fails when any input could
  // not be read. What the run wrote stays uncommitted until then: Xapian
  // writes postings out (uncommitted) every XAPIAN_FLUSH_THRESHOLD
  // documents but keeps the run's document values (each passage's stored
  // text, LZ4-compressed: about half the input text) in memory until the
  // commit, and the database files grow by up to the run's size before the
  // commit frees what it replaced.
  bool all_or_nothing = false;
  // Write nothing (not even the folder or its lock): read the inputs,
  // compare them with the live index and record in changes() the ids a
  // real run would add, replace and delete (Prune(), or a rebuild's
  // dropped documents at Commit()), with the same refusals. Documents are
  // not analysed, so one that analysis would reject counts as added.
  bool dry_run = false;
  // Files' document ids are their lexically normalised absolute path, made
  // relative to this folder when they lie below it: `corpus`, `./corpus/`
  // and `$PWD/corpus` give the same ids. Empty: the current folder at
  // Open, so ids of relative paths without "." or ".." are as given.
  std::string id_root;
  // Build a new index as this many shards (docs/scaling.md): Xapian
  // databases shard-0 .. shard-(N-1) in the folder, each document in the
  // shard given by a hash of its id, a Xapian stub listing them, and a
  // "lexicon" database with the dictionary, mined synonyms and spelling
  // table of all of them. Searchers open the folder as one index. An
  // existing sharded index is updated shard by shard whatever this says
  // (a different non-zero number fails Open: resharding needs a new
  // folder); 0 (the default) keeps an existing index as it is and makes a
  // new one a single database.
  size_t shards = 0;
  // Threads analysing documents in AddPath (0: one per core). The Xapian
  // writer is always one thread.
  size_t threads = 0;
  // Commit after about this many passages (0: only at Commit()); each
  // batch is a transaction, so Xapian's own flushes commit nothing. Small
  // batches keep the writer's buffers in cache: measured on MedQuAD, 2,000
  // indexes faster than 500 or 10,000 and bounds memory (bench/RESULTS.md).
  // A crash keeps everything up to the last such commit.
  size_t commit_every = 2000;
  // Learn abbreviations ("stereotactic radiosurgery (SRS)") and "Also
  // called:" names from the documents; searchers expand queries with them.
  bool mine_synonyms = true;
  // Called by AddPath, on the calling thread, about every
  // progress_interval_ms while it reads, and once when the path is done.
  std::function<void(const IndexProgress&)> progress;
  unsigned progress_interval_ms = 250;
  // How often title and section-heading words count, relative to body text.
  unsigned title_weight = 2;
  unsigned heading_weight = 2;
};

struct IndexStats {
  size_t documents = 0;    // documents indexed (added or replaced)
  size_t added = 0;        // of which new ids
  size_t updated = 0;      // of which replaced an earlier version
  size_t unchanged = 0;    // documents skipped: same id, content and dictionary
  size_t deleted = 0;      // removed by Prune(), or dropped by a rebuild (not in its input)
  size_t duplicates = 0;   // ids given more than once since Open (the last one wins)
  size_t passages = 0;     // passages written
  size_t skipped = 0;      // documents rejected (no id, no text, write failure)
  size_t problems = 0;     // problems reported by the readers (see diagnostics)
  size_t read_errors = 0;  // inputs that could not be read (of the problems; or not found)
};

// What a dry run (IndexOptions::dry_run) found: the ids a real run would
// add, replace and delete, in the order met.
struct IndexChanges {
  std::vector<std::string> added;
  std::vector<std::string> replaced;
  std::vector<std::string> deleted;
};

class CLINSEARCH_EXPORT IndexWriter {
 public:
  // Opens the index at `db_path` for writing, creating it if needed, and
  // locks its folder until the writer is destroyed. Fails (writing
  // nothing) with InvalidArgument for an empty path; with IoError if the
  // folder cannot be created or written ("cannot create PATH: ...",
  // "cannot write to index folder PATH: ..."), holds no Xapian database, or
  // is locked by another writer ("index is locked by another writer (pid
  // N)"); or if no dictionary can be loaded. With dry_run, opens the live
  // index (if any) for reading only.
  static Result<IndexWriter> Open(const std::string& db_path, const IndexOptions& options = {});

  // Checks, writing nothing, that every path exists and can be read as
  // AddPath reads it: its folders listed and its files opened. Returns
  // the first problem (NotFound or IoError, naming the path).
  static Status CheckInputs(const std::vector<std::string>& paths);

  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  // Commits nothing: what was not committed is discarded (Xapian's
  // transaction is cancelled), a rebuild's unfinished generation is
  // removed, and the folder's lock is released.
  ~IndexWriter();

  // Indexes one document, replacing any earlier one with the same id.
  // Invalid UTF-8 in its fields is replaced with U+FFFD. Fails (and indexes
  // nothing) with InvalidArgument if the id is empty or it has no text, with
  // IoError if the index cannot be written (changes since the last commit,
  // Commit() or the periodic one of IndexOptions::commit_every, are then
  // lost).
  Status AddDocument(const Document& doc);

  // Reads and indexes a file (by extension: .txt .md .markdown .html .htm
  // .jsonl) or every such file below a folder. Problems with single files,
  // lines or documents are reported and skipped. Fails with NotFound if
  // `path` does not exist, with IoError naming the first file or folder
  // that could not be read (the rest is indexed), or with the first error
  // writing the index.
  Status AddPath(const std::string& path);

  // Deletes every document whose id was not given to AddDocument (or read
  // by AddPath) since Open: what a full export no longer contains. Refuses
  // (InvalidArgument "not pruning: ...", deleting nothing) after a read
  // error, and, unless allow_mass_delete, when no document was given while
  // the index has some, or when more than max_delete_fraction of the
  // index's documents would go.
  Status Prune();

  // Makes everything added so far durable and visible to searchers; a
  // rebuild switches to its generation (see IndexOptions::rebuild). Fails,
  // committing nothing, after a write error (the changes since the last
  // commit are lost) and, with all_or_nothing, after a read error. With
  // dry_run, writes nothing and returns what a real Commit() would refuse.
  Status Commit();

  const IndexStats& stats() const;
  // Filled by a dry run only.
  const IndexChanges& changes() const;
  // "FILE:LINE: message" for every problem met so far.
  const std::vector<std::string>& diagnostics() const;

 private:
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_WRITER_H_
