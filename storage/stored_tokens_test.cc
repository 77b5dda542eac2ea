// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests for the stored-token codec (storage/stored_tokens.h).
#include "storage/stored_tokens.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace clinsearch {
namespace {

const Analyzer& Shared() {
  static const Analyzer* analyzer = new Analyzer();
  return *analyzer;
}

void ExpectSameTokens(const std::vector<Token>& want, const std::vector<Token>& got,
                      std::string_view text) {
  ASSERT_EQ(want.size(), got.size()) << text;
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(std::string(text) + " token " + std::to_string(i) + " '" + want[i].word + "'");
    EXPECT_EQ(want[i].term, got[i].term);
    EXPECT_EQ(want[i].word, got[i].word);
    EXPECT_EQ(want[i].acronym, got[i].acronym);
    EXPECT_EQ(want[i].position, got[i].position);
    EXPECT_EQ(want[i].begin, got[i].begin);
    EXPECT_EQ(want[i].end, got[i].end);
    EXPECT_EQ(want[i].compound, got[i].compound);
    EXPECT_EQ(want[i].stopword, got[i].stopword);
    EXPECT_EQ(want[i].alphabetic, got[i].alphabetic);
  }
}

// Encodes the analysis of `text` (with a title and heading beside it) and
// checks that decoding gives every token back.
void RoundTrip(const std::string& text) {
  const std::string title = "Metastatic Spinal Tumors: AIDS-related care";
  const std::string heading = "Non-small-cell lung cancer (NSCLC)";
  const std::vector<Token> body = Shared().Analyze(text, 2000);
  const std::vector<Token> t = Shared().Analyze(title, 0);
  const std::vector<Token> h = Shared().Analyze(heading, 1000);
  const std::string stored =
      EncodeStoredTokens({{text, &body, 2000}, {title, &t, 0}, {heading, &h, 1000}});
  ASSERT_FALSE(stored.empty()) << text;
  std::vector<Token> body2, t2, h2;
  ASSERT_TRUE(
      DecodeStoredTokens(stored, {{text, &body2, 2000}, {title, &t2, 0}, {heading, &h2, 1000}}))
      << text;
  ExpectSameTokens(body, body2, text);
  ExpectSameTokens(t, t2, title);
  ExpectSameTokens(h, h2, heading);
}

TEST(StoredTokensTest, RoundTripsWhatTheAnalyzerProduces) {
  const std::vector<std::string> texts = {
      "",
      "Cryoablation freezes the tumor; radio-frequency ablation (RFA) heats it.",
      "The patient's doctors don't prescribe NSAIDs to people with AIDS or ALL.",
      "ALL CAPITALS TEXT IS SHOUTING, NOT ACRONYMS",
      "Sjögren\u2019s syndrome, na\u00efve T-cells, \ufb01brosis and \u00c9COLE caf\u00e9s",
      "non-small-cell lung cancer, anti-\u200binflammatory, re--entry, -leading and trailing-",
      "Doses of 3.5 mg/kg, 1,000 IU and pH 7.4; e.g. U.S. guidelines at 10:30.",
      std::string(80, 'a') + " word beyond sixty-four bytes " + std::string(70, 'b') + "-" +
          std::string(10, 'c'),
      "metastases and diagnoses, hepatitis and sinusitis, studies and flies",
      "\u6570\u5b66 \u0645\u0631\u062d\u0628\u0627 emoji \U0001F600 tumours",
      "Broken \xff\xfe UTF-8 \xc3 bytes in the middle",
  };
  for (const std::string& text : texts) RoundTrip(text);
}

TEST(StoredTokensTest, RoundTripsRealPatientText) {
  const std::string path = std::string(CLINSEARCH_SOURCE_DIR) + "/../shared/corpus/medquad.jsonl";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << path << " not found (needs ../shared)";
  std::string line;
  for (int n = 0; n < 400 && std::getline(in, line); ++n) RoundTrip(line);
}

TEST(StoredTokensTest, IsCompactForPlainText) {
  const std::string text =
      "Radiofrequency ablation uses heat to destroy tumor cells. Cryoablation uses extreme cold. "
      "Both are done through a needle and are options for patients who cannot have surgery.";
  const std::vector<Token> tokens = Shared().Analyze(text);
  const std::string stored = EncodeStoredTokens({{text, &tokens}});
  EXPECT_LT(stored.size(), tokens.size() * 5);
}

TEST(StoredTokensTest, RefusesDataThatDoesNotFit) {
  const std::string text = "Bisphosphonates strengthen bone and lower the risk of fractures.";
  const std::vector<Token> tokens = Shared().Analyze(text);
  const std::string stored = EncodeStoredTokens({{text, &tokens}});
  std::vector<Token> out;
  ASSERT_TRUE(DecodeStoredTokens(stored, {{text, &out}}));
  // A shorter text than the one encoded: offsets run past it.
  EXPECT_FALSE(DecodeStoredTokens(stored, {{std::string_view(text).substr(0, 20), &out}}));
  // Wrong version, truncation, trailing bytes, and every single flipped byte
  // either decode to something or are refused; none crashes.
  EXPECT_FALSE(DecodeStoredTokens("x1" + stored.substr(2), {{text, &out}}));
  for (size_t cut = 0; cut < stored.size(); ++cut) {
    EXPECT_FALSE(DecodeStoredTokens(stored.substr(0, cut), {{text, &out}})) << cut;
  }
  EXPECT_FALSE(DecodeStoredTokens(stored + "z", {{text, &out}}));
  for (size_t i = 2; i < stored.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = stored;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      if (DecodeStoredTokens(bad, {{text, &out}})) {
        for (const Token& t : out) {
          EXPECT_LE(t.begin, t.end);
          EXPECT_LE(t.end, text.size());
        }
      }
    }
  }
  // More fields asked for than were stored.
  std::vector<Token> extra;
  EXPECT_FALSE(DecodeStoredTokens(stored, {{text, &out}, {text, &extra}}));
}

TEST(StoredTokensTest, TokensOutOfAnalyzerOrderAreNotStored) {
  const std::string text = "one two";
  std::vector<Token> tokens = Shared().Analyze(text);
  ASSERT_EQ(tokens.size(), 2u);
  std::swap(tokens[0], tokens[1]);
  EXPECT_TRUE(EncodeStoredTokens({{text, &tokens}}).empty());
}

}  // namespace
}  // namespace clinsearch
