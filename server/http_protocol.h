// SPDX-License-Identifier: GPL-2.0-or-later
// The HTTP side of the server without sockets: what a request's header
// (read by Beast's parser, with the limits of ServerOptions) asks for, and
// the bytes of the answer. The connection code (server/http_server.cc)
// reads and writes; this file decides. Kept apart so that the decision can
// be tested and fuzzed from bytes alone (tests/fuzz/fuzz_server.cc).
//
// Contract of Decide():
// - Answered at once (Decision::endpoint == kNone, `reply` set): errors,
//   the widget's compiled-in files, CORS preflights. A request that cannot
//   be trusted to end where the parser thinks it does (a parse error, a
//   header over the limit, a body, a missing Host) is answered with
//   keep_alive false: the connection closes after the answer.
// - Otherwise `endpoint` names the work, with its parameters already
//   checked (bad ones are answered at once with 400), for RunEndpoint()
//   (server/endpoints.h) on a worker, or for the server itself (kHealth).
// - Percent-encoding is strict: '%' must be followed by two hex digits in
//   the path and in the query, or the request gets 400.
// - The widget's files carry an ETag; a request whose If-None-Match names
//   it gets 304 without a body. Every other answer that does not set its
//   own Cache-Control gets "no-store": answers to patients' queries are not
//   kept by browsers or proxies.
#ifndef CLINSEARCH_SERVER_HTTP_PROTOCOL_H_
#define CLINSEARCH_SERVER_HTTP_PROTOCOL_H_

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "front/search_request.h"
#include "server/server.h"

namespace clinsearch::http {

// The parser of one request: header only, since requests carry no body.
using RequestParser = boost::beast::http::request_parser<boost::beast::http::empty_body>;

// An answer before it is written.
struct Reply {
  int status = 200;
  std::string content_type;  // empty: no Content-Type (204)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the usual ones
};

enum class Endpoint { kNone, kSearch, kSuggest, kDocument, kHealth, kStats };

struct Decision {
  Endpoint endpoint = Endpoint::kNone;
  Reply reply;               // the answer when endpoint is kNone
  SearchRequest search;      // kSearch
  std::string text;          // kSuggest: the prefix; kDocument: the id
  size_t limit = 0;          // kSuggest
  bool head = false;         // HEAD: headers only
  bool keep_alive = false;   // the connection may carry another request
  bool http10 = false;       // an HTTP/1.0 request
  std::string method, path;  // for the debug log: never the query string
  std::string origin;        // the request's Origin header, for CORS
};

// The message of every 5xx caused by the index: no path, no library text.
inline constexpr std::string_view kIndexUnavailable = "the index could not be read; try again";

// Sets `parser`'s limits from `options` (max_header_bytes).
void ConfigureParser(RequestParser& parser, const ServerOptions& options);

// What to do with a request whose header the parser read (`read_error`
// empty) or refused (`read_error` from Beast's http category, or
// header_limit / buffer_overflow when the header is too long). `received`
// is the start of the bytes read for this request, to tell an over-long
// request line (414) from an over-long header block (431).
Decision Decide(const RequestParser& parser, boost::beast::error_code read_error,
                std::string_view received, const ServerOptions& options);

// Decide() on `bytes` as if they had arrived on a fresh connection; nullopt
// when they end before the header does (the server would wait for more).
std::optional<Decision> DecideBytes(std::string_view bytes, const ServerOptions& options);

// A JSON error answer: {"error": message, "status": status}.
Reply ErrorReply(int status, std::string_view message);

// The bytes of `reply` for `decision`'s request: status line, headers
// (Content-Length, Cache-Control, CORS per `options.cors_origins` and the
// request's Origin, Connection), and the body unless the request was HEAD
// (or the answer is 204 or 304).
std::string Serialize(const Reply& reply, const Decision& decision, const ServerOptions& options);

// Percent-decodes `in` into `out`; false on a '%' not followed by two hex
// digits. With `plus_is_space` (query strings), '+' is a space.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

// Parses a query string ("a=1&b=&c"): the first value of a repeated name.
// False on malformed percent-encoding.
bool ParseQueryString(std::string_view query, RequestParams* params);

}  // namespace clinsearch::http

#endif  // CLINSEARCH_SERVER_HTTP_PROTOCOL_H_
