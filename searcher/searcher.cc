#include "clinsearch/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "index/index_folder.h"
#include "index/integrity_check.h"
#include "index/passage_record.h"
#include "index/schema.h"
#include "base/log.h"
#include "index/stored_tokens.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "searcher/highlighter.h"
#include "searcher/query_builder.h"

namespace clinsearch {
namespace {

// A result's fields from a stored passage record (snippet, highlights and
// explanations are the caller's).
Hit HitFrom(PassageRecord&& record, int rank) {
  Hit hit;
  hit.rank = rank;
  hit.doc_id = std::move(record.doc_id);
  hit.title = std::move(record.title);
  hit.section = std::move(record.section);
  hit.source = std::move(record.source);
  hit.url = std::move(record.url);
  hit.passage = std::move(record.text);
  return hit;
}

// Runs `read` (returning Result<T>) against the index; when a writer
// committed twice meanwhile (Xapian's DatabaseModifiedError), re-opens
// and tries once more. Other Xapian errors become Corruption.
template <typename T, typename Read>
Result<T> RetryRead(Searcher& searcher, const std::string& path, const char* what, Read read) {
  for (int attempt = 0;; ++attempt) {
    try {
      return read();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt > 0) return Status::IoError(path + ": index changed during the " + what + "; try again");
      Status s = searcher.Reopen();
      if (!s.ok()) return s;
    } catch (const Xapian::NetworkError& e) {
      // A remote shard restarted or timed out: connect again, once.
      if (attempt > 0) {
        return Status::IoError(path + ": a remote shard does not answer (" + e.get_description() + ")");
      }
      Status s = searcher.Reconnect();
      if (!s.ok()) return s;
    } catch (const Xapian::Error& e) {
      return Status::Corruption(path + ": " + what + " failed: " + e.get_description());
    }
  }
}

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
  for (auto it = cache.begin(); it != cache.end();) it = it->second.expired() ? cache.erase(it) : std::next(it);
  if (auto found = cache[key].lock()) return found;
  Result<Dictionary> built = build();
  if (!built.ok()) return built.status();
  auto shared = std::make_shared<const Dictionary>(std::move(built).value());
  cache[key] = shared;
  return shared;
}

// `score` to 12 significant digits.
double RoundScore(double score) {
  char text[32];
  snprintf(text, sizeof text, "%.12g", score);
  return std::strtod(text, nullptr);
}

}  // namespace

struct Searcher::Impl {
  std::string path;
  int generation = 0;  // live generation when opened (0: older layout)
  std::string layout;  // IndexFolder::ResolvedStubs() when opened
  size_t shards = 0;   // a sharded index's shard count
  bool several_databases = false;  // the documents span several Xapian databases
  SearcherOptions options;
  Xapian::Database db;
  // Where the metadata (dictionary, analyzer) and the spelling table are
  // read: the lexicon of a sharded index, else `db` itself.
  Xapian::Database words;

  // The shards' database UUIDs as the lexicon recorded them when connected.
  std::string shard_uuids;

  // Opens the folder (again): documents, lexicon and what they resolve to.
  // On failure the databases in use stay as they were.
  Status OpenDatabases() {
    Result<SearchableIndex> opened = IndexFolder(path).OpenForSearch();
    if (!opened.ok()) return opened.status();
    layout = std::move(opened->resolved_stubs);
    generation = opened->generation;
    db = std::move(opened->documents);
    words = std::move(opened->lexicon);
    shards = opened->shards;
    several_databases = opened->several_databases;
    shard_uuids = shards > 0 ? words.get_metadata(kShardUuidsKey) : "";
    present_ready = false;
    return Status::Ok();
  }
  Analyzer analyzer;
  std::shared_ptr<const Dictionary> dictionary = std::make_shared<const Dictionary>();
  bool dictionary_outdated = false;
  // The tokens stored with passages are what this analyzer would produce
  // (same analyzer fingerprint), so highlighting may use them.
  bool stored_tokens_usable = false;

  // Type-ahead names: every dictionary name, lower-cased, sorted; built on
  // the first Suggest() after the dictionary is loaded.
  struct Name {
    std::string key;  // lower-cased name
    std::string text;
    uint32_t concept_id;
  };
  std::vector<Name> names;
  bool names_ready = false;
  // The concept and class terms the index holds (XC, XK), read in one pass
  // at the first Suggest() after a change: one request to remote shards,
  // not one per candidate name.
  std::unordered_set<std::string> present;
  bool present_ready = false;

