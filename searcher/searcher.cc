// SPDX-License-Identifier: GPL-2.0-or-later
#include "clinsearch/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "searcher/highlighter.h"
#include "searcher/query_builder.h"
#include "searcher/ranking.h"
#include "searcher/suggester.h"
#include "storage/index_folder.h"
#include "storage/integrity_check.h"
#include "storage/passage_record.h"
#include "storage/schema.h"
#include "storage/stored_tokens.h"

namespace clinsearch {
namespace {

// A result's fields from a stored passage record (snippet, highlights and
// explanations are the caller's).
Hit HitFrom(PassageRecord&& record, int rank) {
  Hit hit;
  hit.rank = rank;
  hit.doc_id = std::move(record.doc_id);
  hit.title = std::move(record.title);
  hit.heading = std::move(record.heading);
  hit.source = std::move(record.source);
  hit.url = std::move(record.url);
  hit.passage = std::move(record.text);
  return hit;
}

// How long a read is tried while writers commit before it fails: at least
// kReadAttempts times, and on for up to kReadRetryTime (at most
// kMaxReadAttempts tries), so that a reader slowed down by a busy machine
// still gets through a writer committing every few milliseconds. Each try
// after a failure reads the latest revision, so a try fails again only
// when two commits land during it.
constexpr int kReadAttempts = 10;
constexpr int kMaxReadAttempts = 200;
constexpr std::chrono::milliseconds kReadRetryTime{2000};

// Compiled dictionaries shared by the searchers of this process: the
// searchers of a server's pool, all opened on one index, compile and hold
// the dictionary once (start-up, memory, and CPU caches). Keyed by what a
// dictionary is built from; an entry goes when its last searcher lets go.
// Dictionaries are only read once compiled, so sharing them is safe.
template <typename Build>
Result<std::shared_ptr<const Dictionary>> CompiledDictionary(const std::string& key, Build build) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const Dictionary>> cache;
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = cache.begin(); it != cache.end();)
    it = it->second.expired() ? cache.erase(it) : std::next(it);
  if (auto found = cache[key].lock()) return found;
  Result<Dictionary> built = build();
  if (!built.ok()) return built.status();
  auto shared = std::make_shared<const Dictionary>(std::move(built).value());
  cache[key] = shared;
  return shared;
}

// `query` restricted to SearchOptions::source and ::section, if given.
Xapian::Query Filters(const Xapian::Query& query, const SearchOptions& search,
                      const Analyzer& analyzer) {
  std::vector<Xapian::Query> filters;
  if (!search.source.empty()) {
    filters.emplace_back(IdTerm(kSourcePrefix, LowerAscii(search.source)));
  }
  if (!search.heading.empty()) {
    // As the writer's heading field: prefix + term (or acronym term).
    for (const Token& t : analyzer.Analyze(search.heading)) {
      if (t.compound || t.stopword) continue;
      filters.emplace_back(std::string(kHeadingPrefix) + t.MatchTerm());
    }
  }
  if (filters.empty()) return query;
  return Xapian::Query(Xapian::Query::OP_FILTER, query,
                       Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

// Sets the query, BM25, the time limit, the tie order and the collapse.
void ConfigureEnquire(Xapian::Enquire& enquire, const Xapian::Query& query,
                      const SearchOptions& search, const SearcherOptions& options) {
  enquire.set_query(query);
  if (search.time_limit_ms > 0) enquire.set_time_limit(search.time_limit_ms / 1000.0);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options.bm25_k1, 0, 1, options.bm25_b, 0.5));
  // Ties by document, not by Xapian's document numbers, which interleave
  // across shards: one index and its shards then rank alike.
  enquire.set_sort_by_relevance_then_value(kDocIdSlot, false);
  if (search.per_document > 0) {
    enquire.set_collapse_key(kDocIdSlot, static_cast<Xapian::doccount>(search.per_document));
  }
}

