#include "clinsearch/index_writer.h"

#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "analysis/index_layout.h"
#include "analysis/log.h"
#include "analysis/text_util.h"
#include "analysis/utf8.h"
#include "indexer/passage_splitter.h"
#include "indexer/readers.h"
#include "indexer/synonym_miner.h"

namespace clinsearch {

namespace {

std::string BundledSynonymsDir() {
  if (const char* env = std::getenv("CLINSEARCH_SYNONYMS_DIR"); env && *env) return env;
#ifdef CLINSEARCH_DEFAULT_SYNONYMS_DIR
  return CLINSEARCH_DEFAULT_SYNONYMS_DIR;
#else
  return "synonyms";
#endif
}


}  // namespace

struct IndexWriter::Impl {
  Xapian::WritableDatabase db;
  Analyzer analyzer;
  Dictionary dictionary;
  IndexOptions options;
  IndexStats stats;
  std::vector<std::string> diagnostics;
  std::unordered_map<std::string, Xapian::termcount> spelling;  // word -> count, until Commit
  SynonymMiner miner;  // abbreviations and "also called" names of the corpus
  std::unordered_set<std::string> seen;  // ids given since Open, for Prune
  std::string analysis_print;            // dictionary + analyzer fingerprints

  // The term that says "this version of the document is indexed".
  std::string VersionTerm(const Document& doc) const {
    uint64_t h = Fnv1a(analysis_print);
    for (const std::string* f : {&doc.title, &doc.url, &doc.source}) h = Fnv1a(*f + '\x1f', h);
    for (const Section& sec : doc.sections) h = Fnv1a(sec.heading + '\x1e' + sec.text + '\x1d', h);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return IdTerm(std::string(kVersionPrefix) + hex, doc.id);
  }
  bool dirty = false;

  void Problem(const std::string& message) {
    Log()->warn("{}", message);
    diagnostics.push_back(message);
  }

  // Adds the tokens below position `limit` (title and heading must not run
  // into the next field's positions).
  void AddTokens(Xapian::Document& xd, const std::vector<Token>& tokens, unsigned weight,
                 bool spell, Xapian::termpos limit) {
    for (const Token& t : tokens) {
      if (t.position >= limit) break;
      xd.add_posting(t.term, t.position, weight);
      if (!t.acronym.empty()) xd.add_posting(t.acronym, t.position, weight);
      if (spell && t.alphabetic && !t.compound && t.word.size() >= 2) ++spelling[t.word];
    }
  }

  // Takes the words of an indexed document's passages out of the spelling
  // table before the document is replaced.
  void ForgetSpelling(const std::string& doc_term) {
    std::unordered_map<std::string, Xapian::termcount> old;
    for (auto it = db.postlist_begin(doc_term); it != db.postlist_end(doc_term); ++it) {
      PassageRecord record;
      if (!DecodeRecord(db.get_document(*it).get_data(), &record)) continue;
      for (const Token& t : analyzer.Analyze(record.text)) {
        if (t.alphabetic && !t.compound && t.word.size() >= 2) ++old[t.word];
      }
    }
    for (const auto& [word, count] : old) db.remove_spelling(word, count);
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
                   std::string_view title_prefix = {}) {
    for (const DictionaryMatch& m : dictionary.Match(tokens, /*include_lay=*/false)) {
      const Concept& c = dictionary.concepts()[m.concept_id];
      xd.add_term(c.ConceptTerm());
      if (!title_prefix.empty()) xd.add_term(std::string(title_prefix) + c.id);
      for (uint32_t a : c.ancestors) xd.add_term(dictionary.concepts()[a].MemberTerm());
    }
  }

