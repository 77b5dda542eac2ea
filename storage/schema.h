// SPDX-License-Identifier: GPL-2.0-or-later
// The index schema shared by the writer and the searcher: every term
// prefix, value slot, metadata key and position range a clinsearch index
// uses. Described for people in docs/index-layout.md; change both together.
// A leaf header (no Xapian, no other clinsearch header), so that the
// analyzer and the dictionary can name their terms from it too.
#ifndef CLINSEARCH_STORAGE_SCHEMA_H_
#define CLINSEARCH_STORAGE_SCHEMA_H_

#include <string_view>

namespace clinsearch {

// Word terms carry no prefix (the Analyzer's stems, with positions).
// An all-capital word that is also an ordinary English word ("AIDS") gets a
// case-sensitive acronym term beside its stem, with positions.
inline constexpr std::string_view kAcronymPrefix = "XA";
// Concept terms (no positions): the passage names the dictionary concept,
// or a member of the class.
inline constexpr std::string_view kConceptPrefix = "XC";
inline constexpr std::string_view kMemberPrefix = "XK";

// Field terms (wdf only, no positions): the title and the section heading
// again, so a query can ask "is this in the title / heading" (BM25 per field).
inline constexpr std::string_view kTitlePrefix = "S";
inline constexpr std::string_view kHeadingPrefix = "H";
inline constexpr std::string_view kTitleConceptPrefix = "XT";  // concept named in the title

// Boolean terms.
inline constexpr std::string_view kDocIdPrefix = "XD";   // every passage of a document
inline constexpr std::string_view kSourcePrefix = "XS";  // lower-cased source name
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
// section (storage/stored_tokens.h), LZ4-compressed, so a hit is read
// with one lookup, decompressed in a microsecond (Xapian's zlib on the
// document data cost far more) and highlighted without analysing it again.
// Indexes from before it keep the record in the document data instead.
inline constexpr unsigned kPassageSlot = 2;

// What the writer puts in a passage document beyond its terms: part of each
// document's fingerprint, so raising it makes the next incremental run
// rewrite passages written before (p2: stored passage slot, hashed collapse key).
inline constexpr std::string_view kPassageSchemaVersion = "p2";

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
// In a sharded index's lexicon: the shards' database UUIDs as Xapian joins
// them (":"), rewritten when a rebuild gives them new databases; searchers
// connected to older ones connect again.
inline constexpr const char* kShardUuidsKey = "clinsearch.shards.uuids";

// Positions: title words from kTitleBase, heading words from kHeadingBase,
// body words from kBodyBase, so phrases never run from one into another.
inline constexpr unsigned kTitleBase = 0;
inline constexpr unsigned kHeadingBase = 1000;
inline constexpr unsigned kBodyBase = 2000;

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_SCHEMA_H_
