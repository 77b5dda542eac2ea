#include "clinsearch/index_writer.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
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
  template <typename F>
  void ForEachPart(F f) {
    for (Part& part : shards) f(part);
    if (lexicon) f(*lexicon);
  }

  // Whether `doc` needs analysing; sets its VersionTerm in `version`.
  // The steps of Open.
  Status LoadDictionary();
  Status OpenFolder();
  Status ReadAndDescribe();

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
  bool dirty = false;                        // something written since the last Commit
  size_t since_commit = 0;                   // passages written since the last commit
};

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;

IndexWriter::~IndexWriter() {
  if (impl_ && impl_->dirty) {
    Status s = Commit();
    if (!s.ok()) Log()->error("final commit failed: {}", s.message());
  }
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

// The bundled dictionary (when asked for; a failure to load it is a
// warning) and the extra ones (a failure is an error), compiled.
Status IndexWriter::Impl::LoadDictionary() {
  std::vector<std::string> problems;
  if (options.bundled_synonyms) {
    Status s = dictionary.LoadPath(BundledDictionaryDir(), &problems);
    if (!s.ok()) Log()->warn("bundled dictionary not loaded: {}", s.message());
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

Status IndexWriter::Impl::OpenFolder() {
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
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->dir = db_path;
  if (Status s = impl->LoadDictionary(); !s.ok()) return s;
  impl->analysis_fingerprint = AnalysisFingerprint(impl->dictionary, impl->analyzer, options);
  if (Status s = impl->OpenFolder(); !s.ok()) return s;
  Log()->info("dictionary: {} concepts", impl->dictionary.size());
  if (Status s = impl->ReadAndDescribe(); !s.ok()) return s;
  return IndexWriter(std::move(impl));
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
  }
  *version = VersionTerm(doc, analysis_fingerprint);
  try {
    // A repeated id is always indexed: an earlier copy of this run may not
    // be applied yet, and the last copy must be the one that stays.
    if (!repeated && ShardOfId(doc.id).term_exists(*version)) {
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
  if (doc.passages.empty()) {
    ++stats.skipped;
    Problem(doc.id + ": empty document (no text); skipped");
    return Status::InvalidArgument(doc.id + ": empty document");
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
    return Status::IoError(doc.id + ": indexing failed (" + e.get_description() +
                           "); documents added since the last commit were rolled back");
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
  try {
    AddSpelling();
    WriteMined();
    ForEachPart([](Part& part) { part.db.commit(); });
  } catch (const Xapian::Error& e) {
    return Status::IoError("commit failed: " + e.get_description());
  }
  since_commit = 0;
  return Status::Ok();
}

Status IndexWriter::AddDocument(const Document& input) {
  Impl& im = *impl_;
  const Document doc = Cleaned(input);
  std::string version;
  Status status;
  if (!im.NeedsIndexing(doc, &version, &status)) return status;
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
  const bool found = ReadPath(
      path,
      [&](Document&& input) {
        progress.DocumentRead();
        AnalysisJob job{Cleaned(std::move(input)), {}};
        Status status;
        if (im.NeedsIndexing(job.doc, &job.version, &status)) {
          pipeline.Submit(std::move(job));
        } else {
          first_error.Note(status);
        }
      },
      [&](const std::string& problem) {
        ++im.stats.problems;
        im.Problem(problem);
      },
      progress.bytes_done());
  pipeline.Finish();  // every document written before the progress says done
  if (!found) return Status::NotFound(path + ": no such file or folder");
  progress.Done();
  return first_error.status();
}

Status IndexWriter::Prune() {
  Impl& im = *impl_;
  try {
    const std::string prefix(kDocIdPrefix);
    for (Impl::Part& shard : im.shards) {
      Xapian::WritableDatabase& db = shard.db;
      std::vector<std::string> gone;
      for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        const Xapian::PostingIterator p = db.postlist_begin(*t);
        if (p == db.postlist_end(*t)) continue;
        PassageRecord record;
        std::string stored;
        if (!ReadPassage(db.get_document(*p), &record, &stored)) continue;
        if (!im.seen.count(record.doc_id)) gone.push_back(*t);
      }
      for (const std::string& term : gone) {
        im.ForgetSpelling(db, term);
        db.delete_document(term);
      }
      im.stats.deleted += gone.size();
      if (!gone.empty()) im.dirty = true;
    }
  } catch (const Xapian::Error& e) {
    return Status::IoError("prune failed: " + e.get_description());
  }
  return Status::Ok();
}

Status IndexWriter::Commit() {
  Impl& im = *impl_;
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
    return Status::IoError("commit failed: " + e.get_description());
  }
  // The run's spelling words and mined synonyms go with it, as at every
  // periodic commit.
  if (Status s = im.CommitBatch(); !s.ok()) return s;
  // A rebuild goes live only if every part reads back whole: a damaged one
  // (a failing disk, say) leaves searchers on the generations they use.
  Status damaged;
  im.ForEachPart([&](Impl::Part& part) {
    if (part.switch_to > 0 && damaged.ok())
      damaged = CheckDatabase(IndexFolder(part.dir).GenerationPath(part.switch_to));
  });
  if (!damaged.ok()) {
    im.ForEachPart([](Impl::Part& part) {
      part.switch_to = 0;
    });  // never live; the next rebuild overwrites them
    im.dirty = false;
    return damaged;
  }
  Status switched;
  im.ForEachPart([&](Impl::Part& part) {
    if (part.switch_to == 0 || !switched.ok()) return;
    switched = IndexFolder(part.dir).SwitchGeneration(part.switch_to);
    if (!switched.ok()) return;
    Log()->info("{}: generation {} is live", part.dir, part.switch_to);
    part.switch_to = 0;
  });
  if (!switched.ok()) {
    // Parts switched so far stay switched; the rest keep their old
    // generation. Said loudly and not retried at destruction: a --rebuild
    // makes the index whole again.
    im.dirty = false;
    return Status::IoError(switched.message() +
                           "; some shards switched to the rebuilt generation and "
                           "others did not: run the rebuild again");
  }
  if (im.lexicon) {
    // Searchers connected to remote shards reconnect when these change.
    try {
      const std::string uuids = Xapian::Database(im.dir).get_uuid();
      if (im.lexicon->db.get_metadata(kShardUuidsKey) != uuids) {
        im.lexicon->db.set_metadata(kShardUuidsKey, uuids);
        im.lexicon->db.commit();
      }
    } catch (const Xapian::Error& e) {
      return Status::IoError(im.dir +
                             ": cannot record the shards' databases: " + e.get_description());
    }
  }
  im.dirty = false;
  return Status::Ok();
}

const IndexStats& IndexWriter::stats() const { return impl_->stats; }
const std::vector<std::string>& IndexWriter::diagnostics() const { return impl_->diagnostics; }

}  // namespace clinsearch
