// Index generations: an index folder holds one or more complete Xapian
// databases (gen-1, gen-2, ...) and a Xapian stub file XAPIANDB ("auto
// gen-N") naming the live one. A full rebuild writes the next generation
// beside the live one and switches the stub with an atomic rename, so
// searchers answer from the old generation until the switch and never see
// a half-built index. Folders written by older clinsearch versions (a
// database directly in the folder) are still opened as they are.
#ifndef CLINSEARCH_ANALYSIS_GENERATIONS_H_
#define CLINSEARCH_ANALYSIS_GENERATIONS_H_

#include <string>

#include "clinsearch/status.h"

namespace clinsearch {

// The live generation of the index folder `dir`, or 0 if it has no stub.
int LiveGeneration(const std::string& dir);

// The folder of generation `n` of `dir`.
std::string GenerationPath(const std::string& dir, int n);

// Makes generation `n` live: writes the stub beside it and renames it over
// the old one (atomic on POSIX file systems), then removes generations
// older than n - 1 (the one before stays for searchers still reading it).
Status SwitchGeneration(const std::string& dir, int n);

// The Xapian database folder that holds the live index of `dir`: its live
// generation, or `dir` itself for an older folder; empty when `dir` holds
// no local glass database (a stub listing other databases, say).
std::string LiveDatabasePath(const std::string& dir);

// Reads every block of every table of the live database of `dir` and checks
// its structure (Xapian::Database::check), so that a truncated file or a
// damaged block is found before a query trips over it. About 0.4 s per
// 160 MB of index when the files are in the page cache. Corruption with
// Xapian's first complaint when the check fails (a check that failed while
// a writer committed is repeated at the new revision); OK when there is no
// local database to check.
Status CheckIndex(const std::string& dir);
// The same check for one Xapian database folder (a generation).
Status CheckDatabase(const std::string& db);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_GENERATIONS_H_
