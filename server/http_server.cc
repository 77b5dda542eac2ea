#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "base/json_writer.h"
#include "base/log.h"
#include "clinsearch/format.h"
#include "front/search_request.h"
#include "server/searcher_pool.h"
#include "server/server.h"
#include "server/widget_assets.h"

namespace clinsearch {
namespace {

using Clock = std::chrono::steady_clock;
void SendJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  JsonWriter w;
  w.BeginObject();
  w.Member("error", message);
  w.Key("status");
  w.Int(status);
  w.EndObject();
  SendJson(res, status, w.Take());
}

// The query string's parameters, the first value of a repeated name (as
// httplib's get_param_value gives it).
RequestParams ParamsOf(const httplib::Request& req) {
  RequestParams params;
  for (const auto& [name, value] : req.params) params.emplace(name, value);
  return params;
}

RequestLimits LimitsOf(const ServerOptions& options) {
  RequestLimits limits;
  limits.max_query_bytes = options.max_query_bytes;
  limits.max_limit = options.max_limit;
  limits.max_offset = options.max_offset;
  return limits;
}

int StatusFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kIoError:
      return 503;
    default:
      return 500;
  }
}

}  // namespace

struct Server::Impl {
  std::string db_path;
  ServerOptions options;
  httplib::Server http;
  int bound_port = 0;
  Clock::time_point started = Clock::now();
  std::atomic<uint64_t> requests{0}, errors{0};

  // The searchers, opened at start: their number (options.searchers)
  // bounds the searches running at once, while many more connections (one
  // thread each, for keep-alive) stay open; waiting requests are served
  // first come, first served (server/searcher_pool.h).
  std::unique_ptr<SearcherPool> pool;

  void WithSearcher(const std::function<void(Searcher&)>& use) { pool->With(use); }

  // The parameters and their defaults are front/search_request.h's, shared
  // with the C API.
  void Search(const httplib::Request& req, httplib::Response& res) {
    auto request = ParseSearchRequest(ParamsOf(req), LimitsOf(options));
    if (!request.ok()) return SendError(res, 400, request.status().message());
    request->options.time_limit_ms = options.time_limit_ms;
    WithSearcher([&](Searcher& searcher) {
      auto response = searcher.Search(request->query, request->options);
      if (!response.ok())
        return SendError(res, StatusFor(response.status()), response.status().message());
      SendJson(res, 200, FormatJson(*response));
    });
  }

  void Suggest(const httplib::Request& req, httplib::Response& res) {
    const std::string q = req.get_param_value("q");
    if (q.size() > options.max_query_bytes) {
      return SendError(res, 400,
                       "q is longer than " + std::to_string(options.max_query_bytes) + " bytes");
    }
    size_t limit = 8;
    if (req.has_param("limit")) {
      auto n = ParseWholeNumber("limit", req.get_param_value("limit"), 50);
      if (!n.ok()) return SendError(res, 400, n.status().message());
      limit = *n;
    }
    WithSearcher([&](Searcher& searcher) {
      SendJson(res, 200, FormatSuggestionsJson(q, searcher.Suggest(q, limit)));
    });
  }

  void Document(const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    if (id.size() > 2000) return SendError(res, 400, "document id too long");
    WithSearcher([&](Searcher& searcher) {
      auto passages = searcher.Passages(id);
      if (!passages.ok())
        return SendError(res, StatusFor(passages.status()), passages.status().message());
      SendJson(res, 200, FormatDocumentJson(id, *passages));
    });
  }

  void Health(httplib::Response& res) {
    WithSearcher([&](Searcher& searcher) {
      JsonWriter w;
      w.BeginObject();
      w.Member("status", "ok");
      w.Key("passages");
      w.Uint(searcher.passage_count());
      w.EndObject();
      SendJson(res, 200, w.Take());
    });
  }

  void Stats(httplib::Response& res) {
    WithSearcher([&](Searcher& searcher) {
      const IndexInfo info = searcher.Info();
      JsonWriter w;
      w.BeginObject();
      w.Key("passages");
      w.Uint(info.passages);
      w.Key("documents");
      w.Uint(info.documents);
      w.Key("generation");
      w.Int(info.generation);
      w.Key("shards");
      w.Uint(info.shards);
      w.Key("concepts");
      w.Uint(info.concepts);
      w.Key("dictionary_outdated");
      w.Bool(info.dictionary_outdated);
      w.Key("uptime_seconds");
      w.Int(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count());
      w.Key("requests");
      w.Uint(requests.load());
      w.Key("errors");
      w.Uint(errors.load());
      w.EndObject();
      SendJson(res, 200, w.Take());
    });
  }

  void Routes() {
    ConfigureTransport();
    InstallGuards();
    InstallEndpoints();
    InstallAssets();
    InstallErrorHandling();
  }