// Pseudo-relevance feedback: the most telling words of the top passages
// join `query` at a low weight.
void ApplyFeedback(Xapian::Enquire& enquire, const Xapian::Query& query,
                   const SearcherOptions& options) {
  Xapian::RSet rset;
  const Xapian::MSet first = enquire.get_mset(0, 5);
  for (auto it = first.begin(); it != first.end(); ++it) rset.add_document(*it);
  const Xapian::ESet eset =
      enquire.get_eset(static_cast<Xapian::termcount>(options.feedback_terms), rset);
  std::vector<Xapian::Query> extra;
  for (auto t = eset.begin(); t != eset.end(); ++t) {
    const std::string term = *t;
    if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;  // words only
    extra.emplace_back(term);
  }
  if (extra.empty()) return;
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_OR, query,
                    Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                  Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()),
                                  options.feedback_weight)));
}

// The matches of `mset` as the ranking window reads them.
std::vector<ScoredMatch> ScoredMatchesOf(const Xapian::MSet& mset) {
  std::vector<ScoredMatch> out;
  out.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    out.push_back({it.get_weight(), it.get_sort_key(), *it});
  }
  return out;
}

// One page of results as the matcher left it.
struct MatchedPage {
  Xapian::MSet mset;  // the last match; RankedMatch::index points into it
  std::unique_ptr<Xapian::ValueCountMatchSpy> sources;  // with facets: passages per source
  std::vector<RankedMatch> ranked;                      // the page, in order
};

// Runs the match for the page `search` asks for, in a tie-stable window
// (searcher/ranking.h).
MatchedPage MatchPage(Xapian::Enquire& enquire, const SearchOptions& search,
                      const Xapian::Database& db, bool several_databases) {
  const size_t limit = std::min<size_t>(search.limit, 1000);
  // Facets count every match, so the matcher must look at them all.
  const Xapian::doccount check_at_least = search.facets ? db.get_doccount() : 0;
  MatchedPage page;
  page.ranked = TieStableWindow(search.offset, limit, several_databases, [&](size_t window) {
    if (search.facets) {  // counted afresh by each match
      enquire.clear_matchspies();
      page.sources = std::make_unique<Xapian::ValueCountMatchSpy>(kSourceSlot);
      enquire.add_matchspy(page.sources.get());
    }
    page.mset = enquire.get_mset(0, static_cast<Xapian::doccount>(window), check_at_least);
    return ScoredMatchesOf(page.mset);
  });
  return page;
}

// Matching passages per source, most first.
std::vector<std::pair<std::string, size_t>> SourceFacets(
    const Xapian::ValueCountMatchSpy& sources) {
  std::vector<std::pair<std::string, size_t>> facets;
  for (auto v = sources.values_begin(); v != sources.values_end(); ++v) {
    if (!(*v).empty()) facets.push_back({*v, v.get_termfreq()});
  }
  std::stable_sort(facets.begin(), facets.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return facets;
}

}  // namespace

// An open searcher. Methods first, then all state, grouped by what it is
// about. Searcher's own methods (Open, Reopen, Search, ...) follow.
struct Searcher::Impl {
  // Opens the folder (again): documents, lexicon and what they resolve to.
  // On failure the databases in use stay as they were.
  Status OpenDatabases() {
    Result<SearchableIndex> opened = IndexFolder(path).OpenForSearch();
    if (!opened.ok()) return opened.status();
    layout = std::move(opened->resolved_stubs);
    identity = std::move(opened->identity);
    generation = opened->generation;
    db = std::move(opened->documents);
    words = std::move(opened->lexicon);
    shards = opened->shards;
    several_databases = opened->several_databases;
    shard_uuids = shards > 0 ? words.get_metadata(kShardUuidsKey) : "";
    suggester.IndexChanged();
    return Status::Ok();
  }

