// The index layout shared by the writer and the searcher: term prefixes,
// value slots, metadata keys and the stored passage record. Described for
// people in docs/index-layout.md; change both together.
#ifndef CLINSEARCH_ANALYSIS_INDEX_LAYOUT_H_
#define CLINSEARCH_ANALYSIS_INDEX_LAYOUT_H_

#include <xapian.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace clinsearch {

// Field terms (wdf only, no positions): the title and the section heading
// again, so a query can ask "is this in the title / heading" (BM25 per field).
inline constexpr std::string_view kTitlePrefix = "S";
inline constexpr std::string_view kHeadingPrefix = "H";
inline constexpr std::string_view kTitleConceptPrefix = "XT";  // concept named in the title

// Boolean terms.
inline constexpr std::string_view kDocIdPrefix = "XD";    // every passage of a document
inline constexpr std::string_view kSourcePrefix = "XS";   // lower-cased source name
// On a document's first passage: "XH" + hex fingerprint of its content, the
// dictionary and the analyzer + id. Present = this version is indexed.
inline constexpr std::string_view kVersionPrefix = "XH";

// Value slots.
// The document's collapse key, CollapseKey(id): what the matcher reads for
// every candidate passage when results are collapsed per document, so it
// is 8 bytes rather than the id (fewer value chunks to read per query).
inline constexpr unsigned kDocIdSlot = 0;
inline constexpr unsigned kSourceSlot = 1;
// The stored passage: its record and the analysis of its text, title and
// section (analysis/stored_tokens.h), LZ4-compressed, so a hit is read
// with one lookup, decompressed in a microsecond (Xapian's zlib on the
// document data cost far more) and highlighted without analysing it again.
// Indexes from before it keep the record in the document data instead.
inline constexpr unsigned kPassageSlot = 2;

// What the writer puts in a passage document beyond its terms: part of each
// document's fingerprint, so raising it makes the next incremental run
// rewrite passages written before (p2: stored passage slot, hashed collapse key).
inline constexpr std::string_view kPassageLayout = "p2";

// Xapian block size of new indexes (Xapian's default is 8 KB). A stored
// passage (about 3 KB) then fits one B-tree item, and a search reads fewer
// blocks: measured on MedQuAD, the server answered 3.5% more requests/s and
// indexing took less time, for a 12% larger index (bench/RESULTS.md).
inline constexpr unsigned kBlockSize = 16384;

// Metadata keys.
inline constexpr const char* kFormatKey = "clinsearch.format";
inline constexpr const char* kFormatVersion = "1";
inline constexpr const char* kDictionaryKey = "clinsearch.dictionary";
inline constexpr const char* kMinedDictionaryKey = "clinsearch.dictionary.mined";
inline constexpr const char* kDictionaryFingerprintKey = "clinsearch.dictionary.fingerprint";
// Fingerprint of the bundled dictionary alone as indexed ("none" if it was
// not used), so a searcher can tell when synonyms/ changed since.
inline constexpr const char* kBundledDictionaryKey = "clinsearch.dictionary.bundled";
inline constexpr const char* kAnalyzerKey = "clinsearch.analyzer";
inline constexpr const char* kSpellingDictionaryKey = "clinsearch.spelling.dictionary";
// In a sharded index's lexicon: how many shards the documents are hashed to.
inline constexpr const char* kShardsKey = "clinsearch.shards";
// The shard count a lexicon records (0 when it records none).
inline size_t ShardCount(const Xapian::Database& lexicon) {
  return static_cast<size_t>(std::strtoul(lexicon.get_metadata(kShardsKey).c_str(), nullptr, 10));
}
// In a sharded index's lexicon: the shards' database UUIDs as Xapian joins
// them (":"), rewritten when a rebuild gives them new databases; searchers
// connected to older ones connect again.
inline constexpr const char* kShardUuidsKey = "clinsearch.shards.uuids";

// Positions: title words from kTitleBase, heading words from kHeadingBase,
// body words from kBodyBase, so phrases never run from one into another.
inline constexpr unsigned kTitleBase = 0;
inline constexpr unsigned kHeadingBase = 1000;
inline constexpr unsigned kBodyBase = 2000;

// A term for `prefix` + `id`, kept under Xapian's term length limit (long
// ids are shortened and suffixed with a hash so they stay unique).
std::string IdTerm(std::string_view prefix, std::string_view id);

// 8 bytes standing for a document id in kDocIdSlot (a 64-bit hash: two
// ids sharing one is vanishingly unlikely).
std::string CollapseKey(std::string_view doc_id);

// The passage as stored in the Xapian document data.
struct PassageRecord {
  std::string doc_id, title, section, source, url, text;
};
std::string EncodeRecord(const PassageRecord& record);
// Returns false if `data` is not a record this version understands.
bool DecodeRecord(std::string_view data, PassageRecord* record);

// The kPassageSlot value for a record and its encoded stored tokens.
std::string EncodePassageValue(const PassageRecord& record, std::string_view stored_tokens);
// A passage document's record (from kPassageSlot, or from the document
// data of an older index) and its encoded stored tokens (empty when there
// are none). False if the document holds no readable record.
bool ReadPassage(const Xapian::Document& doc, PassageRecord* record, std::string* stored_tokens);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_INDEX_LAYOUT_H_