  // Connection limits and threads: small GET requests, answered quickly.
  void ConfigureTransport() {
    http.set_payload_max_length(16 * 1024);
    http.set_read_timeout(5, 0);
    http.set_write_timeout(5, 0);
    http.set_keep_alive_max_count(1000);
    http.set_tcp_nodelay(true);  // small JSON answers: no Nagle delay
    const size_t threads = options.threads > 0
                               ? options.threads
                               : std::max<size_t>(64, 8 * std::thread::hardware_concurrency());
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    if (!options.cors_origin.empty()) {
      http.set_default_headers(
          {{"Access-Control-Allow-Origin", options.cors_origin}, {"Vary", "Origin"}});
    }
  }

  // Before any route: count the request; only GET (and HEAD, and OPTIONS for
  // CORS preflights) without a body gets further.
  void InstallGuards() {
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS") {
        SendError(res, 405, "only GET is served");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (!req.body.empty()) {
        SendError(res, 400, "requests carry no body");
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.Options(R"(.*)", [this](const httplib::Request&, httplib::Response& res) {
      if (!options.cors_origin.empty()) {
        res.set_header("Access-Control-Allow-Methods", "GET, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Content-Type");
        res.set_header("Access-Control-Max-Age", "86400");
      }
      res.status = 204;
    });
  }

  void InstallEndpoints() {
    http.Get("/search",
             [this](const httplib::Request& req, httplib::Response& res) { Search(req, res); });
    http.Get("/suggest",
             [this](const httplib::Request& req, httplib::Response& res) { Suggest(req, res); });
    http.Get(R"(/doc/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) { Document(req, res); });
    http.Get("/health", [this](const httplib::Request&, httplib::Response& res) { Health(res); });
    http.Get("/stats", [this](const httplib::Request&, httplib::Response& res) { Stats(res); });
  }

  // The search widget, compiled in: no path reaches the disk.
  void InstallAssets() {
    for (const WidgetAsset& asset : WidgetAssets()) {
      const std::string body(asset.body), type(asset.content_type);
      auto serve = [body, type](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "no-cache");
        res.set_content(body, type.c_str());
      };
      http.Get(asset.path, serve);
    }
  }

  void InstallErrorHandling() {
    // Every answer of 400 and above passes here: count it, and give the
    // ones without a JSON body (unknown paths, bad requests httplib itself
    // refused) one.
    http.set_error_handler([this](const httplib::Request&, httplib::Response& res) {
      ++errors;
      if (!res.body.empty()) return;
      const int st = res.status;
      SendError(res, st,
                st == 404   ? "no such endpoint"
                : st == 414 ? "the request line is too long"
                : st == 413 ? "the request is too large"
                : st < 500  ? "bad request"
                            : "internal error");
    });
    http.set_exception_handler(
        [this](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
          ++errors;
          std::string what = "unknown error";
          try {
            std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          // An exception's text may quote the query (a term Xapian refused, say):
          // it goes to the debug log only.
          Log()->error("request failed with an internal error (details at debug level)");
          Log()->debug("request failed: {}", what);
          SendError(res, 500, "internal error");
        });
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      // The path only: query strings hold what people typed.
      Log()->debug("{} {} -> {}", req.method, req.path, res.status);
    });
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::Server(Server&&) noexcept = default;
Server& Server::operator=(Server&&) noexcept = default;
Server::~Server() = default;

Result<Server> Server::Create(const std::string& db_path, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->db_path = db_path;
  impl->options = options;
  // The searchers, opened now: a broken index fails here, with its message.
  auto pool = SearcherPool::Open(db_path, options.searchers, options.searcher,
                                 std::chrono::milliseconds(options.reopen_interval_ms));
  if (!pool.ok()) return pool.status();
  impl->pool = std::move(*pool);
  impl->Routes();
  return Server(std::move(impl));
}

Status Server::Bind() {
  Impl& im = *impl_;
  if (im.bound_port > 0) return Status::Ok();
  if (im.options.port == 0) {
    im.bound_port = im.http.bind_to_any_port(im.options.host);
  } else if (im.http.bind_to_port(im.options.host, im.options.port)) {
    im.bound_port = im.options.port;
  }
  if (im.bound_port <= 0) {
    im.bound_port = 0;
    return Status::IoError("cannot listen on " + im.options.host + ":" +
                           std::to_string(im.options.port) +
                           " (in use, or not an address of this machine)");
  }
  return Status::Ok();
}

int Server::port() const { return impl_->bound_port; }

Status Server::Run() {
  Status s = Bind();
  if (!s.ok()) return s;
  Log()->info("serving {} on http://{}:{}/", impl_->db_path, impl_->options.host,
              impl_->bound_port);
  if (!impl_->http.listen_after_bind()) return Status::IoError("the server stopped with an error");
  return Status::Ok();
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace clinsearch
