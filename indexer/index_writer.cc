// SPDX-License-Identifier: GPL-2.0-or-later
#include "clinsearch/index_writer.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "indexer/ordered_pipeline.h"
#include "indexer/passage_document.h"
#include "indexer/progress_reporter.h"
#include "indexer/readers.h"
#include "indexer/synonym_miner.h"
#include "storage/index_folder.h"
#include "storage/integrity_check.h"
#include "storage/passage_record.h"
#include "storage/schema.h"
#include "storage/stored_tokens.h"

namespace clinsearch {

namespace {

// A document on its way to an analysis thread: cleaned, not indexed in
// this version yet, with its version term.
struct AnalysisJob {
  Document doc;
  std::string version;
};

using AnalysisPipeline = OrderedPipeline<AnalysisJob, PreparedDocument>;

}  // namespace

struct IndexWriter::Impl {
  // One Xapian database this writer writes: a shard (the only one of a
  // plain index) or a sharded index's lexicon.
  using Part = WritablePart;
  std::vector<Part> shards;
  // A sharded index's dictionary, mined synonyms and spelling table, for
  // all shards (storage/index_folder.h); a plain index keeps them in its
  // database.
  std::unique_ptr<Part> lexicon;
  Xapian::WritableDatabase& Words() { return lexicon ? lexicon->db : shards[0].db; }
  Xapian::WritableDatabase& ShardOfId(const std::string& id) {
    return shards[ShardOf(id, shards.size())].db;
  }
  // Where a document's indexed versions are looked up: its shard, or for
  // a dry run, the live generation's.
  Xapian::Database& Lookup(const std::string& id) {
    if (options.dry_run) return live[ShardOf(id, live.size())];
    return ShardOfId(id);
  }
  // The documents' databases Prune() reads (a dry run's are the live ones).
  size_t ReadableShards() const { return options.dry_run ? live.size() : shards.size(); }
  Xapian::Database& ReadableShard(size_t k) {
    if (options.dry_run) return live[k];
    return shards[k].db;
  }
  template <typename F>
  void ForEachPart(F f) {
    for (Part& part : shards) f(part);
    if (lexicon) f(*lexicon);
  }

  // Whether `doc` needs analysing; sets its VersionTerm in `version`.
  // The steps of Open.
  Status LoadDictionary();
  Status ResolveIdRoot();
  Status OpenFolder();
  Status BeginTransactions();
  Status ReadAndDescribe();
  Status OpenLive();

  // A file's document id (IndexOptions::id_root).
  std::string FileId(const std::string& file) const;
  // Records a document a dry run would add or replace.
  Status RecordDryRun(const Document& doc);
  // Counts and reports a document with no text, which is never indexed.
  Status SkipEmpty(const std::string& id) {
    ++stats.skipped;
    Problem(id + ": empty document (no text); skipped");
    return Status::InvalidArgument(id + ": empty document");
  }
  // The documents of `db` that the run did not see: their XD terms, and
  // their ids when `ids` is not null; `total` receives how many it holds.
  std::vector<std::string> Unseen(Xapian::Database& db, size_t* total,
                                  std::vector<std::string>* ids);
  // Whether deleting `gone` of `total` documents passes the guards; the
  // refusal starts with `refusal` ("not pruning").
  Status DeletionAllowed(size_t gone, size_t total, const std::string& refusal) const;
  // The first read error, as a refusal starting with `refusal`.
  Status ReadErrorRefusal(const std::string& refusal) const;
  // Refuses a rebuild's switch that would drop too much of the live index.
  Status CheckRebuildDrop();
  // Cancels what was not committed and removes a rebuild's unfinished
  // generations; says which generation stays live.
  std::string Abandon();
  // Abandon() for a run that must not go live: `why`, and which
  // generation stays live.
  Status Refuse(const Status& why);
  Status SwitchRebuilt();

  bool NeedsIndexing(const Document& doc, std::string* version, Status* status);
  // Writes an analysed document to its shard in place of any earlier
  // version, and counts it; returns its analysis error or a write failure.
  Status WritePrepared(PreparedDocument&& doc);
  // Starts AddPath's analysis threads; `write` receives each analysed
  // document on the calling thread, in input order.
  AnalysisPipeline StartAnalysis(std::function<void(PreparedDocument&&)> write) const;
  // Commits what is written so far (with its spelling words), so that the
  // writer's buffers stay small and a crash keeps this much.
  Status CommitBatch();
  // Stores the mined synonyms: those of earlier runs and of this one.
  void WriteMined();
  void AddSpelling() {
    Xapian::WritableDatabase& words = Words();
    for (const auto& [word, count] : spelling) words.add_spelling(word, count);
    spelling.clear();
  }

