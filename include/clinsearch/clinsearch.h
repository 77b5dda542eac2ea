/* clinsearch C API: opaque handles and JSON strings, for FFI from Python
 * (ctypes/cffi), PHP (FFI), Node (ffi-napi) or plain C.
 *
 *   char* err = NULL;
 *   cs_searcher* s = cs_searcher_open("index", &err);
 *   if (!s) { fprintf(stderr, "%s\n", err); cs_free(err); return 1; }
 *   char* json = cs_search(s, "freeze tumor", NULL);
 *   puts(json);                       // the CLI's --json object
 *   cs_free(json);
 *   cs_searcher_close(s);
 *
 * Contracts:
 * - Every char* returned is UTF-8, NUL-terminated, owned by the caller and
 *   released with cs_free(). Functions returning JSON never return NULL
 *   (except when memory runs out); a failure is {"error": "..."}.
 * - Strings passed in are UTF-8 (invalid bytes are replaced) and may be
 *   freed as soon as the call returns.
 * - A cs_searcher must not be used by two threads at once; open one per
 *   thread. No function throws or aborts on bad input.
 */
#ifndef CLINSEARCH_CLINSEARCH_H_
#define CLINSEARCH_CLINSEARCH_H_

#include <stddef.h>

#include "clinsearch/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_searcher cs_searcher;

/* The library version, e.g. "0.5.0" (static storage: do not free). */
CLINSEARCH_EXPORT const char* cs_version(void);

/* Opens the index folder `db_path` for searching. On failure returns NULL
 * and, when `error` is not NULL, sets *error to a message (cs_free it).
 * Like Searcher::Open, it first reads the whole index through to check it
 * (a damaged index fails here): about 0.4 s per 160 MB, paid by every open,
 * so open searchers once and keep them. */
CLINSEARCH_EXPORT cs_searcher* cs_searcher_open(const char* db_path, char** error);

/* Closes a searcher; NULL is ignored. */
CLINSEARCH_EXPORT void cs_searcher_close(cs_searcher* searcher);

/* Ranks passages for `query` (at most 2,000 bytes). `options_json` may be
 * NULL, "" or a JSON object with any of these keys, the parameters of the
 * HTTP API's /search with the same defaults and bounds:
 *   "limit"         results wanted, 1 to 100 (default 10)
 *   "offset"        results to skip, for paging, 0 to 10000 (default 0)
 *   "per_document"  passages per document, 0 (any) to 1000 (default 1:
 *                   one passage per document, as a result list shows;
 *                   the C++ API and the CLI default to 0)
 *   "source"        only documents from this source (string, at most 200 bytes)
 *   "section"       only passages whose heading has these words (idem)
 *   "facets"        count matching passages per source (bool, default false)
 *   "spelling"      correct unknown words (bool, default true)
 *   "expand"        expand with the clinical dictionary (bool, default true)
 * Numbers must be JSON non-negative integers and flags JSON booleans. A
 * value of the wrong type or out of bounds, an unknown key, an empty or too
 * long query (named "q" in messages, as over HTTP) gives {"error"}, as does
 * a query with no searchable words.
 * Returns the CLI's --json object: {"query", "corrected"?, "total",
 * "results": [...], "facets"?}, or {"error"}. */
CLINSEARCH_EXPORT char* cs_search(cs_searcher* searcher, const char* query,
                                  const char* options_json);

/* Type-ahead: {"query", "suggestions": [{"text", "kind", "concept"?}]}. */
CLINSEARCH_EXPORT char* cs_suggest(cs_searcher* searcher, const char* prefix, int limit);

/* Every passage of one document: {"doc_id", "title", "passages": [...]},
 * or {"error"} for an unknown id. */
CLINSEARCH_EXPORT char* cs_document(cs_searcher* searcher, const char* doc_id);

/* Picks up what was committed (or a rebuilt generation) since opening.
 * Returns 0 on success; else -1 and sets *error when not NULL. */
CLINSEARCH_EXPORT int cs_searcher_reopen(cs_searcher* searcher, char** error);

/* Indexes files or folders (.txt .md .html .jsonl) into `db_path`
 * (created if missing), incrementally, with the bundled dictionary; with
 * `rebuild` non-zero, as a fresh generation switched in when complete.
 * All or nothing: every path is checked (it exists, its folders can be
 * listed and its files opened) before anything is written, and the run is
 * one transaction: if any path fails (missing, unreadable, a folder that
 * cannot be listed, a write error) nothing is committed and a rebuild does
 * not switch (its generation is removed); {"error"} names the path. A
 * rebuild also refuses to switch when it would drop more than 10% of the
 * live index's documents. A NULL or empty `db_path`, or a NULL path, is
 * refused and nothing is written. Another writer on the same folder makes
 * it fail with "index is locked by another writer".
 * Cost of the single transaction: Xapian writes postings out (uncommitted)
 * every XAPIAN_FLUSH_THRESHOLD documents, but keeps the run's document
 * values (each passage's stored text, LZ4-compressed: about half the size
 * of the input text) in memory until the commit, and the index's files
 * grow by up to the run's size before the commit frees what it replaced.
 * Returns {"documents", "added", "updated", "unchanged", "passages",
 * "skipped", "problems": ["FILE:LINE: message", ...]} or {"error"}. */
CLINSEARCH_EXPORT char* cs_index_paths(const char* db_path, const char* const* paths,
                                       size_t n_paths, int rebuild);

/* Releases a string returned by this API; NULL is ignored. */
CLINSEARCH_EXPORT void cs_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* CLINSEARCH_CLINSEARCH_H_ */
