// SPDX-License-Identifier: GPL-2.0-or-later
#include "server/http_protocol.h"

#include <xapian.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <cstdint>
#include <limits>

#include "base/coding.h"
#include "base/json_writer.h"
#include "clinsearch/version.h"
#include "server/widget_assets.h"

namespace clinsearch::http {
namespace {

namespace bhttp = boost::beast::http;

// The length of the first line of `received`, or of all of it when no line
// end has arrived yet.
size_t FirstLineLength(std::string_view received) {
  const size_t end = received.find('\n');
  return end == std::string_view::npos ? received.size() : end;
}

Decision Refuse(int status, std::string_view message) {
  Decision d;
  d.reply = ErrorReply(status, message);
  d.keep_alive = false;
  return d;
}

// A header the parser would not take: too long, or not HTTP.
Decision RefuseUnread(boost::beast::error_code read_error, std::string_view received,
                      const ServerOptions& options) {
  if (read_error == bhttp::error::header_limit || read_error == bhttp::error::buffer_overflow) {
    if (FirstLineLength(received) > options.max_request_line_bytes)
      return Refuse(414, "the request line is too long");
    return Refuse(431, "the request header is too large");
  }
  return Refuse(400, "bad request");
}

bool KnownMethodNotServed(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::post:
    case bhttp::verb::put:
    case bhttp::verb::delete_:
    case bhttp::verb::patch:
    case bhttp::verb::trace:
    case bhttp::verb::connect:
      return true;
    default:
      return false;
  }
}

bool HasBody(const RequestParser& parser) {
  const auto& req = parser.get();
  if (parser.chunked() || req.count(bhttp::field::transfer_encoding) > 0) return true;
  const auto length = parser.content_length();
  return length && *length > 0;
}

// The checks every request passes before its path is looked at; nullopt
// when it passed them.
std::optional<Decision> RefuseMessage(const RequestParser& parser, const ServerOptions& options) {
  const auto& req = parser.get();
  if (req.version() != 10 && req.version() != 11) return Refuse(400, "unsupported HTTP version");
  if (req.method() == bhttp::verb::unknown) return Refuse(400, "unknown method");
  if (req.target().size() > options.max_request_line_bytes)
    return Refuse(414, "the request line is too long");
  const size_t hosts = req.count(bhttp::field::host);
  if (hosts > 1 || (hosts == 0 && req.version() == 11))
    return Refuse(400, "an HTTP/1.1 request needs one Host header");
  if (KnownMethodNotServed(req.method())) {
    Decision d = Refuse(405, "only GET is served");
    d.reply.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
    return d;
  }
  if (HasBody(parser)) return Refuse(400, "requests carry no body");
  return std::nullopt;
}

const WidgetAsset* FindAsset(std::string_view path) {
  for (const WidgetAsset& asset : WidgetAssets()) {
    if (path == asset.path) return &asset;
  }
  return nullptr;
}

bool IsEndpoint(std::string_view path) {
  return path == "/search" || path == "/suggest" || path == "/health" || path == "/stats" ||
         path == "/version" || (path.size() > 5 && path.substr(0, 5) == "/doc/") ||
         FindAsset(path) != nullptr;
}

// The entity tag of a widget file: a hash of its bytes, fixed for the
// life of the program (the files are compiled in).
const std::string& AssetTag(const WidgetAsset& asset) {
  static const std::vector<std::string> tags = [] {
    std::vector<std::string> out;
    for (const WidgetAsset& a : WidgetAssets()) out.push_back("\"" + Hex64(Fnv1a(a.body)) + "\"");
    return out;
  }();
  return tags[static_cast<size_t>(&asset - WidgetAssets().data())];
}

// Whether an If-None-Match header value names `tag` (or is "*").
bool NamesTag(std::string_view if_none_match, std::string_view tag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  return if_none_match.find(tag) != std::string_view::npos;
}

// A widget file, or 304 when the client's copy is current. Browsers ask
// again each time (no-cache), and a 304 costs no body.
void AnswerAsset(const WidgetAsset& asset, std::string_view if_none_match, Decision* d) {
  const std::string& tag = AssetTag(asset);
  d->reply.headers = {{"ETag", tag}, {"Cache-Control", "no-cache"}};
  if (NamesTag(if_none_match, tag)) {
    d->reply.status = 304;
    return;
  }
  d->reply.content_type = asset.content_type;
  d->reply.body = std::string(asset.body);
}

// The Access-Control-Allow-Origin value for a request from `origin` (empty:
// none sent), per ServerOptions::cors_origins.
std::string AllowedOrigin(const ServerOptions& options, std::string_view origin) {
  const auto& allowed = options.cors_origins;
  if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) return "*";
  if (!origin.empty()) {
    return std::find(allowed.begin(), allowed.end(), origin) != allowed.end() ? std::string(origin)
                                                                              : std::string();
  }
  return allowed.size() == 1 ? allowed.front() : std::string();
}

