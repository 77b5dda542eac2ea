// The integrity check: reads every block of every table of an index's
// local databases through Xapian's structure check
// (Xapian::Database::check), so that a truncated file or a damaged block is
// found before a query trips over it.
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
// committed is repeated at the new revision); OK when there is no local
// database to check (remote shards are checked where they are served).
Status CheckIndex(const IndexFolder& folder);

// The same check for one Xapian database folder (a generation).
Status CheckDatabase(const std::string& db);

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_INTEGRITY_CHECK_H_
