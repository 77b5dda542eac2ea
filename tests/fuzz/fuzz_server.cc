// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: raw bytes as the start of a connection, through the
// server's request handling without sockets: Beast's header parser with
// the server's limits, the checks and routing of server/http_protocol.cc,
// and, for a request that reaches an endpoint, the endpoint itself on a
// Searcher of an index of corpus/ opened once (server/endpoints.cc).
// Checks: the decision is a well-formed answer (a status line, an error as
// JSON {"error", "status"} with its own status), never a 500, and a request
// the parser refused closes its connection.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/endpoints.h"
#include "server/http_protocol.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

clinsearch::Searcher& TheSearcher() {
  static clinsearch::Searcher* searcher = [] {
    auto opened = clinsearch::Searcher::Open(clinsearch::fuzz::BuildCorpusIndex());
    FUZZ_CHECK(opened.ok());
    return new clinsearch::Searcher(std::move(*opened));
  }();
  return *searcher;
}

clinsearch::ServerOptions Options() {
  clinsearch::ServerOptions options;
  options.time_limit_ms = 200;
  return options;
}

void CheckAnswer(const clinsearch::http::Reply& reply, const clinsearch::http::Decision& d,
                 const clinsearch::ServerOptions& options) {
  FUZZ_CHECK(reply.status >= 200 && reply.status < 600);
  FUZZ_CHECK(reply.status != 500);
  const std::string bytes = clinsearch::http::Serialize(reply, d, options);
  FUZZ_CHECK(bytes.rfind("HTTP/1.1 ", 0) == 0);
  FUZZ_CHECK(bytes.find("\r\n\r\n") != std::string::npos);
  if (reply.status < 400) return;
  const auto j = nlohmann::json::parse(reply.body, nullptr, false);
  FUZZ_CHECK(j.is_object() && j["error"].is_string() && j["status"] == reply.status);
  if (reply.status == 414 || reply.status == 431) FUZZ_CHECK(!d.keep_alive);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clinsearch::fuzz::QuietLogs();
  TheSearcher();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const clinsearch::ServerOptions options = Options();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decision = clinsearch::http::DecideBytes(bytes, options);
  if (!decision) return 0;  // the header has not ended: the server would wait
  using clinsearch::http::Endpoint;
  if (decision->endpoint == Endpoint::kNone || decision->endpoint == Endpoint::kHealth) {
    if (decision->endpoint == Endpoint::kNone) CheckAnswer(decision->reply, *decision, options);
    return 0;
  }
  const auto result = clinsearch::http::RunEndpoint(*decision, TheSearcher(), {});
  CheckAnswer(result.reply, *decision, options);
  return 0;
}
