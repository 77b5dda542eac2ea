// SPDX-License-Identifier: GPL-2.0-or-later
// Server: the JSON HTTP API and the search widget over one index, for
// health portals.
//
//   clinsearch::ServerOptions options;               // 127.0.0.1:8080
//   auto server = clinsearch::Server::Create("index", options);
//   if (!server.ok()) return fail(server.status());
//   clinsearch::Status s = server->Run();            // serves until Stop()
//
// Endpoints (JSON; every error is {"error": "...", "status": N} with a 4xx
// or 5xx code):
//   GET /search?q=&limit=&offset=&per_document=&source=&section=&facets=
//              &spelling=&expand=
//       the CLI's --json object: {"query", "corrected"?, "total",
//       "results": [...], "facets"?: {"source": {"NAME": count}}}.
//       Defaults: limit 10, offset 0, per_document 1 (one passage per
//       document, as a result list shows; 0: any; the library's default is
//       0), facets off, spelling and expand on. Flags take 1/0, true/false,
//       yes/no or on/off (empty: true). The C API's cs_search takes the
//       same parameters with the same defaults and bounds.
//   GET /suggest?q=&limit=     type-ahead: {"query", "suggestions": [...]}
//   GET /doc/{id}               every passage of a document, in order
//   GET /health                 {"status": "ok", "passages": N}; 503
//       {"status": "unavailable", "error": ...} while the index fails: the
//       most recent endpoint that read the index (search, document) failed
//       to read it and none has succeeded since. Answered without a
//       searcher, so it answers even while every searcher is busy.
//   GET /stats                  passages, documents, generation, dictionary
//   GET / (and /widget.js, /widget.css)   the search widget
//   OPTIONS on any of these     204 (a CORS preflight); other paths 404
//
// Threads: one I/O thread (an Asio io_context on epoll, Boost.Beast's
// parser) accepts, reads, parses and writes for every connection, so an
// idle or slow connection costs a file descriptor and a few KB, never a
// thread. Searches, suggestions, /doc and /stats run on `searchers` worker
// threads, each with a Searcher of a SearcherPool (server/searcher_pool.h:
// first come, first served; a searcher unused for reopen_interval_ms
// checks for a new commit or index generation before it searches, so a
// reindex is picked up without restart); the answer goes back to the I/O
// thread. At most max_queued_searches requests wait for a worker; beyond
// that the answer is 503 with Retry-After. Widget files, errors and
// /health are answered on the I/O thread.
//
// Bounds: queries longer than max_query_bytes, limits above max_limit,
// offsets above max_offset, per_document above 1000, source or section
// above 200 bytes and malformed numbers or flags are refused with 400;
// parameters it does not know are ignored (the first value of a repeated
// name counts); a query stops after time_limit_ms (Xapian's Enquire time
// limit; results are the best found). Connections: a header block over
// max_header_bytes gets 431, a request line over max_request_line_bytes
// 414; a request with a body (GET with Content-Length or
// Transfer-Encoding), an HTTP/1.1 request without Host, malformed
// percent-encoding, an unknown method or version get 400; POST, PUT and
// the like 405. A request not complete request_timeout_ms after its first
// byte gets 408; a keep-alive connection idle for idle_timeout_ms, or a
// write stalled for write_timeout_ms, is closed. After an answer that
// closes the connection (errors of the message itself), the server stops
// sending and reads what the client still sends for at most 64 KB and
// close_linger_ms, so that the client reads the answer instead of a reset.
// Beyond max_connections open connections, a new one is closed at once.
// Pipelined requests are answered in order; a client that half-closes
// after its request still gets the answer.
//
// Errors from the index answer 503 with "the index could not be read; try
// again" and no file names or library text; the detail goes to the log at
// warning level.
//
// Privacy: query text is never logged above debug level and nothing is
// written to disk; request paths are logged at debug level only. Binds to
// 127.0.0.1 unless told otherwise.
//
// Thread safety: Stop() may be called from any thread; the other methods
// from one.
#ifndef CLINSEARCH_SERVER_SERVER_H_
#define CLINSEARCH_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "clinsearch/searcher.h"
#include "clinsearch/status.h"

namespace clinsearch {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Searchers (each with its own Xapian::Database), opened at start, and as
  // many worker threads: the searches that run at once. 0: 2 per core.
  size_t searchers = 0;
  // Requests waiting for a worker beyond which new ones get 503. 0: 64 per
  // searcher.
  size_t max_queued_searches = 0;
  // Open connections beyond which a new one is closed at once. Also held
  // below the open-file limit (whose soft limit Run() raises to the hard
  // one), less what the searchers need.
  size_t max_connections = 10000;
  size_t max_header_bytes = 16 * 1024;       // the whole header block (431)
  size_t max_request_line_bytes = 8 * 1024;  // the request target (414)
  unsigned request_timeout_ms = 10000;       // first byte to end of header (408)
  unsigned idle_timeout_ms = 5000;           // keep-alive, waiting for a request
  unsigned write_timeout_ms = 10000;         // writing one answer
  unsigned close_linger_ms = 1000;           // reading after a closing answer
  size_t max_query_bytes = 2000;             // longer q= is refused (400)
  size_t max_limit = 100;                    // larger limit= is refused (400)
  size_t max_offset = 10000;                 // larger offset= is refused (400)
  unsigned time_limit_ms = 500;              // per query; 0: none
  unsigned reopen_interval_ms = 1000;
  // Origins allowed to call the API from a browser (CORS): a request whose
  // Origin is listed gets it back in Access-Control-Allow-Origin (with
  // Vary: Origin); "*" allows any; one origin alone is also sent to
  // requests without an Origin header. Empty: no CORS headers.
  std::vector<std::string> cors_origins;
  SearcherOptions searcher;
};

class Server {
 public:
  // Checks that the index opens (the error names the folder) and prepares
  // the routes; binds nothing yet.
  static Result<Server> Create(const std::string& db_path, const ServerOptions& options = {});

  Server(Server&&) noexcept;
  Server& operator=(Server&&) noexcept;
  ~Server();

  // Binds host:port. Fails with IoError if the address cannot be bound.
  Status Bind();
  // The bound port (after Bind), or 0.
  int port() const;
  // Binds if needed, then serves until Stop(). Fails with IoError if the
  // address cannot be bound.
  Status Run();
  // Makes Run() return: stops accepting, closes idle and reading connections,
  // answers the requests already with a worker, drops those still queued;
  // from any thread, before or during Run().
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SERVER_SERVER_H_