  // The metadata a searcher needs. Written at Open too, so that any commit
  // (Xapian's automatic ones every XAPIAN_FLUSH_THRESHOLD documents, or
  // the last one before a crash) leaves an index that opens and answers.
  // Every part gets it (a shard opens as an index of its own); a value
  // already there is not written again, so a run that changes nothing in
  // a shard leaves its revision (and its replicas) alone.
  void WriteDescription() {
    const std::pair<const char*, std::string> description[] = {
        {kFormatKey, kFormatVersion},
        {kDictionaryKey, dictionary.Serialize()},
        {kDictionaryFingerprintKey, dictionary.Fingerprint()},
        {kBundledDictionaryKey, bundled_fingerprint},
        {kAnalyzerKey, analyzer.Fingerprint()}};
    ForEachPart([&](Part& part) {
      for (const auto& [key, value] : description) {
        if (part.db.get_metadata(key) != value) part.db.set_metadata(key, value);
      }
    });
  }

  void Problem(const std::string& message) {
    Log()->warn("{}", message);
    diagnostics.push_back(message);
  }
  void ReadError(const std::string& message, bool log = true) {
    ++stats.read_errors;
    ++stats.problems;
    if (first_read_error.empty()) first_read_error = message;
    if (log) Log()->warn("{}", message);
    diagnostics.push_back(message);
  }

  // Takes the words of an indexed document's passages (in `db`) out of the
  // spelling table before the document is replaced.
  void ForgetSpelling(Xapian::WritableDatabase& db, const std::string& doc_term) {
    std::unordered_map<std::string, Xapian::termcount> old;
    for (auto it = db.postlist_begin(doc_term); it != db.postlist_end(doc_term); ++it) {
      PassageRecord record;
      std::string stored;
      if (!ReadPassage(db.get_document(*it), &record, &stored)) continue;
      std::vector<Token> tokens, title, section;
      if (stored.empty() ||
          !DecodeStoredTokens(stored, {{record.text, &tokens, kBodyBase},
                                       {record.title, &title, kTitleBase},
                                       {record.heading, &section, kHeadingBase}})) {
        tokens = analyzer.Analyze(record.text);
      }
      for (const Token& t : tokens) {
        if (IsSpellingWord(t)) ++old[t.word];
      }
    }
    Xapian::WritableDatabase& words = Words();
    for (const auto& [word, count] : old) words.remove_spelling(word, count);
  }

