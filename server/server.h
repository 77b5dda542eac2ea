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
//   GET /health                 {"status": "ok"} while the index answers
//   GET /stats                  passages, documents, generation, dictionary
//   GET / (and /widget.js, /widget.css)   the search widget
//
// Threads: `threads` connection threads share `searchers` Searchers (each
// with its own Xapian::Database, opened at start), one per running search.
// A searcher unused for reopen_interval_ms checks for a new commit or index
// generation before it searches, so a reindex is picked up without restart.
//
// Bounds: queries longer than max_query_bytes, limits above max_limit,
// offsets above max_offset, per_document above 1000, source or section
// above 200 bytes and malformed numbers or flags are refused with 400;
// parameters it does not know are ignored; a query stops after
// time_limit_ms (Xapian's Enquire time limit; results are the best found);
// request bodies are refused; only GET (and OPTIONS for CORS) is served.
//
// Privacy: query text is never logged above debug level and nothing is
// written to disk. Binds to 127.0.0.1 unless told otherwise.
//
// Thread safety: Stop() may be called from any thread; the other methods
// from one.
#ifndef CLINSEARCH_SERVER_SERVER_H_
#define CLINSEARCH_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "clinsearch/searcher.h"
#include "clinsearch/status.h"

namespace clinsearch {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Connection threads (each keep-alive connection holds one); 0: 8 per
  // core, at least 64.
  size_t threads = 0;
  // Searchers (each with its own Xapian::Database), opened at start: the
  // searches that run at once; more requests wait for a free one. 0: 2 per core.
  size_t searchers = 0;
  size_t max_query_bytes = 2000;  // longer q= is refused (400)
  size_t max_limit = 100;         // larger limit= is refused (400)
  size_t max_offset = 10000;      // larger offset= is refused (400)
  unsigned time_limit_ms = 500;   // per query; 0: none
  unsigned reopen_interval_ms = 1000;
  // Access-Control-Allow-Origin sent with every answer ("*" or an origin);
  // empty: no CORS headers.
  std::string cors_origin;
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
  // Makes Run() return after the requests in progress; from any thread.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SERVER_SERVER_H_