  // Loads the index's dictionary plus the extra ones, unless they are the
  // ones loaded already; on failure the current dictionary stays in use.
  Status LoadDictionary() {
    const std::string mined = words.get_metadata(kMinedDictionaryKey);
    std::string source = words.get_metadata(kDictionaryFingerprintKey) + '\n' + mined;
    if (!dictionary_source.empty() && source == dictionary_source) return Status::Ok();
    std::string key = analyzer.Fingerprint() + '\x1f' + source;
    for (const std::string& p : options.synonym_paths) {
      const Result<std::string> print = Dictionary::PathFingerprint(p);
      key += '\x1f' + p + '=' + (print.ok() ? *print : "?");
    }
    auto compiled = CompiledDictionary(key, [&]() -> Result<Dictionary> {
      Dictionary loaded = Dictionary::Deserialize(words.get_metadata(kDictionaryKey));
      // Synonyms mined from the corpus and the searcher's own dictionaries
      // were not tagged at index time: they expand queries by their words.
      loaded.set_tagged(false);
      loaded.Parse(mined, "mined from the corpus", nullptr, false);
      for (const std::string& p : options.synonym_paths) {
        Status s = loaded.LoadPath(p);
        if (!s.ok()) return s;
      }
      loaded.Compile(analyzer);
      return loaded;
    });
    if (!compiled.ok()) return compiled.status();
    dictionary = std::move(compiled).value();
    dictionary_source = std::move(source);
    suggester.DictionaryChanged();
    if (options.check_bundled_dictionary) CheckBundledDictionary();
    const std::string analyzer_print = words.get_metadata(kAnalyzerKey);
    stored_tokens_usable = analyzer_print == analyzer.Fingerprint();
    if (!stored_tokens_usable) {
      Log()->warn(
          "{}: index was built with analyzer '{}', this searcher uses '{}'; rebuild the index "
          "for exact results",
          path, analyzer_print, analyzer.Fingerprint());
    }
    return Status::Ok();
  }

  // Whether the bundled dictionary on disk is the one the index was built
  // with; says so in the log when it is not.
  void CheckBundledDictionary() {
    dictionary_outdated = false;
    const std::string indexed = words.get_metadata(kBundledDictionaryKey);
    if (indexed.empty() || indexed == "none") return;  // older index, or built without it
    const Result<std::string> bundled = Dictionary::PathFingerprint(BundledDictionaryDir());
    if (!bundled.ok() || *bundled == indexed) return;
    dictionary_outdated = true;
    Log()->warn(
        "{}: the bundled dictionary ({}) changed since this index was built; searches use "
        "the dictionary stored in the index until the documents are indexed again",
        path, BundledDictionaryDir());
  }

  // Brings the databases to the index's latest revision: Xapian's reopen(),
  // or a fresh open when a rebuild switched generations, the folder was
  // replaced (deleted and made again, or moved), or reopening failed.
  // Returns whether what a read sees may have changed.
  Result<bool> Refresh();
  // Opens the folder afresh and loads its dictionary; on failure the
  // databases in use stay, and the next Refresh opens afresh again.
  Result<bool> OpenAfresh();
  // Whether the folder is no longer the one the databases were opened from.
  bool FolderChanged() const {
    const IndexFolder folder(path);
    return folder.ResolvedStubs() != layout || folder.Identity() != identity;
  }

  static bool MayTryAgain(int attempt, std::chrono::steady_clock::time_point start) {
    if (attempt < kReadAttempts) return true;
    return attempt < kMaxReadAttempts && std::chrono::steady_clock::now() - start < kReadRetryTime;
  }