  void ReadPresent() {
    present.clear();
    for (const std::string prefix : {std::string(kConceptPrefix), std::string(kMemberPrefix)}) {
      for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) present.insert(*t);
    }
    present_ready = true;
  }

  void BuildNames() {
    names.clear();
    for (uint32_t i = 0; i < dictionary->concepts().size(); ++i) {
      for (const auto& [relation, text] : dictionary->concepts()[i].names) {
        names.push_back({LowerAscii(Squeeze(text)), text, i});
      }
    }
    std::sort(names.begin(), names.end(), [](const Name& a, const Name& b) { return a.key < b.key; });
    names_ready = true;
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
    Log()->warn("{}: the bundled dictionary ({}) changed since this index was built; searches use "
                "the dictionary stored in the index until the documents are indexed again",
                path, BundledDictionaryDir());
  }

  // What the loaded dictionary was built from: the index's dictionary
  // fingerprint and its mined synonyms. Reloading is needed only when
  // these change, not at every commit.
  std::string dictionary_source;

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
    names_ready = false;
    if (options.check_bundled_dictionary) CheckBundledDictionary();
    const std::string analyzer_print = words.get_metadata(kAnalyzerKey);
    stored_tokens_usable = analyzer_print == analyzer.Fingerprint();
    if (!stored_tokens_usable) {
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

Status Searcher::Reopen() {
  Impl& im = *impl_;
  try {
    // A rebuild switched generations: Xapian's reopen() does not re-read
    // stubs, so open the folder again.
    if (IndexFolder(im.path).ResolvedStubs() != im.layout) return Reconnect();
    bool changed = im.db.reopen();
    if (im.shards > 0) {
      changed = im.words.reopen() || changed;
      // A shard rebuilt where xapian-tcpsrv serves it: connections opened
      // before keep reading its old generation (the server reads a stub
      // once per connection). The lexicon records the shards' databases at
      // each commit that changes them; when that record moves on and the
      // connections read something else, connect again.
      const std::string expected = im.words.get_metadata(kShardUuidsKey);
      if (expected != im.shard_uuids) {
        im.shard_uuids = expected;
        if (!expected.empty() && expected != im.db.get_uuid()) return Reconnect();
      }
    }
    if (changed) {
      im.present_ready = false;
      return im.LoadDictionary();
    }
  } catch (const Xapian::NetworkError&) {
    return Reconnect();  // a remote shard closed an idle connection, say
  } catch (const Xapian::Error& e) {
    return Status::IoError(im.path + ": reopen failed: " + e.get_description());
  }
  return Status::Ok();
}

Status Searcher::Reconnect() {
  Impl& im = *impl_;
  try {
    if (Status s = im.OpenDatabases(); !s.ok()) return s;
    return im.LoadDictionary();
  } catch (const Xapian::NetworkError& e) {
    return Status::IoError(im.path + ": a remote shard cannot be reached: " + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::IoError(im.path + ": cannot open the index again: " + e.get_description());
  }
}

size_t Searcher::passage_count() const { return impl_->db.get_doccount(); }

bool Searcher::dictionary_outdated() const { return impl_->dictionary_outdated; }

Result<std::vector<Hit>> Searcher::Passages(std::string_view doc_id) {
  Impl& im = *impl_;
  const std::string term = IdTerm(kDocIdPrefix, doc_id);
  return RetryRead<std::vector<Hit>>(*this, im.path, "read", [&]() -> Result<std::vector<Hit>> {
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
  std::vector<Suggestion> out;
  std::string typed = Squeeze(prefix);
  CutUtf8(typed, 200);
  if (typed.empty() || limit == 0) return out;
  const std::string key = LowerAscii(typed);
  std::unordered_set<std::string> seen;
  auto add = [&](Suggestion s) {
    if (out.size() < limit && seen.insert(LowerAscii(s.text)).second) out.push_back(std::move(s));
  };
  try {
    // Dictionary names starting with what was typed: names of concepts the
    // index holds first, then shorter ones.
    if (!im.names_ready) im.BuildNames();
    if (!im.present_ready) im.ReadPresent();
    struct Candidate {
      const Impl::Name* name;
      bool in_index;
    };
    std::vector<Candidate> candidates;
    for (auto it = std::lower_bound(im.names.begin(), im.names.end(), key,
                                    [](const Impl::Name& n, const std::string& k) { return n.key < k; });
         it != im.names.end() && it->key.compare(0, key.size(), key) == 0 && candidates.size() < 500; ++it) {
      const Concept& c = im.dictionary->concepts()[it->concept_id];
      candidates.push_back({&*it, im.present.count(c.ConceptTerm()) > 0 || im.present.count(c.MemberTerm()) > 0});
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.in_index != b.in_index) return a.in_index;
      return a.name->key.size() < b.name->key.size();
    });
    for (const Candidate& c : candidates) {
      if (!c.in_index && out.size() >= limit / 2) break;  // leave room for words the index has
      add({c.name->key, Suggestion::Kind::kConcept, im.dictionary->concepts()[c.name->concept_id].name});
    }
    // Words of the index completing the last word, most frequent first.
    const size_t space = key.rfind(' ');
    const std::string head = space == std::string::npos ? "" : key.substr(0, space + 1);
    const std::string last = key.substr(head.size());
    if (last.size() >= 2) {
      std::vector<std::pair<Xapian::doccount, std::string>> words;
      auto it = im.words.spellings_begin();
      it.skip_to(last);
      for (size_t scanned = 0; it != im.words.spellings_end() && scanned < 2000; ++it, ++scanned) {
        const std::string word = *it;
        if (word.compare(0, last.size(), last) != 0) break;
        words.push_back({it.get_termfreq(), word});
      }
      std::stable_sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (const auto& [freq, word] : words) add({head + word, Suggestion::Kind::kWord, {}});
      if (out.empty() && last.size() >= 4) {
        const std::string fixed = im.words.get_spelling_suggestion(last);
        if (!fixed.empty()) add({head + fixed, Suggestion::Kind::kSpelling, {}});
      }
    }
  } catch (const Xapian::Error& e) {
    Log()->warn("{}: suggestions failed: {}", im.path, e.get_description());
  }
  return out;
}

IndexInfo Searcher::Info() const {
  const Impl& im = *impl_;
  IndexInfo info;
  try {
    info.passages = im.db.get_doccount();
    const std::string prefix(kDocIdPrefix);
    for (auto t = im.db.allterms_begin(prefix); t != im.db.allterms_end(prefix); ++t) ++info.documents;
  } catch (const Xapian::Error& e) {
    Log()->warn("{}: index statistics failed: {}", im.path, e.get_description());
  }
  info.generation = im.generation;
  info.shards = im.shards;
  info.concepts = im.dictionary->size();
  info.dictionary_outdated = im.dictionary_outdated;
  return info;
}

Result<SearchResponse> Searcher::Search(std::string_view query, const SearchOptions& options) {
  Impl& im = *impl_;
  return RetryRead<SearchResponse>(*this, im.path, "search", [&]() -> Result<SearchResponse> {
    SearchResponse response;
    response.query = std::string(query);
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
    if (!built->corrected.empty()) response.corrected = built->corrected;
    if (Log()->should_log(spdlog::level::debug)) {  // holds query words: debug only
      Log()->debug("query: {}", built->query.get_description());
    }
    Xapian::Query xquery = built->query;
    std::vector<Xapian::Query> filters;
    if (!options.source.empty()) filters.emplace_back(IdTerm(kSourcePrefix, LowerAscii(options.source)));
    if (!options.section.empty()) {
      // As the writer's heading field: prefix + term (or acronym term).
      for (const Token& t : im.analyzer.Analyze(options.section)) {
        if (t.compound || t.stopword) continue;
        filters.emplace_back(std::string(kHeadingPrefix) + (t.acronym.empty() ? t.term : t.acronym));
      }
    }
    if (!filters.empty()) {
      xquery = Xapian::Query(Xapian::Query::OP_FILTER, xquery,
                            Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    }
    Xapian::Enquire enquire(im.db);
    enquire.set_query(xquery);
    if (options.time_limit_ms > 0) enquire.set_time_limit(options.time_limit_ms / 1000.0);
    enquire.set_weighting_scheme(Xapian::BM25Weight(im.options.bm25_k1, 0, 1, im.options.bm25_b, 0.5));
    // Ties by document, not by Xapian's document numbers, which interleave
    // across shards: one index and its shards then rank alike.
    enquire.set_sort_by_relevance_then_value(kDocIdSlot, false);
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
            Xapian::Query::OP_OR, xquery,
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_OR, extra.begin(), extra.end()),
                          im.options.feedback_weight)));
      }
    }
    const size_t limit = std::min<size_t>(options.limit, 1000);
    // Facets count every match, so the matcher must look at them all.
    const Xapian::doccount check_at_least = options.facets ? im.db.get_doccount() : 0;
    // Scores are sums of floating-point parts whose order Xapian picks per
    // database, so one passage can score a few units in the last place
    // differently on one index and on its shards. Scores are therefore
    // rounded to 12 significant digits and ties ordered by document, then
    // passage. The window ranked is wider than the page (by `slack` across
    // several databases; one database's ties are exact and already in
    // document order) and widened while it ends inside a group of equal
    // scores, so a tie at the cut is settled by that order, not by rounding
    // noise, and pages never repeat or skip a hit.
    const size_t slack = im.several_databases ? 10 : 0;
    const size_t cut = options.offset + limit;  // results wanted, offset included
    size_t window = cut + std::max<size_t>(slack, 1);
    Xapian::MSet mset;
    std::unique_ptr<Xapian::ValueCountMatchSpy> sources;
    for (;;) {
      if (options.facets) {  // counted afresh by each match
        enquire.clear_matchspies();
        sources = std::make_unique<Xapian::ValueCountMatchSpy>(kSourceSlot);
        enquire.add_matchspy(sources.get());
      }
      mset = enquire.get_mset(0, static_cast<Xapian::doccount>(window), check_at_least);
      if (cut == 0 || mset.size() < window || mset.size() <= cut || window >= 100000) break;
      if (RoundScore(mset[static_cast<Xapian::doccount>(window - 1)].get_weight()) !=
          RoundScore(mset[static_cast<Xapian::doccount>(cut - 1)].get_weight())) {
        break;
      }
      window *= 2;
    }
    struct Ranked {
      double score;
      std::string key;  // the collapse key: the document
      Xapian::docid docid;  // within a document: passage order (in any shard)
      Xapian::doccount index;  // in the MSet
    };
    std::vector<Ranked> ranked;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ranked.push_back({RoundScore(it.get_weight()), it.get_sort_key(), *it,
                        static_cast<Xapian::doccount>(ranked.size())});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.key != b.key) return a.key < b.key;
      return a.docid < b.docid;
    });
    if (ranked.size() > options.offset + limit) ranked.resize(options.offset + limit);
    ranked.erase(ranked.begin(), ranked.begin() + std::min(ranked.size(), options.offset));
    response.total_estimate = mset.get_matches_estimated();
    if (options.facets) {
      for (auto v = sources->values_begin(); v != sources->values_end(); ++v) {
        if (!(*v).empty()) response.source_facets.push_back({*v, v.get_termfreq()});
      }
      std::stable_sort(response.source_facets.begin(), response.source_facets.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    int rank = static_cast<int>(options.offset);
    const HighlightContext highlight = PrepareHighlight(im.analyzer, *im.dictionary, *built);
    StoredHitTokens tokens;
    std::string stored;
    for (const Ranked& r : ranked) {
      const Xapian::MSetIterator it = mset[r.index];
      PassageRecord record;
      if (!ReadPassage(it.get_document(), &record, &stored)) {
        Log()->warn("{}: passage {} has an unreadable record; skipped", im.path, *it);
        continue;
      }
      const bool have_tokens =
          im.stored_tokens_usable &&
          DecodeStoredTokens(stored, {{record.text, &tokens.passage, kBodyBase},
                                      {record.title, &tokens.title, kTitleBase},
                                      {record.section, &tokens.section, kHeadingBase}});
      Highlighted h = Highlight(im.analyzer, *im.dictionary, *built, record.text, record.title,
                                record.section, options.snippet_words, &highlight,
                                have_tokens ? &tokens : nullptr);
      Hit hit = HitFrom(std::move(record), ++rank);
      hit.score = r.score;
      hit.snippet = std::move(h.snippet);
      hit.highlights = std::move(h.highlights);
      hit.matched = std::move(h.matched);
      response.hits.push_back(std::move(hit));
    }
    return response;
  });
}

}  // namespace clinsearch
