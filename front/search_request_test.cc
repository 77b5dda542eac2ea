// SPDX-License-Identifier: GPL-2.0-or-later
// The reader of search requests shared by HTTP and C: defaults, each
// bound, malformed numbers and flags, and the C options JSON's typing.
#include "front/search_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clinsearch {
namespace {

Result<SearchRequest> Parse(RequestParams params, const RequestLimits& limits = {}) {
  if (!params.count("q")) params["q"] = "freeze tumor";
  return ParseSearchRequest(params, limits);
}

// The message of a refused request, or "" if it was accepted.
std::string Refusal(const RequestParams& params, const RequestLimits& limits = {}) {
  auto request = Parse(params, limits);
  if (request.ok()) return "";
  EXPECT_EQ(request.status().code(), Status::Code::kInvalidArgument);
  return request.status().message();
}

// The options both full-request tests ask for beside limit and offset.
void ExpectPortalOptions(const SearchOptions& o) {
  EXPECT_EQ(o.per_document, 0u);
  EXPECT_EQ(o.source, "Kidney Portal");
  EXPECT_EQ(o.heading, "treatment");
  EXPECT_TRUE(o.facets);
  EXPECT_FALSE(o.spelling);
  EXPECT_FALSE(o.expand);
}

TEST(SearchRequestTest, DefaultsAreThePortalsOnePassagePerDocument) {
  auto request = Parse({});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->query, "freeze tumor");
  const SearchOptions& o = request->options;
  EXPECT_EQ(o.limit, 10u);
  EXPECT_EQ(o.offset, 0u);
  EXPECT_EQ(o.per_document, 1u);  // the library's default is 0
  EXPECT_EQ(SearchOptions{}.per_document, 0u);
  EXPECT_TRUE(o.spelling);
  EXPECT_TRUE(o.expand);
  EXPECT_FALSE(o.facets);
  EXPECT_EQ(o.source, "");
  EXPECT_EQ(o.heading, "");
  EXPECT_EQ(o.time_limit_ms, 0u);
}

TEST(SearchRequestTest, EveryParameterIsRead) {
  auto request = Parse({{"q", "kidney stones"},
                        {"limit", "5"},
                        {"offset", "20"},
                        {"per_document", "0"},
                        {"source", "Kidney Portal"},
                        {"section", "treatment"},
                        {"facets", "1"},
                        {"spelling", "false"},
                        {"expand", "off"}});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  const SearchOptions& o = request->options;
  EXPECT_EQ(request->query, "kidney stones");
  EXPECT_EQ(o.limit, 5u);
  EXPECT_EQ(o.offset, 20u);
  ExpectPortalOptions(o);
}

TEST(SearchRequestTest, UnknownParametersAreIgnored) {
  EXPECT_EQ(Refusal({{"_", "1733231"}, {"callback", "x"}}), "");
}

TEST(SearchRequestTest, TheQueryIsRequiredAndBounded) {
  EXPECT_EQ(Refusal({{"q", ""}}), "q is required: the words to search for");
  EXPECT_EQ(ParseSearchRequest({}, {}).status().message(),
            "q is required: the words to search for");
  EXPECT_EQ(Refusal({{"q", std::string(2000, 'a')}}), "");
  EXPECT_EQ(Refusal({{"q", std::string(2001, 'a')}}), "q is longer than 2000 bytes");
  RequestLimits small;
  small.max_query_bytes = 10;
  EXPECT_EQ(Refusal({{"q", std::string(11, 'a')}}, small), "q is longer than 10 bytes");
}

TEST(SearchRequestTest, EachNumberHasItsBounds) {
  struct Case {
    std::string name, value, refusal;
  };
  const std::vector<Case> cases = {
      {"limit", "1", ""},
      {"limit", "100", ""},
      {"limit", "0", "limit must be at least 1"},
      {"limit", "101", "limit must be at most 100"},
      {"offset", "0", ""},
      {"offset", "10000", ""},
      {"offset", "10001", "offset must be at most 10000"},
      {"per_document", "0", ""},
      {"per_document", "1000", ""},
      {"per_document", "1001", "per_document must be at most 1000"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Refusal({{c.name, c.value}}), c.refusal) << c.name << "=" << c.value;
  }
}

TEST(SearchRequestTest, LimitsComeFromTheCaller) {
  RequestLimits limits;
  limits.max_limit = 5;
  limits.max_offset = 50;
  EXPECT_EQ(Refusal({{"limit", "5"}, {"offset", "50"}}, limits), "");
  EXPECT_EQ(Refusal({{"limit", "6"}}, limits), "limit must be at most 5");
  EXPECT_EQ(Refusal({{"offset", "51"}}, limits), "offset must be at most 50");
}

TEST(SearchRequestTest, MalformedNumbersAreRefused) {
  for (const char* bad :
       {"", "abc", "-1", "+1", "1.5", "1e3", " 5", "5 ", "5x", "0x10", "99999999999999999999999"}) {
    for (const char* name : {"limit", "offset", "per_document"}) {
      EXPECT_EQ(Refusal({{name, bad}}), std::string(name) + " must be a whole number")
          << name << "=" << bad;
    }
  }
}

TEST(SearchRequestTest, TheFirstBadParameterIsNamed) {
  EXPECT_EQ(Refusal({{"limit", "x"}, {"offset", "x"}}), "limit must be a whole number");
  EXPECT_EQ(Refusal({{"q", ""}, {"limit", "x"}}), "q is required: the words to search for");
  EXPECT_EQ(Refusal({{"offset", "x"}, {"facets", "maybe"}}), "offset must be a whole number");
}

