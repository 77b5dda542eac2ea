#include "clinsearch/index_writer.h"

#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <unordered_set>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "index/passage_record.h"
#include "index/schema.h"
#include "index/stored_tokens.h"
#include "base/log.h"
#include "base/coding.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "index/index_folder.h"
#include "index/integrity_check.h"
#include "indexer/passage_splitter.h"
#include "indexer/readers.h"
#include "indexer/synonym_miner.h"

namespace clinsearch {

namespace {


}  // namespace

using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;

// What analysis makes of one document, built off the writer thread.
struct Prepared {
  Status error;  // analysis failed (the document is skipped)
  std::string id;
  std::string version;
  std::vector<Xapian::Document> passages;
  SpellingCounts spelling;
  SynonymMiner mined;  // what the document's passages define
};

struct IndexWriter::Impl {
  // One Xapian database this writer writes: a shard (the only one of a
  // plain index) or a sharded index's lexicon.
  using Part = WritablePart;
  std::vector<Part> shards;
  // A sharded index's dictionary, mined synonyms and spelling table, for
  // all shards (index/index_folder.h); a plain index keeps them in its
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
  std::unordered_set<std::string> seen;  // ids given since Open, for Prune
  std::string analysis_print;            // dictionary + analyzer fingerprints
  std::string bundled_print = "none";    // of the bundled dictionary alone
  std::string dir;                       // the index folder

  // The term that says "this version of the document is indexed".
  std::string VersionTerm(const Document& doc) const {
    uint64_t h = Fnv1a(analysis_print);
    // FNV-1a streams: hashing the pieces in turn equals hashing them joined.
    for (const std::string* f : {&doc.title, &doc.url, &doc.source}) h = Fnv1a("\x1f", Fnv1a(*f, h));
    for (const Section& sec : doc.sections) {
      h = Fnv1a("\x1d", Fnv1a(sec.text, Fnv1a("\x1e", Fnv1a(sec.heading, h))));
    }
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return IdTerm(std::string(kVersionPrefix) + hex, doc.id);
  }
  bool dirty = false;
  size_t since_checkpoint = 0;  // passages written since the last commit

  bool NeedsIndexing(const Document& doc, std::string* version, Status* status);
  Prepared Prepare(const Document& doc, std::string version, const Analyzer& a) const;
  Status Apply(Prepared&& doc);
  // Commits what is written so far (with its spelling words), so that the
  // writer's buffers stay small and a crash keeps this much.
  Status Checkpoint();
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
        {kBundledDictionaryKey, bundled_print},
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

  // Adds the tokens below position `limit` (title and heading must not run
  // into the next field's positions).
  static void AddTokens(Xapian::Document& xd, const std::vector<Token>& tokens, unsigned weight,
                        Xapian::termpos limit, SpellingCounts* spell) {
    for (const Token& t : tokens) {
      if (t.position >= limit) break;
      xd.add_posting(t.term, t.position, weight);
      if (!t.acronym.empty()) xd.add_posting(t.acronym, t.position, weight);
      if (spell && t.alphabetic && !t.compound && t.word.size() >= 2) ++(*spell)[t.word];
    }
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
      if (stored.empty() || !DecodeStoredTokens(stored, {{record.text, &tokens, kBodyBase},
                                                         {record.title, &title, kTitleBase},
                                                         {record.section, &section, kHeadingBase}})) {
        tokens = analyzer.Analyze(record.text);
      }
      for (const Token& t : tokens) {
        if (t.alphabetic && !t.compound && t.word.size() >= 2) ++old[t.word];
      }
    }
    Xapian::WritableDatabase& words = Words();
    for (const auto& [word, count] : old) words.remove_spelling(word, count);
  }

  // The field copy of a title or heading: prefix + term, no positions.
  static void AddField(Xapian::Document& xd, const std::vector<Token>& tokens, std::string_view prefix) {
    for (const Token& t : tokens) {
      if (t.position % 1000 >= 900) break;  // as AddTokens' limit
      xd.add_term(std::string(prefix) + (t.acronym.empty() ? t.term : t.acronym));
    }
  }

