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
// Bad input never stops the work: an unreadable file, a JSONL line that is
// not JSON, invalid UTF-8 or an empty document is reported ("FILE:LINE:
// message") through the log and diagnostics(), and the rest is indexed.
//
// Thread safety: one IndexWriter per index at a time (Xapian allows a single
// writer); its methods must not be called concurrently.
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
  // install, or $CLINSEARCH_SYNONYMS_DIR when set). Default: true.
  bool bundled_synonyms = true;
  // Further dictionary files or folders (format: synonyms/FORMAT.md).
  std::vector<std::string> synonym_paths;
  PassageOptions passages;
  // Build a new generation of the index from scratch beside the live one;
  // searchers keep answering from the live one until Commit() switches
  // to the new one atomically (see docs/index-layout.md), after reading it
  // back and checking its structure (a damaged rebuild fails Commit() and
  // never goes live). Default: update the live generation incrementally.
  bool rebuild = false;
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
  // Commit after about this many passages (0: only at Commit(), with
  // Xapian's own flushes every XAPIAN_FLUSH_THRESHOLD passages). Small
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
  size_t documents = 0;   // documents indexed (added or replaced)
  size_t added = 0;       // of which new ids
  size_t updated = 0;     // of which replaced an earlier version
  size_t unchanged = 0;   // documents skipped: same id, content and dictionary
  size_t deleted = 0;     // documents removed by Prune()
  size_t duplicates = 0;  // ids given more than once since Open (the last one wins)
  size_t passages = 0;    // passages written
  size_t skipped = 0;     // documents rejected (no id, no text, write failure)
  size_t problems = 0;    // problems reported by the readers (see diagnostics)
};

class CLINSEARCH_EXPORT IndexWriter {
 public:
  // Opens the index at `db_path` for writing, creating it if needed.
  // Fails if the folder cannot be created, holds no Xapian database, or is
  // locked by another writer; or if no dictionary can be loaded.
  static Result<IndexWriter> Open(const std::string& db_path, const IndexOptions& options = {});

  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();  // commits what was added

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
  // `path` does not exist, or with the first error writing the index.
  Status AddPath(const std::string& path);

  // Deletes every document whose id was not given to AddDocument (or read
  // by AddPath) since Open: what a full export no longer contains.
  Status Prune();

  // Makes everything added so far durable and visible to searchers.
  Status Commit();

  const IndexStats& stats() const;
  // "FILE:LINE: message" for every problem met so far.
  const std::vector<std::string>& diagnostics() const;

 private:
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_WRITER_H_