  Analyzer analyzer;
  Dictionary dictionary;
  IndexOptions options;
  IndexStats stats;
  std::vector<std::string> diagnostics;
  SpellingCounts spelling;  // word -> count, until Commit
  // Abbreviations and "also called" names found by this writer, and the
  // mined dictionary text the index held when it was opened; every commit
  // writes both together.
  SynonymMiner miner;
  std::string mined_base;
  std::unordered_set<std::string> seen;      // ids given since Open, for Prune
  std::string analysis_fingerprint;          // dictionary + analyzer fingerprints
  std::string bundled_fingerprint = "none";  // of the bundled dictionary alone
  std::string dir;                           // the index folder
  std::filesystem::path id_root;             // files' ids are relative to it
  std::unique_ptr<FolderLock> lock;          // the folder's, for the writer's lifetime
  // Read handles on the live generation's shards: a dry run's index, and
  // the generation a rebuild replaces (for its deletion guards).
  std::vector<Xapian::Database> live;
  IndexChanges changes;          // a dry run's findings
  std::string first_read_error;  // of stats.read_errors
  Status write_error;            // the first failed write: nothing more is committed
  bool in_transaction = false;   // every part is in a Xapian transaction
  bool dirty = false;            // something written since the last Commit
  size_t since_commit = 0;       // passages written since the last commit
};

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;

IndexWriter::~IndexWriter() {
  if (impl_ && !impl_->options.dry_run) {
    const std::string kept = impl_->Abandon();
    if (impl_->dirty) Log()->warn("{}: changes not committed were discarded{}", impl_->dir, kept);
  }
}

// Cancels every part's transaction (a failed commit leaves none, with its
// changes already cancelled by Xapian), then removes the generations a
// rebuild did not switch to. Never throws.
std::string IndexWriter::Impl::Abandon() {
  if (in_transaction) {
    ForEachPart([](Part& part) {
      try {
        part.db.cancel_transaction();
      } catch (const Xapian::Error&) {  // none active after a failed commit
      }
    });
    in_transaction = false;
  }
  std::string kept;
  ForEachPart([&](Part& part) {
    if (part.switch_to == 0) return;
    try {
      part.db.close();  // no transaction is active: commits nothing pending
    } catch (const Xapian::Error&) {
    }
    const IndexFolder folder(part.dir);
    if (Status s = folder.RemoveGeneration(part.switch_to); !s.ok()) {
      Log()->warn("{}", s.message());
    } else if (kept.empty()) {
      kept = "; generation " + std::to_string(part.switch_to) + " removed, generation " +
             std::to_string(folder.LiveGeneration()) + " stays live";
    }
    part.switch_to = 0;
  });
  return kept;
}

namespace {

// What every document's fingerprint includes beside its content: the
// dictionary, the analyzer and the options that shape passages and their
// terms, so that changing any of them reindexes every document.
std::string AnalysisFingerprint(const Dictionary& dictionary, const Analyzer& analyzer,
                                const IndexOptions& options) {
  return dictionary.Fingerprint() + "/" + analyzer.Fingerprint() + "/" +
         std::to_string(options.title_weight) + "," + std::to_string(options.heading_weight) + "," +
         std::to_string(options.passages.target_words) + "," +
         std::to_string(options.passages.max_words) + "," +
         std::to_string(options.passages.min_words) + "," + std::string(kPassageSchemaVersion);
}

}  // namespace

// The bundled dictionary (when asked for) and the extra ones, compiled. A
// bundled dictionary that is missing or holds no concepts is an error: an
// index built without it silently loses what lay words find (an install
// that lost its data folder, say).
Status IndexWriter::Impl::LoadDictionary() {
  std::vector<std::string> problems;
  if (options.bundled_synonyms) {
    const std::string dir = BundledDictionaryDir();
    Status s = dictionary.LoadPath(dir, &problems);
    if (s.ok() && dictionary.size() == 0) s = Status::NotFound(dir + ": no concepts in it");
    if (!s.ok()) {
      return Status::NotFound("the bundled clinical dictionary could not be loaded (" +
                              s.message() +
                              "); install it there, point CLINSEARCH_SYNONYMS_DIR at it, or "
                              "index without it (--no-bundled-synonyms)");
    }
    bundled_fingerprint = dictionary.Fingerprint();
  }
  for (const std::string& p : options.synonym_paths) {
    Status s = dictionary.LoadPath(p, &problems);
    if (!s.ok()) return s;
  }
  diagnostics = std::move(problems);
  dictionary.Compile(analyzer);
  return Status::Ok();
}

// id_root as an absolute, lexically normal folder without a trailing
// separator (the current folder when empty).
Status IndexWriter::Impl::ResolveIdRoot() {
  std::error_code ec;
  std::filesystem::path root = options.id_root.empty()
                                   ? std::filesystem::current_path(ec)
                                   : std::filesystem::absolute(options.id_root, ec);
  if (ec) return Status::IoError("cannot resolve the id root folder: " + ec.message());
  root = root.lexically_normal();
  if (!root.has_filename() && root != root.root_path()) root = root.parent_path();
  id_root = root;
  return Status::Ok();
}

std::string IndexWriter::Impl::FileId(const std::string& file) const {
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::absolute(file, ec).lexically_normal();
  if (ec) return file;
  const std::filesystem::path relative = path.lexically_relative(id_root);
  if (!relative.empty() && *relative.begin() != ".." && relative != ".") return relative.string();
  return path.string();
}

Status IndexWriter::Impl::OpenFolder() {
  Result<std::unique_ptr<FolderLock>> locked = IndexFolder(dir).LockForWriting();
  if (!locked.ok()) return locked.status();
  lock = std::move(*locked);
  try {
    Result<WritableIndex> opened = IndexFolder(dir).OpenForWriting(options.shards, options.rebuild);
    if (!opened.ok()) return opened.status();
    shards = std::move(opened->shards);
    lexicon = std::move(opened->lexicon);
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::IoError(dir + ": index is locked by another writer (" + e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    return Status::IoError(dir + ": cannot open index for writing: " + e.get_description());
  }
  return Status::Ok();
}

// Every write of the run goes into a transaction, so that neither Xapian's
// automatic flushes nor a writer destroyed early commit a part of it.
Status IndexWriter::Impl::BeginTransactions() {
  try {
    ForEachPart([](Part& part) { part.db.begin_transaction(); });
  } catch (const Xapian::Error& e) {
    return Status::IoError(dir + ": cannot start writing: " + e.get_description());
  }
  in_transaction = true;
  return Status::Ok();
}

// Read handles on the live generation of every shard (none: an empty
// database), for a dry run and for a rebuild's deletion guards.
Status IndexWriter::Impl::OpenLive() {
  const IndexFolder folder(dir);
  try {
    const bool sharded = folder.IsSharded();
    const size_t n = sharded ? ShardCount(Xapian::Database(folder.Lexicon().path())) : 1;
    for (size_t k = 0; k < std::max<size_t>(n, 1); ++k) {
      const std::string path = (sharded ? folder.Shard(k) : folder).LiveDatabasePath();
      live.push_back(path.empty() ? Xapian::Database() : Xapian::Database(path));
    }
  } catch (const Xapian::Error& e) {
    return Status::IoError(dir + ": cannot read the live index: " + e.get_description());
  }
  return Status::Ok();
}

// Reads what earlier runs left (the mined synonyms), warns when the
// dictionary or analyzer changed since, and writes the description.
Status IndexWriter::Impl::ReadAndDescribe() {
  try {
    Xapian::WritableDatabase& words = Words();
    mined_base = words.get_metadata(kMinedDictionaryKey);
    const std::string old_dict = words.get_metadata(kDictionaryFingerprintKey);
    const std::string old_analyzer = words.get_metadata(kAnalyzerKey);
    if ((!old_dict.empty() && old_dict != dictionary.Fingerprint()) ||
        (!old_analyzer.empty() && old_analyzer != analyzer.Fingerprint())) {
      Log()->warn(
          "{}: the dictionary or analyzer differs from the one this index was built with; "
          "every document will be analysed again",
          dir);
    }
    WriteDescription();
  } catch (const Xapian::Error& e) {
    return Status::IoError(dir + ": cannot write index metadata: " + e.get_description());
  }
  return Status::Ok();
}

Result<IndexWriter> IndexWriter::Open(const std::string& db_path, const IndexOptions& options) {
  if (db_path.empty()) {
    return Status::InvalidArgument("no index folder given (the index path is empty)");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (options.all_or_nothing) impl->options.commit_every = 0;
  impl->dir = db_path;
  if (Status s = impl->ResolveIdRoot(); !s.ok()) return s;
  if (Status s = impl->LoadDictionary(); !s.ok()) return s;
  impl->analysis_fingerprint = AnalysisFingerprint(impl->dictionary, impl->analyzer, options);
  if (options.dry_run) {
    if (Status s = impl->OpenLive(); !s.ok()) return s;
    return IndexWriter(std::move(impl));
  }
  if (Status s = impl->OpenFolder(); !s.ok()) return s;
  IndexWriter writer(std::move(impl));  // from here on, a failure abandons the run
  Impl& im = *writer.impl_;
  Log()->info("dictionary: {} concepts", im.dictionary.size());
  if (Status s = im.BeginTransactions(); !s.ok()) return s;
  if (Status s = im.ReadAndDescribe(); !s.ok()) return s;
  bool rebuilding = false;
  im.ForEachPart([&](Impl::Part& part) { rebuilding |= part.switch_to > 0; });
  if (rebuilding) {
    if (Status s = im.OpenLive(); !s.ok()) return s;
  }
  return writer;
}

Status IndexWriter::CheckInputs(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    std::vector<std::string> files;
    std::string error;
    const auto note = [&](const std::string& message) {
      if (error.empty()) error = message;
    };
    if (!ListInputFiles(path, &files, note)) {
      return Status::NotFound(path + ": no such file or folder");
    }
    for (const std::string& file : files) {
      if (!error.empty()) break;
      if (!std::ifstream(file, std::ios::binary)) {
        note(file + ": cannot read file (" +
             std::error_code(errno, std::generic_category()).message() + ")");
      }
    }
    if (!error.empty()) return Status::IoError(error);
  }
  return Status::Ok();
}

// Cleaning shared by every way in: invalid UTF-8 replaced in all fields.
static Document Cleaned(Document doc) {
  for (std::string* field : {&doc.id, &doc.title, &doc.url, &doc.source}) RepairUtf8(*field);
  for (Section& section : doc.sections) {
    RepairUtf8(section.heading);
    RepairUtf8(section.text);
  }
  return doc;
}

// Whether `doc` needs analysing: no for a missing id or an index that
// cannot be read (Status set), and for a version already indexed (counted
// unchanged).
bool IndexWriter::Impl::NeedsIndexing(const Document& doc, std::string* version, Status* status) {
  if (doc.id.empty()) {
    ++stats.skipped;
    *status = Status::InvalidArgument("document without id; skipped");
    return false;
  }
  const bool repeated = !seen.insert(doc.id).second;
  if (repeated) {
    ++stats.duplicates;
    Log()->warn("{}: id given twice in one run; the later document replaces the earlier", doc.id);
    if (options.dry_run) return false;  // counted once
  }
  *version = VersionTerm(doc, analysis_fingerprint);
  try {
    // A repeated id is always indexed: an earlier copy of this run may not
    // be applied yet, and the last copy must be the one that stays.
    if (!repeated && Lookup(doc.id).term_exists(*version)) {
      ++stats.unchanged;
      return false;
    }
  } catch (const Xapian::Error& e) {
    *status = Status::IoError(doc.id + ": index cannot be read: " + e.get_description());
    return false;
  }
  return true;
}

Status IndexWriter::Impl::WritePrepared(PreparedDocument&& doc) {
  if (!doc.error.ok()) {
    ++stats.skipped;
    Problem(doc.error.message());
    return doc.error;
  }
  if (doc.passages.empty()) return SkipEmpty(doc.id);
  if (!write_error.ok()) {  // Xapian discarded the batch: write no more
    ++stats.skipped;
    return write_error;
  }
  try {
    const std::string doc_term = IdTerm(kDocIdPrefix, doc.id);
    Xapian::WritableDatabase& db = ShardOfId(doc.id);
    const bool replacing = db.term_exists(doc_term);
    if (replacing) {
      ForgetSpelling(db, doc_term);
      db.delete_document(doc_term);
    }
    for (Xapian::Document& xd : doc.passages) {
      db.add_document(xd);
      ++stats.passages;
    }
    ++(replacing ? stats.updated : stats.added);
  } catch (const Xapian::Error& e) {
    // Xapian cancels every change since the last commit after a failed
    // modification: say so rather than pretend the earlier ones are there.
    ++stats.skipped;
    write_error = Status::IoError(doc.id + ": indexing failed (" + e.get_description() +
                                  "); documents added since the last commit were rolled back");
    return write_error;
  }
  for (const auto& [word, count] : doc.spelling) spelling[word] += count;
  miner.MergeFrom(doc.mined);
  ++stats.documents;
  dirty = true;
  since_commit += doc.passages.size();
  if (options.commit_every > 0 && since_commit >= options.commit_every) return CommitBatch();
  return Status::Ok();
}

void IndexWriter::Impl::WriteMined() {
  SynonymMiner all;
  all.Merge(mined_base);
  all.MergeFrom(miner);
  Words().set_metadata(kMinedDictionaryKey, all.DictionaryText());
}

Status IndexWriter::Impl::CommitBatch() {
  if (!write_error.ok()) return write_error;
  try {
    AddSpelling();
    WriteMined();
    ForEachPart([](Part& part) {
      part.db.commit_transaction();
      part.db.begin_transaction();
    });
  } catch (const Xapian::Error& e) {
    write_error = Status::IoError(dir + ": commit failed: " + e.get_description());
    return write_error;
  }
  since_commit = 0;
  return Status::Ok();
}

Status IndexWriter::Impl::RecordDryRun(const Document& doc) {
  const bool has_text = std::any_of(doc.sections.begin(), doc.sections.end(), [](const Section& s) {
    return s.text.find_first_not_of(" \t\r\n") != std::string::npos;
  });
  if (!has_text) return SkipEmpty(doc.id);
  try {
    const bool replacing = Lookup(doc.id).term_exists(IdTerm(kDocIdPrefix, doc.id));
    (replacing ? changes.replaced : changes.added).push_back(doc.id);
    ++(replacing ? stats.updated : stats.added);
    ++stats.documents;
  } catch (const Xapian::Error& e) {
    return Status::IoError(doc.id + ": index cannot be read: " + e.get_description());
  }
  return Status::Ok();
}

Status IndexWriter::AddDocument(const Document& input) {
  Impl& im = *impl_;
  const Document doc = Cleaned(input);
  std::string version;
  Status status;
  if (!im.NeedsIndexing(doc, &version, &status)) return status;
  if (im.options.dry_run) return im.RecordDryRun(doc);
  return im.WritePrepared(
      PrepareDocument(doc, std::move(version), im.analyzer, im.dictionary, im.options));
}

namespace {

// What an exception on an analysis thread becomes: the document skipped,
// with the reason.
PreparedDocument FailedAnalysis(const AnalysisJob& job, std::exception_ptr error,
                                PipelineStage stage) {
  std::string what;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (const Xapian::Error& e) {
    what = e.get_description();
  } catch (...) {
    what = "unknown exception";
  }
  PreparedDocument failed;
  failed.id = job.doc.id;
  failed.error = Status::Internal(stage == PipelineStage::kStartingWorker
                                      ? "analysis thread failed to start: " + what
                                      : job.doc.id + ": analysis failed: " + what);
  return failed;
}

// What AddPath returns: the first error that is not InvalidArgument (a
// document without id or text is reported and skipped, not a failure).
class FirstError {
 public:
  void Note(const Status& s) {
    if (!s.ok() && s.code() != Status::Code::kInvalidArgument && first_.ok()) first_ = s;
  }
  const Status& status() const { return first_; }

 private:
  Status first_;
};

}  // namespace

AnalysisPipeline IndexWriter::Impl::StartAnalysis(
    std::function<void(PreparedDocument&&)> write) const {
  // Analysis runs on worker threads, each with its own Analyzer (ICU and
  // stemmer state), while the calling thread reads input and is the single
  // Xapian writer. At most 4 * workers + 16 documents are in flight, so
  // memory stays flat whatever the corpus size.
  const size_t workers =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  return AnalysisPipeline(
      workers, 4 * workers + 16, [this] { return std::make_unique<Analyzer>(analyzer); },
      [this](std::unique_ptr<Analyzer>& own_analyzer, AnalysisJob& job) {
        return PrepareDocument(job.doc, std::move(job.version), *own_analyzer, dictionary, options);
      },
      FailedAnalysis, std::move(write));
}

Status IndexWriter::AddPath(const std::string& path) {
  Impl& im = *impl_;
  FirstError first_error;
  AnalysisPipeline pipeline = im.StartAnalysis([&](PreparedDocument&& prepared) {
    first_error.Note(im.WritePrepared(std::move(prepared)));
  });
  ProgressReporter progress(path, im.options.progress,
                            std::chrono::milliseconds(im.options.progress_interval_ms));
  ReadSinks sinks;
  sinks.document = [&](Document&& input) {
    progress.DocumentRead();
    AnalysisJob job{Cleaned(std::move(input)), {}};
    Status status;
    if (!im.NeedsIndexing(job.doc, &job.version, &status)) {
      first_error.Note(status);
    } else if (im.options.dry_run) {
      first_error.Note(im.RecordDryRun(job.doc));
    } else {
      pipeline.Submit(std::move(job));
    }
  };
  sinks.problem = [&](const std::string& problem) {
    ++im.stats.problems;
    im.Problem(problem);
  };
  std::string read_error;  // the first
  size_t read_errors = 0;
  sinks.read_error = [&](const std::string& message) {
    if (read_errors++ == 0) read_error = message;
    im.ReadError(message);
  };
  sinks.file_id = [&](const std::string& file) { return im.FileId(file); };
  sinks.bytes_read = progress.bytes_done();
  const bool found = ReadPath(path, sinks);
  pipeline.Finish();  // every document written before the progress says done
  if (!found) {
    Status missing = Status::NotFound(path + ": no such file or folder");
    im.ReadError(missing.message(), /*log=*/false);  // the caller reports what it returns
    return missing;
  }
  progress.Done();
  if (read_errors > 0) {
    first_error.Note(Status::IoError(path + ": " + std::to_string(read_errors) +
                                     " file(s) or folder(s) could not be read (" + read_error +
                                     "); their documents are missing"));
  }
  return first_error.status();
}

std::vector<std::string> IndexWriter::Impl::Unseen(Xapian::Database& db, size_t* total,
                                                   std::vector<std::string>* ids) {
  const std::string prefix(kDocIdPrefix);
  std::vector<std::string> gone;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const Xapian::PostingIterator p = db.postlist_begin(*t);
    if (p == db.postlist_end(*t)) continue;
    PassageRecord record;
    std::string stored;
    if (!ReadPassage(db.get_document(*p), &record, &stored)) continue;
    ++*total;
    if (seen.count(record.doc_id)) continue;
    gone.push_back(*t);
    if (ids) ids->push_back(record.doc_id);
  }
  return gone;
}

Status IndexWriter::Impl::ReadErrorRefusal(const std::string& refusal) const {
  return Status::InvalidArgument(refusal + ": " + std::to_string(stats.read_errors) +
                                 " input(s) could not be read (first: " + first_read_error +
                                 "), and their documents would be deleted");
}

Status IndexWriter::Impl::DeletionAllowed(size_t gone, size_t total,
                                          const std::string& refusal) const {
  if (stats.read_errors > 0) return ReadErrorRefusal(refusal);
  if (options.allow_mass_delete || gone == 0) return Status::Ok();
  const std::string counts =
      std::to_string(gone) + " of the index's " + std::to_string(total) + " documents";
  if (seen.empty()) {
    return Status::InvalidArgument(refusal + ": the input holds no documents, so all " + counts +
                                   " would be deleted (allow it with --allow-mass-delete)");
  }
  if (static_cast<double>(gone) > options.max_delete_fraction * static_cast<double>(total)) {
    char share[64];
    std::snprintf(share, sizeof share, "%.1f%%, more than the %.1f%% allowed",
                  100.0 * static_cast<double>(gone) / static_cast<double>(total),
                  100.0 * options.max_delete_fraction);
    return Status::InvalidArgument(refusal + ": it would delete " + counts + " (" + share +
                                   "; raise --max-delete-fraction or give "
                                   "--allow-mass-delete if that is meant)");
  }
  return Status::Ok();
}

Status IndexWriter::Prune() {
  Impl& im = *impl_;
  if (!im.write_error.ok()) return im.write_error;
  if (im.stats.read_errors > 0) return im.ReadErrorRefusal("not pruning");
  // A dry-run rebuild reports what it drops at Commit().
  if (im.options.dry_run && im.options.rebuild) return Status::Ok();
  try {
    std::vector<std::vector<std::string>> gone(im.ReadableShards());
    size_t total = 0, count = 0;
    std::vector<std::string>* ids = im.options.dry_run ? &im.changes.deleted : nullptr;
    for (size_t k = 0; k < gone.size(); ++k) {
      gone[k] = im.Unseen(im.ReadableShard(k), &total, ids);
      count += gone[k].size();
    }
    im.stats.deleted += count;
    if (Status s = im.DeletionAllowed(count, total, "not pruning"); !s.ok()) return s;
    if (im.options.dry_run) return Status::Ok();
    for (size_t k = 0; k < gone.size(); ++k) {
      for (const std::string& term : gone[k]) {
        im.ForgetSpelling(im.shards[k].db, term);
        im.shards[k].db.delete_document(term);
      }
    }
    if (count > 0) im.dirty = true;
  } catch (const Xapian::Error& e) {
    im.write_error = Status::IoError("prune failed: " + e.get_description());
    return im.write_error;
  }
  return Status::Ok();
}

// A rebuild drops every document of the generation it replaces that the
// run did not see: the same guards as Prune().
Status IndexWriter::Impl::CheckRebuildDrop() {
  if (stats.read_errors > 0) return ReadErrorRefusal("not switching");
  try {
    size_t total = 0, count = 0;
    for (Xapian::Database& db : live) {
      count += Unseen(db, &total, options.dry_run ? &changes.deleted : nullptr).size();
    }
    stats.deleted += count;
    return DeletionAllowed(count, total, "not switching");
  } catch (const Xapian::Error& e) {
    return Status::IoError(dir + ": cannot read the live index: " + e.get_description());
  }
}

// Ends a run that must not go live: cancels it and removes a rebuild's
// generation; `why` gets which generation stays live.
Status IndexWriter::Impl::Refuse(const Status& why) {
  const std::string kept = Abandon();
  if (write_error.ok()) write_error = Status::IoError(dir + ": the run was abandoned");
  dirty = false;
  const Status::Code code = why.code();
  const std::string message = why.message() + kept;
  return code == Status::Code::kInvalidArgument ? Status::InvalidArgument(message)
                                                : Status::IoError(message);
}

Status IndexWriter::Commit() {
  Impl& im = *impl_;
  bool rebuilding = false;
  im.ForEachPart([&](Impl::Part& part) { rebuilding |= part.switch_to > 0; });
  if (im.options.dry_run) return im.options.rebuild ? im.CheckRebuildDrop() : Status::Ok();
  if (!im.write_error.ok()) {
    const std::string prefix = rebuilding ? "not switching: " : "not committing: ";
    return im.Refuse(Status::IoError(prefix + im.write_error.message()));
  }
  if (im.options.all_or_nothing && im.stats.read_errors > 0) {
    return im.Refuse(im.ReadErrorRefusal(rebuilding ? "not switching" : "not committing"));
  }
  if (rebuilding) {
    if (Status s = im.CheckRebuildDrop(); !s.ok()) return im.Refuse(s);
  }
  try {
    // Dictionary words spell-correct too, so "ibuprofin" finds ibuprofen
    // even in a corpus that never names it (once per dictionary version).
    const std::string fingerprint = im.dictionary.Fingerprint();
    Xapian::WritableDatabase& words = im.Words();
    if (words.get_metadata(kSpellingDictionaryKey) != fingerprint) {
      for (const std::string& word : im.dictionary.words()) words.add_spelling(word, 1);
      words.set_metadata(kSpellingDictionaryKey, fingerprint);
    }
    im.WriteDescription();
  } catch (const Xapian::Error& e) {
    im.write_error = Status::IoError(im.dir + ": commit failed: " + e.get_description());
  }
  // The run's spelling words and mined synonyms go with it, as at every
  // periodic commit.
  if (Status s = im.CommitBatch(); !s.ok()) {
    return im.Refuse(Status::IoError((rebuilding ? "not switching: " : "") + s.message()));
  }
  if (rebuilding) return im.SwitchRebuilt();
  im.dirty = false;
  return Status::Ok();
}

// A rebuild goes live only if every part reads back whole: a damaged one
// (a failing disk, say) leaves searchers on the generations they use.
Status IndexWriter::Impl::SwitchRebuilt() {
  Status damaged;
  ForEachPart([&](Part& part) {
    if (part.switch_to > 0 && damaged.ok())
      damaged = CheckDatabase(IndexFolder(part.dir).GenerationPath(part.switch_to));
  });
  if (!damaged.ok()) return Refuse(Status::IoError("not switching: " + damaged.message()));
  Status switched;
  ForEachPart([&](Part& part) {
    if (part.switch_to == 0 || !switched.ok()) return;
    switched = IndexFolder(part.dir).SwitchGeneration(part.switch_to);
    if (!switched.ok()) return;
    Log()->info("{}: generation {} is live", part.dir, part.switch_to);
    part.switch_to = 0;
  });
  dirty = false;
  if (!switched.ok()) {
    // Parts switched so far stay switched; the rest keep their old
    // generation. Said loudly and not retried at destruction: a --rebuild
    // makes the index whole again.
    return Status::IoError(switched.message() +
                           "; some shards switched to the rebuilt generation and "
                           "others did not: run the rebuild again");
  }
  if (lexicon) {
    // Searchers connected to remote shards reconnect when these change.
    try {
      const std::string uuids = Xapian::Database(dir).get_uuid();
      if (lexicon->db.get_metadata(kShardUuidsKey) != uuids) {
        lexicon->db.set_metadata(kShardUuidsKey, uuids);
        lexicon->db.commit_transaction();
        lexicon->db.begin_transaction();
      }
    } catch (const Xapian::Error& e) {
      return Status::IoError(dir + ": cannot record the shards' databases: " + e.get_description());
    }
  }
  return Status::Ok();
}

const IndexStats& IndexWriter::stats() const { return impl_->stats; }
const std::vector<std::string>& IndexWriter::diagnostics() const { return impl_->diagnostics; }
const IndexChanges& IndexWriter::changes() const { return impl_->changes; }

}  // namespace clinsearch
