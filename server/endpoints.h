// SPDX-License-Identifier: GPL-2.0-or-later
// The endpoints that need a Searcher (/search, /suggest, /doc/ID, /stats):
// run on a worker thread with a searcher of the pool, after Decide()
// (server/http_protocol.h) has checked the parameters.
//
// Errors of the index (a read that fails, a damaged block) answer 503 with
// the generic kIndexUnavailable message: the detail, which names files and
// the library's internals, goes to the log at warning level (it holds no
// query text). Errors of the request keep their message (400 for a query
// with no searchable words, 404 for an unknown document).
#ifndef CLINSEARCH_SERVER_ENDPOINTS_H_
#define CLINSEARCH_SERVER_ENDPOINTS_H_

#include <cstdint>

#include "clinsearch/searcher.h"
#include "server/http_protocol.h"

namespace clinsearch::http {

// Figures of the running server for /stats.
struct ServerFigures {
  int64_t uptime_seconds = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
};

// Whether the endpoint read the index, and how that went (for /health).
enum class IndexRead { kNone, kOk, kFailed };

struct EndpointResult {
  Reply reply;
  IndexRead index_read = IndexRead::kNone;
};

// Runs `decision`'s endpoint (kSearch, kSuggest, kDocument or kStats) with
// `searcher`. An exception from the searcher is caught: 500 "internal
// error", logged without its text above debug level (it may quote a term).
EndpointResult RunEndpoint(const Decision& decision, Searcher& searcher,
                           const ServerFigures& figures);

}  // namespace clinsearch::http

#endif  // CLINSEARCH_SERVER_ENDPOINTS_H_