TEST(SearchRequestTest, FiltersAreBounded) {
  EXPECT_EQ(Refusal({{"source", std::string(200, 's')}, {"section", std::string(200, 's')}}), "");
  for (const char* name : {"source", "section"}) {
    EXPECT_EQ(Refusal({{name, std::string(201, 's')}}),
              "source and section must be at most 200 bytes")
        << name;
  }
}

TEST(SearchRequestTest, FlagsTakeTheUsualSpellings) {
  for (const char* yes : {"", "1", "true", "yes", "on"}) {
    auto request = Parse({{"facets", yes}, {"spelling", yes}, {"expand", yes}});
    ASSERT_TRUE(request.ok()) << yes;
    EXPECT_TRUE(request->options.facets) << yes;
    EXPECT_TRUE(request->options.spelling) << yes;
    EXPECT_TRUE(request->options.expand) << yes;
  }
  for (const char* no : {"0", "false", "no", "off"}) {
    auto request = Parse({{"facets", no}, {"spelling", no}, {"expand", no}});
    ASSERT_TRUE(request.ok()) << no;
    EXPECT_FALSE(request->options.facets) << no;
    EXPECT_FALSE(request->options.spelling) << no;
    EXPECT_FALSE(request->options.expand) << no;
  }
  for (const char* name : {"facets", "spelling", "expand"}) {
    EXPECT_EQ(Refusal({{name, "maybe"}}),
              std::string(name) + " must be 1 or 0 (or true/false, yes/no, on/off)");
  }
}

TEST(SearchRequestTest, WholeNumbersOnTheirOwn) {
  EXPECT_EQ(*ParseWholeNumber("limit", "50", 50), 50u);
  EXPECT_EQ(ParseWholeNumber("limit", "51", 50).status().message(), "limit must be at most 50");
  EXPECT_EQ(ParseWholeNumber("limit", "x", 50).status().message(), "limit must be a whole number");
}

// The C API's options JSON.

Result<SearchRequest> ParseJson(const std::string& json) {
  auto params = SearchParamsFromJson(json);
  if (!params.ok()) return params.status();
  (*params)["q"] = "freeze tumor";
  return ParseSearchRequest(*params, {});
}

std::string JsonRefusal(const std::string& json) {
  auto request = ParseJson(json);
  if (request.ok()) return "";
  EXPECT_EQ(request.status().code(), Status::Code::kInvalidArgument);
  return request.status().message();
}

TEST(SearchRequestJsonTest, NoOptionsMeansTheDefaults) {
  for (const char* none : {"", "{}"}) {
    auto request = ParseJson(none);
    ASSERT_TRUE(request.ok()) << none;
    EXPECT_EQ(request->options.limit, 10u);
    EXPECT_EQ(request->options.per_document, 1u);
  }
}

TEST(SearchRequestJsonTest, TypedValuesAreRead) {
  auto request = ParseJson(
      R"({"limit": 5, "offset": 10, "per_document": 0, "source": "Kidney Portal",
          "section": "treatment", "facets": true, "spelling": false, "expand": false})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  const SearchOptions& o = request->options;
  EXPECT_EQ(o.limit, 5u);
  EXPECT_EQ(o.offset, 10u);
  ExpectPortalOptions(o);
}

TEST(SearchRequestJsonTest, WrongTypesAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"limit": "5"})", "limit must be a whole number"},
      {R"({"limit": -1})", "limit must be a whole number"},
      {R"({"offset": 2.5})", "offset must be a whole number"},
      {R"({"per_document": true})", "per_document must be a whole number"},
      {R"({"limit": null})", "limit must be a whole number"},
      {R"({"facets": 1})", "facets must be true or false"},
      {R"({"spelling": "false"})", "spelling must be true or false"},
      {R"({"source": 5})", "source must be a string"},
      {R"({"section": ["a"]})", "section must be a string"},
  };
  for (const auto& [json, refusal] : cases) EXPECT_EQ(JsonRefusal(json), refusal) << json;
}

TEST(SearchRequestJsonTest, TheSameBoundsAsHttp) {
  EXPECT_EQ(JsonRefusal(R"({"limit": 100})"), "");
  EXPECT_EQ(JsonRefusal(R"({"limit": 101})"), "limit must be at most 100");
  EXPECT_EQ(JsonRefusal(R"({"limit": 0})"), "limit must be at least 1");
  EXPECT_EQ(JsonRefusal(R"({"offset": 10001})"), "offset must be at most 10000");
  EXPECT_EQ(JsonRefusal(R"({"per_document": 1001})"), "per_document must be at most 1000");
  EXPECT_EQ(JsonRefusal("{\"source\": \"" + std::string(201, 's') + "\"}"),
            "source and section must be at most 200 bytes");
}

TEST(SearchRequestJsonTest, UnknownKeysAndNonObjectsAreRefused) {
  const std::string known =
      " (known: limit, offset, per_document, source, section, facets, spelling, expand)";
  EXPECT_EQ(JsonRefusal(R"({"limt": 5})"), "unknown option \"limt\"" + known);
  EXPECT_EQ(JsonRefusal(R"({"q": "tumor"})"), "unknown option \"q\"" + known);
  for (const char* bad : {"not json", "[1, 2]", "5", "\"limit\"", "null", "{\"limit\": 5"}) {
    EXPECT_EQ(JsonRefusal(bad), "options must be a JSON object") << bad;
  }
}

}  // namespace
}  // namespace clinsearch