// OPTIONS: a CORS preflight on a path that exists; 404 elsewhere.
void AnswerOptions(const std::string& path, const ServerOptions& options, Decision* d) {
  if (!IsEndpoint(path)) {
    d->reply = ErrorReply(404, "no such endpoint");
    return;
  }
  d->reply.status = 204;
  if (options.cors_origins.empty()) return;
  d->reply.headers = {{"Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"},
                      {"Access-Control-Allow-Headers", "Content-Type"},
                      {"Access-Control-Max-Age", "86400"}};
}

RequestLimits LimitsOf(const ServerOptions& options) {
  RequestLimits limits;
  limits.max_query_bytes = options.max_query_bytes;
  limits.max_limit = options.max_limit;
  limits.max_offset = options.max_offset;
  return limits;
}

void RouteSearch(const RequestParams& params, const ServerOptions& options, Decision* d) {
  auto request = ParseSearchRequest(params, LimitsOf(options));
  if (!request.ok()) {
    d->reply = ErrorReply(400, request.status().message());
    return;
  }
  d->search = std::move(*request);
  d->search.options.time_limit_ms = options.time_limit_ms;
  d->endpoint = Endpoint::kSearch;
}

void RouteSuggest(const RequestParams& params, const ServerOptions& options, Decision* d) {
  const auto q = params.find("q");
  d->text = q == params.end() ? "" : q->second;
  if (d->text.size() > options.max_query_bytes) {
    d->reply =
        ErrorReply(400, "q is longer than " + std::to_string(options.max_query_bytes) + " bytes");
    return;
  }
  d->limit = 8;
  if (const auto limit = params.find("limit"); limit != params.end()) {
    auto n = ParseWholeNumber("limit", limit->second, 50);
    if (!n.ok()) {
      d->reply = ErrorReply(400, n.status().message());
      return;
    }
    d->limit = *n;
  }
  d->endpoint = Endpoint::kSuggest;
}

// The /version answer: this build's and Xapian's versions.
std::string VersionJson() {
  JsonWriter w;
  w.BeginObject();
  w.Member("version", CLINSEARCH_VERSION_STRING);
  w.Member("xapian", Xapian::version_string());
  w.EndObject();
  return w.Take();
}

void RouteGet(const std::string& path, const RequestParams& params, const ServerOptions& options,
              std::string_view if_none_match, Decision* d) {
  if (path == "/search") return RouteSearch(params, options, d);
  if (path == "/suggest") return RouteSuggest(params, options, d);
  if (path == "/health") {
    d->endpoint = Endpoint::kHealth;
    return;
  }
  if (path == "/stats") {
    d->endpoint = Endpoint::kStats;
    return;
  }
  if (path == "/version") {
    d->reply.content_type = "application/json; charset=utf-8";
    d->reply.body = VersionJson();  // {"version": "0.5.0", "xapian": "1.4.22"}
    return;
  }
  if (path.size() > 5 && path.compare(0, 5, "/doc/") == 0) {
    d->text = path.substr(5);
    if (d->text.size() > 2000) {
      d->reply = ErrorReply(400, "document id too long");
      return;
    }
    d->endpoint = Endpoint::kDocument;
    return;
  }
  // The search widget, compiled in: no path reaches the disk.
  if (const WidgetAsset* asset = FindAsset(path)) return AnswerAsset(*asset, if_none_match, d);
  d->reply = ErrorReply(404, "no such endpoint");
}

