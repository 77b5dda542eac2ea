// SPDX-License-Identifier: GPL-2.0-or-later
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
 * - Misuse is detected where it is cheap, by address (the library keeps
 *   the set of handles it opened and strings it returned that are still
 *   live, so it never reads freed memory) and by a magic number in the
 *   handle, as SQLite's SQLITE_MISUSE: a closed handle passed to a
 *   function gives {"error": "misuse: ..."} (cs_searcher_reopen: -1); a
 *   second cs_searcher_close of a handle, or a cs_free of a string already
 *   freed or not returned by this library, is ignored. Each is logged at
 *   CS_LOG_ERROR. Detection is best effort, not a licence: once memory is
 *   freed, the allocator may give the same address to a new handle or
 *   string, which a stale pointer then names.
 * - The library never writes to stdout or stderr, nor to any file but the
 *   index: its log goes to the callback set with cs_set_log_callback, and
 *   without one nowhere (as SQLite's SQLITE_CONFIG_LOG). The C++ API logs
 *   the same way, except that a spdlog logger named "clinsearch" that the
 *   program registered (the CLI does) takes precedence over the callback.
 */
#ifndef CLINSEARCH_CLINSEARCH_H_
#define CLINSEARCH_CLINSEARCH_H_

#include <stddef.h>

#include "clinsearch/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_searcher cs_searcher;

/* Log levels, with Python's logging numbers (a ctypes host can pass them
 * to logging.log as they are). */
#define CS_LOG_DEBUG 10   /* details; may hold query text (patient details) */
#define CS_LOG_INFO 20    /* progress, e.g. "dictionary: 1706 concepts" */
#define CS_LOG_WARNING 30 /* a problem worked around, e.g. a bad input line */
#define CS_LOG_ERROR 40   /* a failed operation, or misuse of this API */

/* Receives one log line: its level (one of CS_LOG_*), the message (UTF-8,
 * no timestamp or newline, valid during the call only) and the `user`
 * pointer given to cs_set_log_callback. */
typedef void (*cs_log_callback)(int level, const char* message, void* user);

/* The library version, e.g. "0.5.0" (static storage: do not free). */
CLINSEARCH_EXPORT const char* cs_version(void);

/* Opens the index folder `db_path` for searching. On failure returns NULL
 * and, when `error` is not NULL, sets *error to a message (cs_free it).
 * Like Searcher::Open, it first reads the whole index through to check it
 * (a damaged index fails here): about 0.4 s per 160 MB, paid by every open,
 * so open searchers once and keep them. */
CLINSEARCH_EXPORT cs_searcher* cs_searcher_open(const char* db_path, char** error);

/* Sends the library's log lines at `min_level` (a CS_LOG_* value) and
 * above to `callback`, replacing any earlier callback; NULL turns logging
 * off, which is the default. Lines above CS_LOG_DEBUG never hold query
 * text. The callback is called from whichever thread logs (the caller of a
 * cs_ function), one call at a time; it must not call cs_ functions. Once
 * this returns, the earlier callback is not called again (its `user` may be
 * freed). Thread-safe. */
CLINSEARCH_EXPORT void cs_set_log_callback(int min_level, cs_log_callback callback, void* user);

/* Closes a searcher; NULL is ignored, as is (logged) a searcher already
 * closed. */
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

/* Type-ahead: {"query", "suggestions": [{"text", "kind", "concept"?}]},
 * as the HTTP API's /suggest. `limit` is the number of suggestions wanted,
 * 1 to 50, or 0 for the default (8); another value, or a prefix longer than
 * 2,000 bytes, gives {"error"}. */
CLINSEARCH_EXPORT char* cs_suggest(cs_searcher* searcher, const char* prefix, int limit);

/* Every passage of one document: {"doc_id", "title", "passages": [...]},
 * or {"error"} for an unknown id or one longer than 2,000 bytes (as the
 * HTTP API's /doc/{id}). */
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

/* Releases a string returned by this API; NULL is ignored, as is (logged)
 * a string already freed or not returned by this API. */
CLINSEARCH_EXPORT void cs_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* CLINSEARCH_CLINSEARCH_H_ */
