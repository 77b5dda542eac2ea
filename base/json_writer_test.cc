// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for JsonWriter (base/json_writer.h): its output equals
// nlohmann's for the same values, and always parses.
#include "base/json_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace clinsearch {
namespace {

std::string Nlohmann(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string OneString(std::string_view s) {
  JsonWriter w;
  w.String(s);
  return w.Take();
}

TEST(JsonWriterTest, NestedValuesMatchNlohmann) {
  JsonWriter w;
  w.BeginObject();
  w.Key("query");
  w.String("freeze \"tumor\"\n");
  w.Key("total");
  w.Uint(42);
  w.Key("results");
  w.BeginArray();
  for (int i = 0; i < 2; ++i) {
    w.BeginObject();
    w.Key("rank");
    w.Int(i + 1);
    w.Key("score");
    w.Double(13.606414545770068 / (i + 1));
    w.Key("matched");
    w.BeginArray();
    w.String("tumor");
    w.String("freeze tumor \u2192 Cryoablation (lay term)");
    w.EndArray();
    w.Key("empty");
    w.BeginArray();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("facets");
  w.BeginObject();
  w.EndObject();
  w.Key("ok");
  w.Bool(true);
  w.EndObject();

  nlohmann::ordered_json j;
  j["query"] = "freeze \"tumor\"\n";
  j["total"] = 42u;
  j["results"] = nlohmann::ordered_json::array();
  for (int i = 0; i < 2; ++i) {
    nlohmann::ordered_json r;
    r["rank"] = i + 1;
    r["score"] = 13.606414545770068 / (i + 1);
    r["matched"] = {"tumor", "freeze tumor \u2192 Cryoablation (lay term)"};
    r["empty"] = nlohmann::ordered_json::array();
    j["results"].push_back(r);
  }
  j["facets"] = nlohmann::ordered_json::object();
  j["ok"] = true;
  EXPECT_EQ(w.Take(), Nlohmann(j));
}

TEST(JsonWriterTest, NumbersMatchNlohmann) {
  for (double d : {0.0, 1.0, -2.5, 14.0, 0.1, 1e-7, 123456789.125, 1e300, 0.30000000000000004}) {
    JsonWriter w;
    w.Double(d);
    EXPECT_EQ(w.Take(), Nlohmann(d)) << d;
  }
  JsonWriter w;
  w.Double(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(w.Take(), "null");
  JsonWriter big;
  big.Uint(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(big.Take(), "18446744073709551615");
}

TEST(JsonWriterTest, EveryControlCharacterIsEscapedAsNlohmannDoes) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  EXPECT_EQ(OneString(all), Nlohmann(all));
  EXPECT_EQ(OneString("caf\u00e9 \u2019 \U0001F600 \u6570"),
            Nlohmann("caf\u00e9 \u2019 \U0001F600 \u6570"));
}

TEST(JsonWriterTest, SpecialBytesAnywhereInLongPlainTextMatchNlohmann) {
  // Plain text is scanned eight bytes at a time: each special byte, at each
  // offset of a word and at the text's end, is still escaped.
  const std::string specials[] = {
      "\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\u00e9", "\u2019", "\x7f", " ", "~"};
  for (const std::string& special : specials) {
    for (size_t at = 0; at <= 24; ++at) {
      std::string text(24, 'a');
      text.insert(at, special);
      ASSERT_EQ(OneString(text), Nlohmann(text)) << "at " << at;
    }
  }
}

TEST(JsonWriterTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(OneString("a\xff"
                      "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(OneString("\xc3"), "\"\xEF\xBF\xBD\"");  // truncated sequence
  EXPECT_EQ(OneString("\xed\xa0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(OneString("\xe2\x80"), "\"\xEF\xBF\xBD\"");  // one maximal subpart
}

TEST(JsonWriterTest, RandomBytesAlwaysParseAndValidTextRoundTrips) {
  std::mt19937 rng(7);
  for (int n = 0; n < 2000; ++n) {
    std::string s(rng() % 40, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    const std::string out = OneString(s);
    ASSERT_TRUE(nlohmann::json::accept(out)) << out;
    const std::string back = nlohmann::json::parse(out).get<std::string>();
    ASSERT_EQ(OneString(back), out);  // replacement is stable
    if (nlohmann::json::accept(Nlohmann(s))) {
      // Where nlohmann keeps the text (valid UTF-8), the two agree exactly.
      bool valid = true;
      try {
        (void)nlohmann::json(s).dump();
      } catch (const nlohmann::json::exception&) {
        valid = false;
      }
      if (valid) {
        ASSERT_EQ(out, Nlohmann(s));
      }
    }
  }
}

}  // namespace
}  // namespace clinsearch