  void AddWordlist() {
    const std::string path = options.spelling_wordlist;
    if (path.empty() || db.get_metadata(kWordlistKey) == path) return;
    std::ifstream in(path);
    if (!in) {
      Log()->info("spelling word list {} not found; spelling uses the corpus only", path);
      return;
    }
    size_t added = 0;
    std::string line;
    while (std::getline(in, line)) {
      line = line.substr(0, line.find('/'));
      bool plain = line.size() >= 3;
      for (char c : line) plain &= (c >= 'a' && c <= 'z');
      if (!plain) continue;
      db.add_spelling(line, 1);
      ++added;
    }
    db.set_metadata(kWordlistKey, path);
    Log()->info("added {} words from {} to the spelling dictionary", added, path);
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
    const std::string dir = BundledSynonymsDir();
    Status s = impl->dictionary.LoadPath(dir, &problems);
    if (!s.ok()) Log()->warn("bundled dictionary not loaded: {}", s.message());
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
                         std::to_string(options.passages.min_words);
  try {
    std::error_code ec;
    std::filesystem::create_directories(db_path, ec);
    impl->db = Xapian::WritableDatabase(db_path, Xapian::DB_CREATE_OR_OPEN);
    const std::string format = impl->db.get_metadata(kFormatKey);
    if (!format.empty() && format != kFormatVersion) {
      return Status::InvalidArgument(db_path + ": index format " + format +
                                     " is not supported by this clinsearch (expects " +
                                     kFormatVersion + "); rebuild it in a new folder");
    }
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::IoError(db_path + ": index is locked by another writer (" + e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    return Status::IoError(db_path + ": cannot open index for writing: " + e.get_description());
  }
  Log()->info("dictionary: {} concepts", impl->dictionary.size());
  {
    const std::string old_dict = impl->db.get_metadata(kDictionaryFingerprintKey);
    const std::string old_analyzer = impl->db.get_metadata(kAnalyzerKey);
    if ((!old_dict.empty() && old_dict != impl->dictionary.Fingerprint()) ||
        (!old_analyzer.empty() && old_analyzer != impl->analyzer.Fingerprint())) {
      Log()->warn("{}: the dictionary or analyzer differs from the one this index was built with; "
                  "every document will be analysed again", db_path);
    }
  }
  return IndexWriter(std::move(impl));
}

Status IndexWriter::AddDocument(const Document& input) {
  Impl& im = *impl_;
  // Documents built in memory get the readers' cleaning too.
  Document doc = input;
  for (std::string* field : {&doc.id, &doc.title, &doc.url, &doc.source}) RepairUtf8(*field);
  for (Section& section : doc.sections) {
    RepairUtf8(section.heading);
    RepairUtf8(section.text);
  }
  if (doc.id.empty()) {
    ++im.stats.skipped;
    return Status::InvalidArgument("document without id; skipped");
  }
  if (!im.seen.insert(doc.id).second) {
    ++im.stats.duplicates;
    Log()->warn("{}: id given twice in one run; the later document replaces the earlier", doc.id);
  }
  const std::string version = im.VersionTerm(doc);
  try {
    if (im.db.term_exists(version)) {
      ++im.stats.unchanged;
      return Status::Ok();
    }
  } catch (const Xapian::Error& e) {
    return Status::IoError(doc.id + ": index cannot be read: " + e.get_description());
  }
  const std::vector<Passage> passages = SplitPassages(doc, im.options.passages);
  if (passages.empty()) {
    ++im.stats.skipped;
    im.Problem(doc.id + ": empty document (no text); skipped");
    return Status::InvalidArgument(doc.id + ": empty document");
  }
  try {
    const std::string doc_term = IdTerm(kDocIdPrefix, doc.id);
    const bool replacing = im.db.term_exists(doc_term);
    if (replacing) {
      im.ForgetSpelling(doc_term);
      im.db.delete_document(doc_term);
    }
    ++(replacing ? im.stats.updated : im.stats.added);
    const std::vector<Token> title = im.analyzer.Analyze(doc.title, kTitleBase);
    std::string heading_text;
    std::vector<Token> heading;
    int heading_section = -1;
    for (size_t n = 0; n < passages.size(); ++n) {
      const Passage& p = passages[n];
      if (p.section != heading_section) {
        heading = im.analyzer.Analyze(p.heading, kHeadingBase);
        heading_section = p.section;
      }
      const std::vector<Token> body = im.analyzer.Analyze(p.text, kBodyBase);
      if (im.options.mine_synonyms) im.miner.Scan(p.text, doc.title);
      Xapian::Document xd;
      xd.set_data(EncodeRecord({doc.id, doc.title, p.heading, doc.source, doc.url, p.text}));
      im.AddTokens(xd, title, im.options.title_weight, false, kHeadingBase - 100);
      im.AddTokens(xd, heading, im.options.section_weight, false, kBodyBase - 100);
      im.AddTokens(xd, body, 1, true, Xapian::termpos(-1));
      Impl::AddField(xd, title, kTitlePrefix);
      Impl::AddField(xd, heading, kHeadingPrefix);
      im.AddConcepts(xd, title, kTitleConceptPrefix);
      im.AddConcepts(xd, heading);
      im.AddConcepts(xd, body);
      xd.add_boolean_term(doc_term);
      if (n == 0) xd.add_boolean_term(version);
      xd.add_boolean_term(IdTerm(kPassageIdPrefix, doc.id + "#" + std::to_string(n)));
      if (!doc.source.empty()) xd.add_boolean_term(IdTerm(kSourcePrefix, LowerAscii(doc.source)));
      xd.add_value(kDocIdSlot, doc.id);
      xd.add_value(kSourceSlot, doc.source);
      im.db.add_document(xd);
      ++im.stats.passages;
    }
  } catch (const Xapian::Error& e) {
    // Xapian cancels every change since the last commit after a failed
    // modification: say so rather than pretend the earlier ones are there.
    ++im.stats.skipped;
    return Status::IoError(doc.id + ": indexing failed (" + e.get_description() +
                           "); documents added since the last commit were rolled back");
  }
  ++im.stats.documents;
  im.dirty = true;
  return Status::Ok();
}

Status IndexWriter::AddPath(const std::string& path) {
  Status first_error;
  const bool found = ReadPath(
      path,
      [&](Document&& doc) {
        Status s = AddDocument(doc);
        if (!s.ok() && s.code() != Status::Code::kInvalidArgument && first_error.ok()) first_error = s;
      },
      [&](const std::string& problem) {
        ++impl_->stats.problems;
        impl_->Problem(problem);
      });
  if (!found) return Status::NotFound(path + ": no such file or folder");
  return first_error;
}

Status IndexWriter::Prune() {
  Impl& im = *impl_;
  try {
    std::vector<std::string> gone;
    for (auto t = im.db.allterms_begin(std::string(kDocIdPrefix)); t != im.db.allterms_end(std::string(kDocIdPrefix)); ++t) {
      const Xapian::PostingIterator p = im.db.postlist_begin(*t);
      if (p == im.db.postlist_end(*t)) continue;
      PassageRecord record;
      if (!DecodeRecord(im.db.get_document(*p).get_data(), &record)) continue;
      if (!im.seen.count(record.doc_id)) gone.push_back(*t);
    }
    for (const std::string& term : gone) {
      im.ForgetSpelling(term);
      im.db.delete_document(term);
    }
    im.stats.deleted += gone.size();
    if (!gone.empty()) im.dirty = true;
  } catch (const Xapian::Error& e) {
    return Status::IoError("prune failed: " + e.get_description());
  }
  return Status::Ok();
}

Status IndexWriter::Commit() {
  Impl& im = *impl_;
  try {
    im.AddWordlist();
    for (const auto& [word, count] : im.spelling) im.db.add_spelling(word, count);
    im.spelling.clear();
    // Dictionary words spell-correct too, so "ibuprofin" finds ibuprofen
    // even in a corpus that never names it (once per dictionary version).
    const std::string fingerprint = im.dictionary.Fingerprint();
    if (im.db.get_metadata(kSpellingDictionaryKey) != fingerprint) {
      for (const std::string& word : im.dictionary.words()) im.db.add_spelling(word, 1);
      im.db.set_metadata(kSpellingDictionaryKey, fingerprint);
    }
    // Synonyms mined from the documents, added to those of earlier runs.
    im.miner.Merge(im.db.get_metadata(kMinedDictionaryKey));
    im.db.set_metadata(kMinedDictionaryKey, im.miner.DictionaryText());
    im.miner = SynonymMiner();
    im.db.set_metadata(kFormatKey, kFormatVersion);
    im.db.set_metadata(kDictionaryKey, im.dictionary.Serialize());
    im.db.set_metadata(kDictionaryFingerprintKey, im.dictionary.Fingerprint());
    im.db.set_metadata(kAnalyzerKey, im.analyzer.Fingerprint());
    im.db.commit();
    im.dirty = false;
  } catch (const Xapian::Error& e) {
    return Status::IoError("commit failed: " + e.get_description());
  }
  return Status::Ok();
}

const IndexStats& IndexWriter::stats() const { return impl_->stats; }
const std::vector<std::string>& IndexWriter::diagnostics() const { return impl_->diagnostics; }

}  // namespace clinsearch