// The path and parameters of a request that passed RefuseMessage().
void Route(const RequestParser& parser, const ServerOptions& options, Decision* d) {
  const std::string_view target = parser.get().target();
  const size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  if (raw_path.empty() || raw_path[0] != '/') {  // absolute-form, '*': nothing here
    d->reply = ErrorReply(404, "no such endpoint");
    return;
  }
  if (!PercentDecode(raw_path, false, &d->path)) {
    d->path.clear();
    d->reply = ErrorReply(400, "malformed percent-encoding in the path");
    return;
  }
  RequestParams params;
  if (question != std::string_view::npos &&
      !ParseQueryString(target.substr(question + 1), &params)) {
    d->reply = ErrorReply(400, "malformed percent-encoding in the query");
    return;
  }
  if (parser.get().method() == bhttp::verb::options) return AnswerOptions(d->path, options, d);
  RouteGet(d->path, params, options, parser.get()[bhttp::field::if_none_match], d);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// CORS headers for a request from `origin`, when CORS is configured.
void AppendCors(const ServerOptions& options, std::string_view origin, std::string& out) {
  if (options.cors_origins.empty()) return;
  const std::string allowed = AllowedOrigin(options, origin);
  if (!allowed.empty()) out += "Access-Control-Allow-Origin: " + allowed + "\r\n";
  if (allowed != "*") out += "Vary: Origin\r\n";
}

}  // namespace

void ConfigureParser(RequestParser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  // Bodies are never read; a declared one is refused by its header, whatever its size.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

Decision Decide(const RequestParser& parser, boost::beast::error_code read_error,
                std::string_view received, const ServerOptions& options) {
  if (read_error) return RefuseUnread(read_error, received, options);
  Decision d;
  const auto& req = parser.get();
  d.method = std::string(req.method_string());
  d.http10 = req.version() == 10;
  if (auto refused = RefuseMessage(parser, options)) {
    refused->method = d.method;
    refused->http10 = d.http10;
    return *refused;
  }
  d.head = req.method() == bhttp::verb::head;
  d.keep_alive = parser.keep_alive();
  d.origin = std::string(req[bhttp::field::origin]);
  Route(parser, options, &d);
  return d;
}

std::optional<Decision> DecideBytes(std::string_view bytes, const ServerOptions& options) {
  RequestParser parser;
  ConfigureParser(parser, options);
  parser.eager(false);
  boost::beast::error_code ec;
  // The server's read buffer holds a little more than the header limit.
  const std::string_view window = bytes.substr(0, options.max_header_bytes + 1);
  parser.put(boost::asio::buffer(window.data(), window.size()), ec);
  if (ec == bhttp::error::need_more) {
    if (bytes.size() <= options.max_header_bytes) return std::nullopt;
    ec = bhttp::error::header_limit;  // what the server's read says at the limit
  }
  if (!ec && !parser.is_header_done()) return std::nullopt;
  return Decide(parser, ec, bytes, options);
}

Reply ErrorReply(int status, std::string_view message) {
  JsonWriter w;
  w.BeginObject();
  w.Member("error", message);
  w.Key("status");
  w.Int(status);
  w.EndObject();
  Reply reply;
  reply.status = status;
  reply.content_type = "application/json; charset=utf-8";
  reply.body = w.Take();
  return reply;
}

std::string Serialize(const Reply& reply, const Decision& decision, const ServerOptions& options) {
  std::string out;
  out.reserve(256 + (decision.head ? 0 : reply.body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(reply.status);
  out += ' ';
  out += std::string_view(bhttp::obsolete_reason(bhttp::int_to_status(reply.status)));
  out += "\r\n";
  const bool bodiless = reply.status == 204 || reply.status == 304;
  if (!reply.content_type.empty()) out += "Content-Type: " + reply.content_type + "\r\n";
  if (!bodiless) out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  bool cache_control = false;
  for (const auto& [name, value] : reply.headers) {
    out += name + ": " + value + "\r\n";
    cache_control = cache_control || name == "Cache-Control";
  }
  if (!cache_control) out += "Cache-Control: no-store\r\n";
  AppendCors(options, decision.origin, out);
  if (!decision.keep_alive) {
    out += "Connection: close\r\n";
  } else if (decision.http10) {  // HTTP/1.0 closes unless told otherwise
    out += "Connection: keep-alive\r\nKeep-Alive: timeout=" +
           std::to_string(options.idle_timeout_ms / 1000) + "\r\n";
  }
  out += "\r\n";
  if (!decision.head && !bodiless) out += reply.body;
  return out;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else if (c != '%') {
      out->push_back(c);
    } else {
      if (in.size() - i < 3) return false;
      const int high = HexValue(in[i + 1]), low = HexValue(in[i + 2]);
      if (high < 0 || low < 0) return false;
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return true;
}

bool ParseQueryString(std::string_view query, RequestParams* params) {
  std::string name, value;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (!PercentDecode(pair.substr(0, eq), true, &name)) return false;
    if (!PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                       true, &value))
      return false;
    params->emplace(name, value);  // the first value of a repeated name stays
  }
  return true;
}

}  // namespace clinsearch::http
