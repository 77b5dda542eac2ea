// SPDX-License-Identifier: GPL-2.0-or-later
// The stored passage: what a hit shows, kept in the passage's value slot
// (storage/schema.h, kPassageSlot) beside the analysis of its fields, and the
// id terms and collapse keys that name a document in the index.
#ifndef CLINSEARCH_STORAGE_PASSAGE_RECORD_H_
#define CLINSEARCH_STORAGE_PASSAGE_RECORD_H_

#include <xapian.h>

#include <string>
#include <string_view>

namespace clinsearch {

// A term for `prefix` + `id`, kept under Xapian's term length limit (long
// ids are shortened and suffixed with a hash so they stay unique).
std::string IdTerm(std::string_view prefix, std::string_view id);

// 8 bytes standing for a document id in kDocIdSlot (a 64-bit hash: two
// ids sharing one is vanishingly unlikely).
std::string CollapseKey(std::string_view doc_id);

// The passage as stored in the Xapian document data.
struct PassageRecord {
  std::string doc_id, title, heading, source, url, text;
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

#endif  // CLINSEARCH_STORAGE_PASSAGE_RECORD_H_