  // Runs `read` (returning Result<T>) on one revision of the index. A
  // writer's commits can make a read fail in many ways (a block reused
  // under it reads as garbage: DatabaseModifiedError, DatabaseCorruptError,
  // "EOF reading block", a file a newer generation removed), so after any
  // Xapian error the databases are refreshed and the whole read runs again
  // on the new revision, while MayTryAgain. An error at a revision
  // that did not move is damage (Corruption), after one fresh open; retries
  // used up are IoError.
  template <typename T, typename Read>
  Result<T> Retrying(const char* what, Read read) {
    std::string last_error;
    bool reconnected = false, opened_afresh = false;
    const auto start = std::chrono::steady_clock::now();
    for (int attempt = 0; MayTryAgain(attempt, start); ++attempt) {
      try {
        return read();
      } catch (const Xapian::NetworkError& e) {
        // A remote shard restarted or timed out: connect again, once.
        if (reconnected) {
          return Status::IoError(path + ": a remote shard does not answer (" + e.get_description() +
                                 ")");
        }
        reconnected = true;
        if (Result<bool> r = OpenAfresh(); !r.ok()) return r.status();
        continue;
      } catch (const Xapian::Error& e) {
        last_error = e.get_description();
      }
      Result<bool> moved = Refresh();
      if (moved.ok() && !*moved) {
        // Nothing committed since: damage, or a handle left unusable.
        if (opened_afresh) return Status::Corruption(path + ": " + what + " failed: " + last_error);
        opened_afresh = true;
        moved = OpenAfresh();
      }
      if (!moved.ok()) last_error = moved.status().message();
    }
    return Status::IoError(path + ": the index kept changing during the " + what + " (" +
                           last_error + "); try again");
  }

  // The search pipeline after the query is built (ARCHITECTURE.md section 7).
  Result<SearchResponse> Search(std::string_view query, const BuiltQuery& built,
                                const SearchOptions& search) const;
  // The hit for one match: its record, snippet, highlights and explanations;
  // nothing (and a warning) when its record cannot be read.
  std::optional<Hit> MaterializeHit(const Xapian::MSetIterator& match, double score, int rank,
                                    const Highlighter& highlighter) const;

  // The index and its databases, as last (re)opened.
  std::string path;
  SearcherOptions options;
  int generation = 0;              // live generation when opened (0: older layout)
  std::string layout;              // IndexFolder::ResolvedStubs() when opened
  std::string identity;            // IndexFolder::Identity() when opened
  bool open_afresh_due = false;    // a refresh failed half-way
  size_t shards = 0;               // a sharded index's shard count
  bool several_databases = false;  // the documents span several Xapian databases
  Xapian::Database db;
  // Where the metadata (dictionary, analyzer) and the spelling table are
  // read: the lexicon of a sharded index, else `db` itself.
  Xapian::Database words;
  // The shards' database UUIDs as the lexicon recorded them when connected.
  std::string shard_uuids;

  // Analysis: what queries and highlighting read, loaded from the index.
  Analyzer analyzer;
  std::shared_ptr<const Dictionary> dictionary = std::make_shared<const Dictionary>();
  // What the loaded dictionary was built from: the index's dictionary
  // fingerprint and its mined synonyms. Reloading is needed only when
  // these change, not at every commit.
  std::string dictionary_source;
  bool dictionary_outdated = false;
  // The tokens stored with passages are what this analyzer would produce
  // (same analyzer fingerprint), so highlighting may use them.
  bool stored_tokens_usable = false;

