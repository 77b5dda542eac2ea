// SPDX-License-Identifier: GPL-2.0-or-later
// What the server decides from a request's bytes, without sockets
// (server/http_protocol.h). The socket-level behaviour is in
// tests/server_robustness_test.cc.
#include "server/http_protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "clinsearch/version.h"

namespace clinsearch::http {
namespace {

Decision MustDecide(const std::string& bytes, const ServerOptions& options = {}) {
  auto d = DecideBytes(bytes, options);
  EXPECT_TRUE(d.has_value()) << bytes;
  return d.value_or(Decision{});
}

int StatusOf(const std::string& bytes) {
  const Decision d = MustDecide(bytes);
  return d.endpoint == Endpoint::kNone ? d.reply.status : 0;  // 0: goes to an endpoint
}

std::string Get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
}

TEST(HttpProtocolTest, RoutesTheEndpoints) {
  EXPECT_EQ(MustDecide(Get("/search?q=tumor")).endpoint, Endpoint::kSearch);
  EXPECT_EQ(MustDecide(Get("/suggest?q=tu")).endpoint, Endpoint::kSuggest);
  EXPECT_EQ(MustDecide(Get("/health")).endpoint, Endpoint::kHealth);
  EXPECT_EQ(MustDecide(Get("/stats")).endpoint, Endpoint::kStats);
  const Decision doc = MustDecide(Get("/doc/ext%2Fkidney-1"));
  EXPECT_EQ(doc.endpoint, Endpoint::kDocument);
  EXPECT_EQ(doc.text, "ext/kidney-1");
  const Decision page = MustDecide(Get("/"));
  EXPECT_EQ(page.reply.status, 200);
  EXPECT_NE(page.reply.content_type.find("text/html"), std::string::npos);
  EXPECT_EQ(StatusOf(Get("/widget.js/")), 404);
  EXPECT_EQ(StatusOf(Get("/%2e%2e/%2e%2e/etc/passwd")), 404);
}

TEST(HttpProtocolTest, QueryParametersDecodeStrictlyAndTheFirstValueCounts) {
  const Decision d = MustDecide(Get("/search?q=kidney+stones%21&limit=3&limit=50&x"));
  ASSERT_EQ(d.endpoint, Endpoint::kSearch);
  EXPECT_EQ(d.search.query, "kidney stones!");
  EXPECT_EQ(d.search.options.limit, 3u);
  // review #7: malformed percent-encoding is refused, in the query and the path.
  for (const char* target : {"/search?q=%zz", "/search?q=abc%", "/search?q=abc%4", "/search?q%zz=1",
                             "/doc/a%g1", "/sea%rch?q=a"}) {
    EXPECT_EQ(StatusOf(Get(target)), 400) << target;
  }
}

// review #7: a GET with a body and HTTP/1.1 without Host are refused and
// the connection closes (the body's bytes could be taken for a request).
TEST(HttpProtocolTest, BodiesAndMissingHostAreRefusedAndClose) {
  for (const std::string& request :
       {std::string("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"),
        std::string(
            "GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        std::string("HEAD /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"),
        std::string("GET /health HTTP/1.1\r\n\r\n"),
        std::string("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")}) {
    const Decision d = MustDecide(request);
    EXPECT_EQ(d.reply.status, 400) << request;
    EXPECT_FALSE(d.keep_alive) << request;
  }
  EXPECT_EQ(MustDecide("GET /health HTTP/1.0\r\n\r\n").endpoint, Endpoint::kHealth);
  EXPECT_EQ(StatusOf("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 0);
}

TEST(HttpProtocolTest, MethodsAndVersions) {
  EXPECT_EQ(StatusOf("POST /search?q=a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"), 405);
  EXPECT_EQ(StatusOf("DELETE /search HTTP/1.1\r\nHost: x\r\n\r\n"), 405);
  EXPECT_EQ(StatusOf("FOO /search HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(StatusOf("get /search HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  for (const char* version : {"HTTP/0.9", "HTTP/2.0", "HTTP/9.9", "HTTX/1.1"}) {
    EXPECT_EQ(StatusOf(std::string("GET /health ") + version + "\r\nHost: x\r\n\r\n"), 400)
        << version;
  }
  EXPECT_EQ(StatusOf("GET /health HTTP/1.1\nHost: x\n\n"), 400);  // bare LF
  EXPECT_EQ(StatusOf(std::string("GET /hea\0lth HTTP/1.1\r\nHost: x\r\n\r\n", 35)), 400);
}

TEST(HttpProtocolTest, HeadAnswersHeadersOnly) {
  const Decision head = MustDecide("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(head.head);
  const std::string bytes = Serialize(head.reply, head, ServerOptions{});
  EXPECT_NE(bytes.find("Content-Length: "), std::string::npos);
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "\r\n\r\n");  // headers only
}

// review #4: the header block is capped (431), the request line too (414).
TEST(HttpProtocolTest, HeaderAndRequestLineLimits) {
  std::string flood = "GET /health HTTP/1.1\r\nHost: x\r\n";
  while (flood.size() < 40000) flood += "a: b\r\n";
  const Decision big = MustDecide(flood);
  EXPECT_EQ(big.reply.status, 431);
  EXPECT_FALSE(big.keep_alive);
  EXPECT_EQ(StatusOf(Get("/search?q=" + std::string(9000, 'a'))), 414);
  EXPECT_EQ(StatusOf(Get("/search?q=" + std::string(100000, 'a'))), 414);
  // Not finished yet, under the limit: the server waits for more.
  EXPECT_FALSE(DecideBytes("GET /health HTTP/1.1\r\nHost: x\r\n", ServerOptions{}).has_value());
}

// review #8 (odd): OPTIONS answers 204 only where there is an endpoint.
TEST(HttpProtocolTest, OptionsOnlyOnEndpoints) {
  ServerOptions cors;
  cors.cors_origins = {"https://portal.example"};
  const auto pre = DecideBytes("OPTIONS /search HTTP/1.1\r\nHost: x\r\n\r\n", cors);
  ASSERT_TRUE(pre.has_value());
  EXPECT_EQ(pre->reply.status, 204);
  const std::string bytes = Serialize(pre->reply, *pre, cors);
  EXPECT_NE(bytes.find("Access-Control-Allow-Methods: GET, HEAD, OPTIONS"), std::string::npos);
  EXPECT_NE(bytes.find("Access-Control-Allow-Origin: https://portal.example"), std::string::npos);
  EXPECT_EQ(bytes.find("Content-Length"), std::string::npos);
  EXPECT_EQ(StatusOf("OPTIONS /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n"), 404);
  EXPECT_EQ(StatusOf("OPTIONS /doc/x HTTP/1.1\r\nHost: x\r\n\r\n"), 204);
}

// review #30-adjacent quirk (§1.7): HTTP/1.0 answers carry Keep-Alive only
// when the client asked to keep the connection.
TEST(HttpProtocolTest, Http10KeepAliveOnlyWhenAsked) {
  const Decision plain = MustDecide("GET / HTTP/1.0\r\n\r\n");
  EXPECT_FALSE(plain.keep_alive);
  std::string bytes = Serialize(plain.reply, plain, ServerOptions{});
  EXPECT_EQ(bytes.find("Keep-Alive"), std::string::npos);
  EXPECT_NE(bytes.find("Connection: close"), std::string::npos);
  const Decision asked = MustDecide("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(asked.keep_alive);
  bytes = Serialize(asked.reply, asked, ServerOptions{});
  EXPECT_NE(bytes.find("Connection: keep-alive"), std::string::npos);
}

TEST(HttpProtocolTest, SearchParametersAreCheckedBeforeAnyWorker) {
  EXPECT_EQ(StatusOf(Get("/search")), 400);
  EXPECT_EQ(StatusOf(Get("/search?q=tumor&limit=0")), 400);
  EXPECT_EQ(StatusOf(Get("/suggest?q=tu&limit=x")), 400);
  EXPECT_EQ(StatusOf(Get("/doc/" + std::string(2001, 'a'))), 400);
  const Decision bad = MustDecide(Get("/search?q=tumor&offset=-1"));
  const auto j = nlohmann::json::parse(bad.reply.body);
  EXPECT_EQ(j["status"], 400);
  EXPECT_TRUE(j["error"].is_string());
}

// Portal trial §2: a list of origins, each answered with itself; "*"
// for any; an origin not listed gets no Access-Control-Allow-Origin.
TEST(HttpProtocolTest, CorsAnswersEachListedOrigin) {
  ServerOptions cors;
  cors.cors_origins = {"https://a.example", "https://b.example"};
  auto from = [&](const std::string& origin) {
    const Decision d =
        MustDecide("GET /health HTTP/1.1\r\nHost: x\r\nOrigin: " + origin + "\r\n\r\n", cors);
    return Serialize(d.reply, d, cors);
  };
  EXPECT_NE(from("https://a.example").find("Access-Control-Allow-Origin: https://a.example\r\n"),
            std::string::npos);
  EXPECT_NE(from("https://b.example").find("Access-Control-Allow-Origin: https://b.example\r\n"),
            std::string::npos);
  const std::string other = from("https://c.example");
  EXPECT_EQ(other.find("Access-Control-Allow-Origin"), std::string::npos);
  EXPECT_NE(other.find("Vary: Origin"), std::string::npos);
  cors.cors_origins = {"*"};
  EXPECT_NE(from("https://c.example").find("Access-Control-Allow-Origin: *\r\n"),
            std::string::npos);
  const Decision none = MustDecide(Get("/health"));
  EXPECT_EQ(Serialize(none.reply, none, ServerOptions{}).find("Access-Control"), std::string::npos);
}

// Portal trial §2: widget files carry an ETag and answer 304 to a client
// that has them; API answers are never stored by browsers or proxies.
TEST(HttpProtocolTest, WidgetFilesRevalidateAndAnswersAreNotStored) {
  const Decision js = MustDecide(Get("/widget.js"));
  ASSERT_EQ(js.reply.status, 200);
  std::string tag;
  for (const auto& [name, value] : js.reply.headers) {
    if (name == "ETag") tag = value;
  }
  ASSERT_FALSE(tag.empty());
  const std::string bytes = Serialize(js.reply, js, ServerOptions{});
  EXPECT_NE(bytes.find("Cache-Control: no-cache\r\n"), std::string::npos);
  EXPECT_EQ(bytes.find("no-store"), std::string::npos);
  const Decision again =
      MustDecide("GET /widget.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + tag + "\r\n\r\n");
  EXPECT_EQ(again.reply.status, 304);
  const std::string not_modified = Serialize(again.reply, again, ServerOptions{});
  EXPECT_EQ(not_modified.find("Content-Length"), std::string::npos);
  EXPECT_NE(not_modified.find("ETag: " + tag), std::string::npos);
  EXPECT_EQ(not_modified.substr(not_modified.size() - 4), "\r\n\r\n") << "no body";
  const Decision changed =
      MustDecide("GET /widget.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"old\"\r\n\r\n");
  EXPECT_EQ(changed.reply.status, 200);
  EXPECT_NE(MustDecide(Get("/")).reply.headers.size(), 0u);
  // An API answer (here an error; search answers take the same path).
  const Decision bad = MustDecide(Get("/search"));
  EXPECT_NE(Serialize(bad.reply, bad, ServerOptions{}).find("Cache-Control: no-store\r\n"),
            std::string::npos);
}

TEST(HttpProtocolTest, VersionNamesThisBuild) {
  const Decision v = MustDecide(Get("/version"));
  ASSERT_EQ(v.reply.status, 200);
  const auto json = nlohmann::json::parse(v.reply.body);
  EXPECT_EQ(json["version"], CLINSEARCH_VERSION_STRING);
  EXPECT_FALSE(json["xapian"].get<std::string>().empty());
}

}  // namespace
}  // namespace clinsearch::http
