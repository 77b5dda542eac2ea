// SPDX-License-Identifier: GPL-2.0-or-later
// The integrity check: reads every block of every table of an index's
// local databases through Xapian's structure check
// (Xapian::Database::check), so that a truncated file or a damaged block is
// found before a query trips over it. Xapian's check opens the tables
// read/write (it writes nothing); where this process may not write them (a
// read-only mount, files of another user) each database is checked by
// reading every entry of every table read-only instead (ScanDatabase).
// Tables Xapian creates lazily and reads as empty when missing are required
// where a clinsearch index always has them.
//
// It forks: each database is checked in a child process, because libxapian
// 1.4.22's checker can itself crash on some damage, and a crash must refuse
// the index, not end the program. In a multi-threaded host the child only
// runs the check and writes its answer to a pipe; it runs in-process when no
// child can be made.
#ifndef CLINSEARCH_STORAGE_INTEGRITY_CHECK_H_
#define CLINSEARCH_STORAGE_INTEGRITY_CHECK_H_

#include <string>

#include "clinsearch/status.h"
#include "storage/index_folder.h"

namespace clinsearch {

// Checks the local databases of `folder` (its live generation; for a
// sharded index every local shard and the lexicon). About 0.4 s per 160 MB
// of index when the files are in the page cache. Corruption with Xapian's
// first complaint when a check fails (a check that failed while a writer
// committed is repeated at the new revision), or naming the table file that
// is missing (a database with passages needs termlist and position, and
// docdata where its records are not values; the one holding the words of
// an index with passages, spelling);
// IoError, never Corruption, when this process may not read a file of the
// index; OK when there is no local database to check (remote shards are
// checked where they are served).
Status CheckIndex(const IndexFolder& folder);

// The same check for one Xapian database folder (a generation).
Status CheckDatabase(const std::string& db);

// The read-only check CheckDatabase uses where it may not write the tables:
// reads every entry of every table (postings, records, terms, positions,
// values, spelling words, synonyms, metadata) and compares what two tables,
// or a scan and a lookup, say about the same thing (a passage word whose
// positions are lost, too). It sees what damage does to reading, but not
// the free lists, which only a writer uses, nor the spelling table's
// fragments (used for corrections only). Much slower than the structure
// check: 14 s against 0.4 s for a 158 MB index (a position-list lookup per
// word of every passage). Corruption as CheckDatabase.
Status ScanDatabase(const std::string& db);

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_INTEGRITY_CHECK_H_