  // Type-ahead, with what it read from the dictionary and the index.
  Suggester suggester;
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
  // Damage first: a damaged index may not even show its format marker.
  if (options.check_index) {
    if (Status s = CheckIndex(IndexFolder(db_path)); !s.ok()) return s;
  }
  auto impl = std::make_unique<Impl>();
  impl->path = db_path;
  impl->options = options;
  try {
    if (Status s = impl->OpenDatabases(); !s.ok()) return s;
    const std::string format = impl->words.get_metadata(kFormatKey);
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
  } catch (const Xapian::NetworkError& e) {
    return Status::IoError(db_path + ": a remote shard cannot be reached: " + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::Corruption(db_path + ": index cannot be read: " + e.get_description());
  }
  Status s = impl->LoadDictionary();
  if (!s.ok()) return s;
  return Searcher(std::move(impl));
}

Result<bool> Searcher::Impl::Refresh() {
  try {
    // Xapian's reopen() neither re-reads stubs nor notices a replaced
    // folder (it keeps the old, deleted or renamed, tables open).
    if (open_afresh_due || FolderChanged()) return OpenAfresh();
    bool changed = db.reopen();
    if (shards > 0) {
      changed = words.reopen() || changed;
      // A shard rebuilt where xapian-tcpsrv serves it: connections opened
      // before keep reading its old generation (the server reads a stub
      // once per connection). The lexicon records the shards' databases at
      // each commit that changes them; when that record moves on and the
      // connections read something else, connect again.
      const std::string expected = words.get_metadata(kShardUuidsKey);
      if (expected != shard_uuids) {
        shard_uuids = expected;
        if (!expected.empty() && expected != db.get_uuid()) return OpenAfresh();
      }
    }
    if (!changed) return false;
    suggester.IndexChanged();
    if (Status s = LoadDictionary(); !s.ok()) {
      open_afresh_due = true;
      return s;
    }
    return true;
  } catch (const Xapian::Error&) {
    // A remote shard closed an idle connection, a newer generation removed
    // files, a commit raced the metadata read: open afresh.
    return OpenAfresh();
  }
}

Result<bool> Searcher::Impl::OpenAfresh() {
  open_afresh_due = true;
  try {
    if (Status s = OpenDatabases(); !s.ok()) return s;
    if (Status s = LoadDictionary(); !s.ok()) return s;
  } catch (const Xapian::NetworkError& e) {
    return Status::IoError(path + ": a remote shard cannot be reached: " + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::IoError(path + ": cannot open the index again: " + e.get_description());
  }
  open_afresh_due = false;
  return true;
}

Status Searcher::Reopen() {
  Result<bool> refreshed = impl_->Refresh();
  return refreshed.ok() ? Status::Ok() : refreshed.status();
}

Status Searcher::Reconnect() {
  Result<bool> opened = impl_->OpenAfresh();
  return opened.ok() ? Status::Ok() : opened.status();
}

size_t Searcher::passage_count() const { return impl_->db.get_doccount(); }

bool Searcher::dictionary_outdated() const { return impl_->dictionary_outdated; }

Result<std::vector<Hit>> Searcher::Passages(std::string_view doc_id) {
  Impl& im = *impl_;
  const std::string term = IdTerm(kDocIdPrefix, doc_id);
  return im.Retrying<std::vector<Hit>>("read", [&]() -> Result<std::vector<Hit>> {
    std::vector<Hit> out;
    for (auto it = im.db.postlist_begin(term); it != im.db.postlist_end(term); ++it) {
      PassageRecord record;
      std::string stored;
      if (!ReadPassage(im.db.get_document(*it), &record, &stored)) continue;
      if (record.doc_id != doc_id) continue;  // a shortened id term shared by another id
      Hit hit = HitFrom(std::move(record), static_cast<int>(out.size()) + 1);
      hit.snippet = hit.passage;
      out.push_back(std::move(hit));
    }
    if (out.empty()) return Status::NotFound("no document with this id");
    return out;
  });
}

std::vector<Suggestion> Searcher::Suggest(std::string_view prefix, size_t limit) {
  Impl& im = *impl_;
  using Suggestions = std::vector<Suggestion>;
  Result<Suggestions> found = im.Retrying<Suggestions>("suggestion", [&]() -> Result<Suggestions> {
    return im.suggester.Suggest(prefix, limit, {*im.dictionary, im.db, im.words, im.path});
  });
  if (found.ok()) return std::move(found).value();
  Log()->warn("{}", found.status().message());
  return {};
}

IndexInfo Searcher::Info() const {
  // Counts on one revision; a commit that interrupts them moves the
  // searcher on to the next one, as a search would.
  Impl& im = *impl_;
  Result<IndexInfo> counted = im.Retrying<IndexInfo>("statistics", [&]() -> Result<IndexInfo> {
    IndexInfo counts;
    counts.passages = im.db.get_doccount();
    const std::string prefix(kDocIdPrefix);
    for (auto t = im.db.allterms_begin(prefix); t != im.db.allterms_end(prefix); ++t)
      ++counts.documents;
    return counts;
  });
  if (!counted.ok()) Log()->warn("{}", counted.status().message());
  IndexInfo info = counted.ok() ? *counted : IndexInfo{};
  info.generation = im.generation;
  info.shards = im.shards;
  info.concepts = im.dictionary->size();
  info.dictionary_outdated = im.dictionary_outdated;
  return info;
}

Result<SearchResponse> Searcher::Search(std::string_view query, const SearchOptions& options) {
  Impl& im = *impl_;
  return im.Retrying<SearchResponse>("search", [&]() -> Result<SearchResponse> {
    const QueryBuilder builder(im.analyzer, *im.dictionary, im.db,
                               {.spelling = options.spelling,
                                .expand = options.expand,
                                .lexicon = &im.words,
                                .title_boost = im.options.title_boost,
                                .heading_boost = im.options.heading_boost,
                                .shard_stable_ranking = im.several_databases,
                                .drop_question_phrasing = im.options.drop_question_phrasing});
    Result<BuiltQuery> built = builder.Build(query);
    if (!built.ok()) return built.status();
    return im.Search(query, *built, options);
  });
}

Result<SearchResponse> Searcher::Impl::Search(std::string_view query, const BuiltQuery& built,
                                              const SearchOptions& search) const {
  SearchResponse response;
  response.query = std::string(query);
  if (!built.corrected.empty()) response.corrected = built.corrected;
  if (Log()->should_log(spdlog::level::debug)) {  // holds query words: debug only
    Log()->debug("query: {}", built.query.get_description());
  }
  const Xapian::Query filtered = Filters(built.query, search, analyzer);
  Xapian::Enquire enquire(db);
  ConfigureEnquire(enquire, filtered, search, options);
  if (options.feedback_terms > 0) ApplyFeedback(enquire, filtered, options);
  const MatchedPage page = MatchPage(enquire, search, db, several_databases);
  response.total_estimate = page.mset.get_matches_estimated();
  if (search.facets) response.source_facets = SourceFacets(*page.sources);
  const Highlighter highlighter(analyzer, *dictionary, built, search.snippet_words);
  for (const RankedMatch& r : page.ranked) {
    const int rank = static_cast<int>(search.offset + response.hits.size()) + 1;
    std::optional<Hit> hit = MaterializeHit(page.mset[r.index], r.score, rank, highlighter);
    if (hit) response.hits.push_back(std::move(*hit));
  }
  return response;
}

std::optional<Hit> Searcher::Impl::MaterializeHit(const Xapian::MSetIterator& match, double score,
                                                  int rank, const Highlighter& highlighter) const {
  PassageRecord record;
  std::string stored;
  if (!ReadPassage(match.get_document(), &record, &stored)) {
    Log()->warn("{}: passage {} has an unreadable record; skipped", path, *match);
    return std::nullopt;
  }
  StoredHitTokens tokens;
  const bool have_tokens =
      stored_tokens_usable &&
      DecodeStoredTokens(stored, {{record.text, &tokens.passage, kBodyBase},
                                  {record.title, &tokens.title, kTitleBase},
                                  {record.heading, &tokens.section, kHeadingBase}});
  Highlighted h = highlighter.Highlight(record.text, record.title, record.heading,
                                        have_tokens ? &tokens : nullptr);
  Hit hit = HitFrom(std::move(record), rank);
  hit.score = score;
  hit.snippet = std::move(h.snippet);
  hit.highlights = std::move(h.highlights);
  hit.matched = std::move(h.matched);
  return hit;
}

}  // namespace clinsearch
