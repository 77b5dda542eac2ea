// SPDX-License-Identifier: GPL-2.0-or-later
// The writer half of the index schema (analysis/index_layout.h,
// docs/index-layout.md): what a Document becomes in the index, one Xapian
// document per passage, with its postings, field terms, concept terms,
// boolean terms and stored passage.
//
//   const std::string version = VersionTerm(doc, analysis_fingerprint);
//   if (!db.term_exists(version)) {   // this version is not indexed yet
//     PreparedDocument prepared = PrepareDocument(doc, version, analyzer, dictionary, options);
//     for (const Xapian::Document& passage : prepared.passages) db.add_document(passage);
//   }
//
// Thread safety: PrepareDocument may run on several threads at once, each
// with an Analyzer of its own; the dictionary and options are only read.
#ifndef CLINSEARCH_INDEXER_PASSAGE_DOCUMENT_H_
#define CLINSEARCH_INDEXER_PASSAGE_DOCUMENT_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"
#include "clinsearch/document.h"
#include "clinsearch/index_writer.h"
#include "clinsearch/status.h"
#include "indexer/synonym_miner.h"
#include "storage/schema.h"

namespace clinsearch {

// Word -> how many times it was seen, for the spelling table.
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;

// What analysis makes of one document, ready for the (single) writer.
struct PreparedDocument {
  Status error;  // analysis failed (the document is skipped)
  std::string id;
  std::string version;  // its VersionTerm, on the first passage
  std::vector<Xapian::Document> passages;
  SpellingCounts spelling;  // the spelling words of its passages' text
  SynonymMiner mined;       // what the document's passages define
};

// Positions. Each field's words are numbered from its base (kTitleBase,
// kHeadingBase, kBodyBase), the bases kFieldSpan apart. A title or heading
// indexes only the words in the first kFieldPositions positions of its
// span, so it never runs into the next field's positions and at least
// kFieldSpan - kFieldPositions positions lie between two fields' words.
inline constexpr Xapian::termpos kFieldSpan = kHeadingBase - kTitleBase;
static_assert(kBodyBase - kHeadingBase == kFieldSpan, "field bases must be equally spaced");
inline constexpr Xapian::termpos kFieldPositions = kFieldSpan - 100;
// The first position not indexed of a title or heading numbered from
// `base`.
constexpr Xapian::termpos FieldEnd(Xapian::termpos base) { return base + kFieldPositions; }

// Whether `t` goes into the spelling table: a word of letters (two or
// more), not the joined form of a hyphenated compound.
bool IsSpellingWord(const Token& t);

// The term that says "this version of `doc` is indexed": a hash of its
// fields and of `analysis_fingerprint` (dictionary, analyzer and the index
// options that change what is written), plus its id.
std::string VersionTerm(const Document& doc, std::string_view analysis_fingerprint);

// Splits `doc` into passages, analyses them with `analyzer` and builds
// their Xapian documents; `version` (its VersionTerm) goes on the first.
// A document without text gets no passages. `error` stays ok: it is for
// callers that catch what this throws.
PreparedDocument PrepareDocument(const Document& doc, std::string version, const Analyzer& analyzer,
                                 const Dictionary& dictionary, const IndexOptions& options);

}  // namespace clinsearch

#endif  // CLINSEARCH_INDEXER_PASSAGE_DOCUMENT_H_
