// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for the response formats (clinsearch/format.h): the JSON
// snippet is HTML with the text escaped and the matches in <mark>.
#include "clinsearch/format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace clinsearch {
namespace {

std::string SnippetOf(const std::string& snippet,
                      std::vector<std::pair<size_t, size_t>> highlights) {
  SearchResponse response;
  response.query = "q";
  Hit hit;
  hit.rank = 1;
  hit.snippet = snippet;
  hit.passage = snippet;
  hit.highlights = std::move(highlights);
  response.hits.push_back(hit);
  const auto json = nlohmann::json::parse(FormatJson(response));
  return json["results"][0]["snippet"].get<std::string>();
}

TEST(FormatJsonTest, SnippetEscapesHtmlAndMarksMatches) {
  EXPECT_EQ(SnippetOf("plain text", {}), "plain text");
  EXPECT_EQ(SnippetOf("a<b & \"c\" > d", {}), "a&lt;b &amp; &quot;c&quot; &gt; d");
  EXPECT_EQ(SnippetOf("<<&&>>", {}), "&lt;&lt;&amp;&amp;&gt;&gt;");
  // "x<y" marked: the mark's inside is escaped too, the text around it kept.
  EXPECT_EQ(SnippetOf("if x<y then & go", {{3, 6}}), "if <mark>x&lt;y</mark> then &amp; go");
  EXPECT_EQ(SnippetOf("\u2026 caf\u00e9 & tea", {{4, 9}}),
            "\u2026 <mark>caf\u00e9</mark> &amp; tea");
}

TEST(FormatJsonTest, HighlightsOutsideTheSnippetAreSkipped) {
  EXPECT_EQ(SnippetOf("short", {{2, 40}}), "short");
  EXPECT_EQ(SnippetOf("one two", {{4, 7}, {0, 3}}), "one <mark>two</mark>");
}

}  // namespace
}  // namespace clinsearch
