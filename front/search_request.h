// SPDX-License-Identifier: GPL-2.0-or-later
// Search requests from the outside: the one reader of a query and its
// SearchOptions for the interfaces other programs call, the HTTP /search
// endpoint (server/http_server.cc) and the C API's cs_search
// (capi/c_api.cc). Both accept the same parameters, with the same defaults,
// bounds and error messages:
//
//   q             the query text; required, at most max_query_bytes
//   limit         results wanted, 1 to max_limit (default 10)
//   offset        results to skip, for paging, 0 to max_offset (default 0)
//   per_document  passages per document, 0 (any) to max_per_document
//                 (default 1)
//   source        only documents from this source (at most max_filter_bytes)
//   section       only passages whose heading has these words (idem)
//   facets        count matching passages per source (default false)
//   spelling      correct unknown words (default true)
//   expand        expand with the clinical dictionary (default true)
//
// per_document defaults to 1, one passage per document, which is what a
// portal's result list shows; the library and the CLI default to 0 (any
// number, SearchOptions::per_document).
//
//   RequestParams params = {{"q", "freeze tumor"}, {"limit", "5"}};
//   Result<SearchRequest> request = ParseSearchRequest(params, RequestLimits{});
//   if (!request.ok()) return BadRequest(request.status().message());
//   auto response = searcher.Search(request->query, request->options);
#ifndef CLINSEARCH_FRONT_SEARCH_REQUEST_H_
#define CLINSEARCH_FRONT_SEARCH_REQUEST_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "clinsearch/searcher.h"
#include "clinsearch/status.h"

namespace clinsearch {

// Bounds on what a caller may ask for; larger values are refused, not
// clamped, so a caller learns that it did not get what it asked for. The
// defaults are ServerOptions' (server/server.h).
struct RequestLimits {
  size_t max_query_bytes = 2000;
  size_t max_limit = 100;
  size_t max_offset = 10000;
  size_t max_per_document = 1000;
  size_t max_filter_bytes = 200;  // source and section
  // Type-ahead (GET /suggest, cs_suggest): suggestions wanted, at most
  // this; the prefix is bounded by max_query_bytes.
  size_t max_suggest_limit = 50;
  size_t max_document_id_bytes = 2000;  // GET /doc/{id}, cs_document
};

// Suggestions given when the caller does not say how many.
inline constexpr size_t kDefaultSuggestLimit = 8;

// A caller's parameters by name, as text: an HTTP query string's values
// (the first of a repeated name), or a C caller's options made text by
// SearchParamsFromJson.
using RequestParams = std::map<std::string, std::string, std::less<>>;

struct SearchRequest {
  std::string query;
  SearchOptions options;  // time_limit_ms is left 0: the caller's setting
};

// Reads the parameters listed at the top of this file. Fails with
// InvalidArgument naming the first bad parameter: q missing or empty or too
// long, a number that is not a whole number or is out of its bounds, a flag
// that is not 1/0, true/false, yes/no or on/off (an empty value is true: a
// bare "facets"), a filter too long. Other names are ignored (HTTP clients
// add their own, cache busters for one).
Result<SearchRequest> ParseSearchRequest(const RequestParams& params, const RequestLimits& limits);

// `text` as a whole number in [0, max]; InvalidArgument naming `name` if it
// is not one ("-1", "", "5x", "1e3" are not).
Result<size_t> ParseWholeNumber(std::string_view name, std::string_view text, size_t max);

// A C caller's options JSON (an object, or empty for none) as parameters:
// numbers must be JSON non-negative integers, flags JSON booleans, source
// and section JSON strings, and any other key, "q" included (the query is
// an argument of its own), is refused. Fails with InvalidArgument.
Result<RequestParams> SearchParamsFromJson(std::string_view options_json);

}  // namespace clinsearch

#endif  // CLINSEARCH_FRONT_SEARCH_REQUEST_H_