  // Concept terms for the concepts `tokens` name; with `title_prefix`, also
  // that prefix + id (concepts of the title).
  void AddConcepts(Xapian::Document& xd, const std::vector<Token>& tokens,
                   std::string_view title_prefix = {}) const {
    for (const DictionaryMatch& m : dictionary.Match(tokens, /*include_lay=*/false)) {
      const Concept& c = dictionary.concepts()[m.concept_id];
      xd.add_term(c.ConceptTerm());
      if (!title_prefix.empty()) xd.add_term(std::string(title_prefix) + c.id);
      for (uint32_t a : c.ancestors) xd.add_term(dictionary.concepts()[a].MemberTerm());
    }
  }


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

Result<IndexWriter> IndexWriter::Open(const std::string& db_path, const IndexOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::vector<std::string> problems;
  if (options.bundled_synonyms) {
    const std::string dir = BundledDictionaryDir();
    Status s = impl->dictionary.LoadPath(dir, &problems);
    if (!s.ok()) Log()->warn("bundled dictionary not loaded: {}", s.message());
    impl->bundled_print = impl->dictionary.Fingerprint();
  }
  for (const std::string& p : options.synonym_paths) {
    Status s = impl->dictionary.LoadPath(p, &problems);
    if (!s.ok()) return s;
  }
  impl->diagnostics = std::move(problems);
  impl->dictionary.Compile(impl->analyzer);
  impl->analysis_print = impl->dictionary.Fingerprint() + "/" + impl->analyzer.Fingerprint() + "/" +
                         std::to_string(options.title_weight) + "," + std::to_string(options.section_weight) +
                         "," + std::to_string(options.passages.target_words) + "," +
                         std::to_string(options.passages.max_words) + "," +
                         std::to_string(options.passages.min_words) + "," + std::string(kPassageSchemaVersion);
  impl->dir = db_path;
  try {
    Result<WritableIndex> opened =
        IndexFolder(db_path).OpenForWriting(options.shards, options.rebuild);
    if (!opened.ok()) return opened.status();
    impl->shards = std::move(opened->shards);
    impl->lexicon = std::move(opened->lexicon);
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::IoError(db_path + ": index is locked by another writer (" + e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    return Status::IoError(db_path + ": cannot open index for writing: " + e.get_description());
  }
  Log()->info("dictionary: {} concepts", impl->dictionary.size());
  try {
    Xapian::WritableDatabase& words = impl->Words();
    impl->mined_base = words.get_metadata(kMinedDictionaryKey);
    const std::string old_dict = words.get_metadata(kDictionaryFingerprintKey);
    const std::string old_analyzer = words.get_metadata(kAnalyzerKey);
    if ((!old_dict.empty() && old_dict != impl->dictionary.Fingerprint()) ||
        (!old_analyzer.empty() && old_analyzer != impl->analyzer.Fingerprint())) {
      Log()->warn("{}: the dictionary or analyzer differs from the one this index was built with; "
                  "every document will be analysed again", db_path);
    }
    impl->WriteDescription();
  } catch (const Xapian::Error& e) {
    return Status::IoError(db_path + ": cannot write index metadata: " + e.get_description());
  }
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

// Whether `doc` needs analysing: no for a missing id (Status set), for an
// empty document, and for a version already indexed (counted unchanged).
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
  *version = VersionTerm(doc);
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

Prepared IndexWriter::Impl::Prepare(const Document& doc, std::string version,
                                    const Analyzer& a) const {
  Prepared out;
  out.id = doc.id;
  out.version = std::move(version);
  const std::vector<Passage> passages = SplitPassages(doc, options.passages);
  const std::string doc_term = IdTerm(kDocIdPrefix, doc.id);
  const std::vector<Token> title = a.Analyze(doc.title, kTitleBase);
  std::vector<Token> heading;
  int heading_section = -1;
  for (size_t n = 0; n < passages.size(); ++n) {
    const Passage& p = passages[n];
    if (p.section != heading_section) {
      heading = a.Analyze(p.heading, kHeadingBase);
      heading_section = p.section;
    }
    const std::vector<Token> body = a.Analyze(p.text, kBodyBase);
    if (options.mine_synonyms) out.mined.Scan(p.text, doc.title);
    Xapian::Document xd;
    AddTokens(xd, title, options.title_weight, kHeadingBase - 100, nullptr);
    AddTokens(xd, heading, options.section_weight, kBodyBase - 100, nullptr);
    AddTokens(xd, body, 1, Xapian::termpos(-1), &out.spelling);
    AddField(xd, title, kTitlePrefix);
    AddField(xd, heading, kHeadingPrefix);
    AddConcepts(xd, title, kTitleConceptPrefix);
    AddConcepts(xd, heading);
    AddConcepts(xd, body);
    xd.add_boolean_term(doc_term);
    if (n == 0) xd.add_boolean_term(out.version);
    if (!doc.source.empty()) xd.add_boolean_term(IdTerm(kSourcePrefix, LowerAscii(doc.source)));
    xd.add_value(kDocIdSlot, CollapseKey(doc.id));
    xd.add_value(kSourceSlot, doc.source);
    // Stored in a value slot, not the document data: Xapian compresses the
    // data with zlib, which costs at indexing and again at every hit.
    xd.add_value(kPassageSlot,
                 EncodePassageValue({doc.id, doc.title, p.heading, doc.source, doc.url, p.text},
                                    EncodeStoredTokens({{p.text, &body, kBodyBase},
                                                        {doc.title, &title, kTitleBase},
                                                        {p.heading, &heading, kHeadingBase}})));
    out.passages.push_back(std::move(xd));
  }
  return out;
}

Status IndexWriter::Impl::Apply(Prepared&& doc) {
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
  since_checkpoint += doc.passages.size();
  if (options.commit_every > 0 && since_checkpoint >= options.commit_every) return Checkpoint();
  return Status::Ok();
}

void IndexWriter::Impl::WriteMined() {
  SynonymMiner all;
  all.Merge(mined_base);
  all.MergeFrom(miner);
  Words().set_metadata(kMinedDictionaryKey, all.DictionaryText());
}

Status IndexWriter::Impl::Checkpoint() {
  try {
    AddSpelling();
    WriteMined();
    ForEachPart([](Part& part) { part.db.commit(); });
  } catch (const Xapian::Error& e) {
    return Status::IoError("commit failed: " + e.get_description());
  }
  since_checkpoint = 0;
  return Status::Ok();
}

Status IndexWriter::AddDocument(const Document& input) {
  Impl& im = *impl_;
  const Document doc = Cleaned(input);
  std::string version;
  Status status;
  if (!im.NeedsIndexing(doc, &version, &status)) return status;
  return im.Apply(im.Prepare(doc, std::move(version), im.analyzer));
}

Status IndexWriter::AddPath(const std::string& path) {
  Impl& im = *impl_;
  Status first_error;
  auto note = [&](const Status& s) {
    if (!s.ok() && s.code() != Status::Code::kInvalidArgument && first_error.ok()) first_error = s;
  };
  // Analysis runs on worker threads (each with its own Analyzer)
  // while this thread reads input and is the single Xapian writer, applying
  // results in input order. At most kMaxInFlight documents are queued or
  // waiting to be applied, so memory stays flat whatever the corpus size.
  const size_t workers = im.options.threads > 0 ? im.options.threads
                                                  : std::max(1u, std::thread::hardware_concurrency());
  const size_t kMaxInFlight = 4 * workers + 16;
  struct Job {
    size_t seq;
    Document doc;
    std::string version;
  };
  std::mutex mu;
  std::condition_variable job_ready, result_ready;
  std::deque<Job> jobs;
  std::map<size_t, Prepared> results;
  bool closed = false;
  std::vector<std::thread> pool;
  // Closes the queue and joins the workers on every way out of this scope.
  struct Joiner {
    std::mutex& mu;
    bool& closed;
    std::condition_variable& cv;
    std::vector<std::thread>& pool;
    ~Joiner() {
      {
        std::lock_guard<std::mutex> lock(mu);
        closed = true;
      }
      cv.notify_all();
      for (std::thread& t : pool) t.join();
    }
  } joiner{mu, closed, job_ready, pool};
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      std::unique_ptr<Analyzer> analyzer;
      Status broken;
      try {
        analyzer = std::make_unique<Analyzer>(im.analyzer);  // per thread: ICU and stemmer state
      } catch (const std::exception& e) {
        broken = Status::Internal(std::string("analysis thread failed to start: ") + e.what());
      }
      for (;;) {
        Job job;
        {
          std::unique_lock<std::mutex> lock(mu);
          job_ready.wait(lock, [&] { return closed || !jobs.empty(); });
          if (jobs.empty()) return;
          job = std::move(jobs.front());
          jobs.pop_front();
        }
        Prepared prepared;
        if (!broken.ok()) {
          prepared.error = broken;
        } else {
          try {
            prepared = im.Prepare(job.doc, std::move(job.version), *analyzer);
          } catch (const std::exception& e) {
            prepared = Prepared();
            prepared.error = Status::Internal(job.doc.id + ": analysis failed: " + e.what());
          } catch (const Xapian::Error& e) {
            prepared = Prepared();
            prepared.error = Status::Internal(job.doc.id + ": analysis failed: " + e.get_description());
          }
        }
        prepared.id = job.doc.id;
        {
          std::lock_guard<std::mutex> lock(mu);
          results.emplace(job.seq, std::move(prepared));
        }
        result_ready.notify_one();
      }
    });
  }
  size_t next_seq = 0, next_apply = 0;
  // Applies the results that are ready, in order; with `wait`, first waits
  // for the next one.
  auto drain = [&](bool wait) {
    for (;;) {
      Prepared ready;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (wait) result_ready.wait(lock, [&] { return results.count(next_apply) > 0; });
        auto it = results.find(next_apply);
        if (it == results.end()) return;
        ready = std::move(it->second);
        results.erase(it);
      }
      wait = false;
      ++next_apply;
      note(im.Apply(std::move(ready)));
    }
  };
  IndexProgress progress;
  progress.path = path;
  if (im.options.progress) progress.bytes_total = InputBytes(path);
  const auto started = std::chrono::steady_clock::now();
  auto last_report = started;
  const auto interval = std::chrono::milliseconds(im.options.progress_interval_ms);
  auto report = [&](bool done) {
    const auto now = std::chrono::steady_clock::now();
    if (!done && now - last_report < interval) return;
    last_report = now;
    progress.seconds = std::chrono::duration<double>(now - started).count();
    progress.done = done;
    if (done) progress.bytes_done = progress.bytes_total;
    im.options.progress(progress);
  };
  const bool found = ReadPath(
      path,
      [&](Document&& input) {
        ++progress.documents;
        if (im.options.progress) report(false);
        Document doc = Cleaned(std::move(input));
        std::string version;
        Status status;
        if (!im.NeedsIndexing(doc, &version, &status)) {
          note(status);
          return;
        }
        while (next_seq - next_apply >= kMaxInFlight) drain(true);
        {
          std::lock_guard<std::mutex> lock(mu);
          jobs.push_back({next_seq++, std::move(doc), std::move(version)});
        }
        job_ready.notify_one();
        drain(false);
      },
      [&](const std::string& problem) {
        ++im.stats.problems;
        im.Problem(problem);
      },
      &progress.bytes_done);
  while (next_apply < next_seq) drain(true);
  if (found && im.options.progress) report(true);
  if (!found) return Status::NotFound(path + ": no such file or folder");
  return first_error;
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
  if (Status s = im.Checkpoint(); !s.ok()) return s;
  // A rebuild goes live only if every part reads back whole: a damaged one
  // (a failing disk, say) leaves searchers on the generations they use.
  Status damaged;
  im.ForEachPart([&](Impl::Part& part) {
    if (part.switch_to > 0 && damaged.ok()) damaged = CheckDatabase(IndexFolder(part.dir).GenerationPath(part.switch_to));
  });
  if (!damaged.ok()) {
    im.ForEachPart([](Impl::Part& part) { part.switch_to = 0; });  // never live; the next rebuild overwrites them
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
    return Status::IoError(switched.message() + "; some shards switched to the rebuilt generation and "
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
      return Status::IoError(im.dir + ": cannot record the shards' databases: " + e.get_description());
    }
  }
  im.dirty = false;
  return Status::Ok();
}

const IndexStats& IndexWriter::stats() const { return impl_->stats; }
const std::vector<std::string>& IndexWriter::diagnostics() const { return impl_->diagnostics; }

}  // namespace clinsearch
