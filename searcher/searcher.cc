#include "clinsearch/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <filesystem>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "analysis/generations.h"
#include "analysis/index_layout.h"
#include "analysis/log.h"
#include "searcher/highlighter.h"
#include "searcher/query_builder.h"

namespace clinsearch {

struct Searcher::Impl {
  std::string path;
  int generation = 0;  // live generation when opened (0: older layout)
  SearcherOptions options;
  Xapian::Database db;
  Analyzer analyzer;
  Dictionary dictionary;
  bool dictionary_outdated = false;

  // Whether the bundled dictionary on disk is the one the index was built
  // with; says so in the log when it is not.
  void CheckBundledDictionary() {
    dictionary_outdated = false;
    const std::string indexed = db.get_metadata(kBundledDictionaryKey);
    if (indexed.empty() || indexed == "none") return;  // older index, or built without it
    Dictionary bundled;
    if (!bundled.LoadPath(BundledDictionaryDir()).ok()) return;
    if (bundled.Fingerprint() == indexed) return;
    dictionary_outdated = true;
    Log()->warn("{}: the bundled dictionary ({}) changed since this index was built; searches use "
                "the dictionary stored in the index until the documents are indexed again",
                path, BundledDictionaryDir());
  }

  // Loads the index's dictionary plus the extra ones; on failure the
  // current dictionary stays in use.
  Status LoadDictionary() {
    Dictionary loaded = Dictionary::Deserialize(db.get_metadata(kDictionaryKey));
    // Synonyms mined from the corpus and the searcher's own dictionaries
    // were not tagged at index time: they expand queries by their words.
    loaded.set_tagged(false);
    loaded.Parse(db.get_metadata(kMinedDictionaryKey), "mined from the corpus", nullptr, false);
    for (const std::string& p : options.synonym_paths) {
      Status s = loaded.LoadPath(p);
      if (!s.ok()) return s;
    }
    loaded.Compile(analyzer);
    dictionary = std::move(loaded);
    if (options.check_bundled_dictionary) CheckBundledDictionary();
    const std::string analyzer_print = db.get_metadata(kAnalyzerKey);
    if (analyzer_print != analyzer.Fingerprint()) {
      Log()->warn("{}: index was built with analyzer '{}', this searcher uses '{}'; rebuild the index "
                  "for exact results", path, analyzer_print, analyzer.Fingerprint());
    }
    return Status::Ok();
  }
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;
Searcher::~Searcher() = default;

Result<Searcher> Searcher::Open(const std::string& db_path, const SearcherOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    return Status::NotFound(db_path + ": no index here (build one with 'clinsearch index --db " +
                            db_path + " PATH...')");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = db_path;
  impl->options = options;
  try {
    impl->generation = LiveGeneration(db_path);
    impl->db = Xapian::Database(db_path);
    const std::string format = impl->db.get_metadata(kFormatKey);
    if (format.empty()) {
      return Status::InvalidArgument(db_path + ": not a clinsearch index (no format marker)");
    }
    if (format != kFormatVersion) {
      return Status::InvalidArgument(db_path + ": index format " + format +
                                     " is not supported by this clinsearch (expects " +
                                     kFormatVersion + "); rebuild the index");
    }
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Status::NotFound(db_path + ": cannot open index: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::Corruption(db_path + ": index cannot be read: " + e.get_description());
  }
  Status s = impl->LoadDictionary();
  if (!s.ok()) return s;
  return Searcher(std::move(impl));
}

Status Searcher::Reopen() {
  try {
    // A rebuild switched generations: Xapian's reopen() does not re-read the
    // stub, so open the folder again.
    const int live = LiveGeneration(impl_->path);
    if (live != impl_->generation) {
      impl_->db = Xapian::Database(impl_->path);
      impl_->generation = live;
      return impl_->LoadDictionary();
    }
    if (impl_->db.reopen()) return impl_->LoadDictionary();
  } catch (const Xapian::Error& e) {
    return Status::IoError(impl_->path + ": reopen failed: " + e.get_description());
  }
  return Status::Ok();
}

size_t Searcher::passage_count() const { return impl_->db.get_doccount(); }

bool Searcher::dictionary_outdated() const { return impl_->dictionary_outdated; }

Result<SearchResponse> Searcher::Search(std::string_view query, const SearchOptions& options) {
  Impl& im = *impl_;
  SearchResponse response;
  response.query = std::string(query);
  for (int attempt = 0;; ++attempt) {
    try {
      QueryBuilder builder(im.analyzer, im.dictionary, im.db);
      builder.SetBoosts(im.options.title_boost, im.options.heading_boost);
      builder.SetDropQuestionPhrasing(im.options.drop_question_phrasing);
      Result<BuiltQuery> built = builder.Build(query, options.spelling, options.expand);
      if (!built.ok()) return built.status();
      if (!built->corrected.empty()) response.corrected = built->corrected;
      if (Log()->should_log(spdlog::level::debug)) {  // holds query words: debug only
        Log()->debug("query: {}", built->query.get_description());
      }
      Xapian::Enquire enquire(im.db);
      enquire.set_query(built->query);
      enquire.set_weighting_scheme(Xapian::BM25Weight(im.options.bm25_k1, 0, 1, im.options.bm25_b, 0.5));
      if (options.per_document > 0) {
        enquire.set_collapse_key(kDocIdSlot, static_cast<Xapian::doccount>(options.per_document));
      }
      if (im.options.feedback_terms > 0) {
        // Pseudo-relevance feedback: the most telling words of the top
        // passages join the query at a low weight.
        Xapian::RSet rset;
        const Xapian::MSet first = enquire.get_mset(0, 5);
        for (auto it = first.begin(); it != first.end(); ++it) rset.add_document(*it);
        const Xapian::ESet eset = enquire.get_eset(static_cast<Xapian::termcount>(im.options.feedback_terms), rset);
        std::vector<Xapian::Query> extra;
        for (auto t = eset.begin(); t != eset.end(); ++t) {
          const std::string term = *t;
          if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // words only
          extra.emplace_back(term);
        }
        if (!extra.empty()) {
          enquire.set_query(Xapian::Query(
              Xapian::Query::OP_OR, built->query,
              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                            Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()),
                            im.options.feedback_weight)));
        }
      }
      const size_t limit = std::min<size_t>(options.limit, 1000);
      const Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(options.offset),
                                                 static_cast<Xapian::doccount>(limit));
      response.total_estimate = mset.get_matches_estimated();
      response.hits.clear();
      int rank = static_cast<int>(options.offset);
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        PassageRecord record;
        if (!DecodeRecord(it.get_document().get_data(), &record)) {
          Log()->warn("{}: passage {} has an unreadable record; skipped", im.path, *it);
          continue;
        }
        Hit hit;
        hit.rank = ++rank;
        hit.score = it.get_weight();
        Highlighted h = Highlight(im.analyzer, im.dictionary, *built, record.text,
                                  record.title, record.section, options.snippet_words);
        hit.doc_id = std::move(record.doc_id);
        hit.title = std::move(record.title);
        hit.section = std::move(record.section);
        hit.source = std::move(record.source);
        hit.url = std::move(record.url);
        hit.passage = std::move(record.text);
        hit.snippet = std::move(h.snippet);
        hit.highlights = std::move(h.highlights);
        hit.matched = std::move(h.matched);
        response.hits.push_back(std::move(hit));
      }
      return response;
    } catch (const Xapian::DatabaseModifiedError&) {
      // A writer committed twice while we read: move to the new revision.
      if (attempt > 0) return Status::IoError(im.path + ": index changed during the search; try again");
      Status s = Reopen();
      if (!s.ok()) return s;
    } catch (const Xapian::Error& e) {
      return Status::Corruption(im.path + ": search failed: " + e.get_description());
    }
  }
}

}  // namespace clinsearch
