// SPDX-License-Identifier: GPL-2.0-or-later
// Stored tokens: a passage's analysis, kept in the index beside its text so
// the searcher can highlight a hit without running the Analyzer again (the
// ICU segmentation and stemming were half the cost of a served query).
//
//   std::string v = EncodeStoredTokens({{body_text, body_tokens},
//                                       {title, title_tokens}, {heading, heading_tokens}});
//   // ... at search time, with the same three texts from the record:
//   std::vector<Token> body, title, heading;
//   if (DecodeStoredTokens(v, {{body_text, &body}, {title, &title}, {heading, &heading}})) ...
//
// Compact: a token is its gap and length in the text plus how its term
// differs from its lower-cased surface (most stems are a prefix of the
// word), a few bytes each; no strings are stored for plain ASCII words.
//
// Contract: for tokens produced by Analyzer::Analyze(text, p), decoding with
// the same text and p gives back equal tokens in every field. Decoding
// checks every offset against its text and returns false (never crashes)
// on data it cannot read or that does not fit the text.
#ifndef CLINSEARCH_STORAGE_STORED_TOKENS_H_
#define CLINSEARCH_STORAGE_STORED_TOKENS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/analyzer.h"

namespace clinsearch {

struct TokenField {
  std::string_view text;
  const std::vector<Token>* tokens;
  uint32_t first_position = 0;
};

struct DecodeField {
  std::string_view text;
  std::vector<Token>* tokens;
  uint32_t first_position = 0;
};

// Encodes the tokens of each field (tokens as Analyze returned them for
// that field's text), in order.
std::string EncodeStoredTokens(const std::vector<TokenField>& fields);

// Decodes into each field's tokens; `fields` must list the same texts in
// the same order as at encoding. False if `data` is not stored tokens of
// this version or does not fit the texts.
bool DecodeStoredTokens(std::string_view data, const std::vector<DecodeField>& fields);

}  // namespace clinsearch

#endif  // CLINSEARCH_STORAGE_STORED_TOKENS_H_
