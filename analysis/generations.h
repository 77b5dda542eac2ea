// Index generations: an index folder holds one or more complete Xapian
// databases (gen-1, gen-2, ...) and a Xapian stub file XAPIANDB ("auto
// gen-N") naming the live one. A full rebuild writes the next generation
// beside the live one and switches the stub with an atomic rename, so
// searchers answer from the old generation until the switch and never see
// a half-built index. Folders written by older clinsearch versions (a
// database directly in the folder) are still opened as they are.
#ifndef CLINSEARCH_ANALYSIS_GENERATIONS_H_
#define CLINSEARCH_ANALYSIS_GENERATIONS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

// Sharded indexes (docs/scaling.md): the folder's stub lists its shards,
// "auto shard-0" ... (a searcher's copy may list "remote HOST:PORT" lines
// instead), each shard an index folder with generations as above, and the
// folder "lexicon" beside them, a database without documents holding the
// dictionary, mined synonyms and spelling table of all shards (Xapian's
// remote backend serves neither spelling nor synonym tables).
std::string ShardPath(const std::string& dir, size_t k);  // dir/shard-K
std::string LexiconPath(const std::string& dir);          // dir/lexicon
// Whether `dir` is a sharded index (has a lexicon folder).
bool IsSharded(const std::string& dir);
// The shard that holds document `doc_id`: FNV-1a (64-bit) of the id modulo
// `shards`, so a document stays in its shard from run to run.
size_t ShardOf(std::string_view doc_id, size_t shards);
// Writes the stub of a sharded index listing shard-0 .. shard-(shards-1)
// (atomically, as SwitchGeneration).
Status WriteShardStub(const std::string& dir, size_t shards);

// How many databases the stub of `path` (a folder or a stub file) lists:
// its lines other than blank ones and # comments.
size_t StubEntries(const std::string& path);
// The local glass databases that opening `path` (a folder or a stub file)
// reads: the folder's own database, or those its stub lists ("auto" and
// "glass" lines, followed through nested stubs); remote lines are not
// local. Missing entries are skipped (opening them reports them).
std::vector<std::string> LocalDatabases(const std::string& path);
// How many databases opening `path` searches: its local databases and the
// remote lines of its stubs.
size_t DatabaseCount(const std::string& path);
// What opening `dir` resolves to: the stubs met on the way to its local
// databases, those of its lexicon included. Changes when a rebuild switches
// the generation of any part, which Xapian's reopen() does not notice.
std::string LiveLayout(const std::string& dir);

// Reads every block of every table of the local databases of `dir` (its
// live generation; for a sharded index every local shard and the lexicon)
// and checks their structure (Xapian::Database::check), so that a
// truncated file or a damaged block is found before a query trips over it.
// About 0.4 s per 160 MB of index when the files are in the page cache.
// Corruption with Xapian's first complaint when a check fails (a check that
// failed while a writer committed is repeated at the new revision); OK when
// there is no local database to check (remote shards are checked where
// they are served).
Status CheckIndex(const std::string& dir);
// The same check for one Xapian database folder (a generation).
Status CheckDatabase(const std::string& db);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_GENERATIONS_H_
