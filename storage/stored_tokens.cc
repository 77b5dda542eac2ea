// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/stored_tokens.h"

#include <algorithm>

#include "base/coding.h"

namespace clinsearch {
namespace {

constexpr std::string_view kVersion = "t1";

// Token header bits; the rest of the header is the number of bytes cut
// from the end of the folded word before the term's own ending.
enum : uint32_t {
  kCompound = 1,
  kAcronym = 2,
  kStopword = 4,
  kFoldedStored = 8,  // the folded word differs from the lower-cased surface
  kHasEnding = 16,    // the term adds bytes after the kept prefix of the word
  kFlagBits = 5,
};

void PutString(std::string& out, std::string_view s) {
  AppendVarint(out, s.size());
  out.append(s);
}

struct Reader {
  std::string_view data;
  size_t pos = 0;
  bool ok = true;

  uint64_t Varint() {
    // Most numbers here (gaps, lengths, headers) take one byte.
    if (pos < data.size() && static_cast<unsigned char>(data[pos]) < 0x80) {
      return static_cast<unsigned char>(data[pos++]);
    }
    uint64_t v = 0;
    if (!ReadVarint(data, &pos, &v)) ok = false;
    return v;
  }
  std::string_view String() {
    const uint64_t n = Varint();
    if (!ok || n > data.size() - pos) {
      ok = false;
      return {};
    }
    const std::string_view s = data.substr(pos, n);
    pos += n;
    return s;
  }
};

// `s` with ASCII letters lower-cased, into `out`; returns
// IsAlphabeticWord(out), found in the same pass (the decoder needs it for
// every word of every hit).
bool LowerAsciiInto(std::string_view s, std::string& out) {
  out.resize(s.size());
  bool alphabetic = true;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out[i] = c;
    alphabetic = alphabetic && (static_cast<unsigned char>(c) >= 0x80 || (c >= 'a' && c <= 'z'));
  }
  return alphabetic;
}

// Appends one field's tokens; false if they are not in the shape Analyze
// produces (then nothing is stored and the searcher analyses instead).
bool PutField(const TokenField& field, std::string& out) {
  const std::vector<Token>& tokens = *field.tokens;
  AppendVarint(out, tokens.size());
  std::string lowered;
  uint32_t prev_end = 0;
  size_t run = 0;  // plain tokens since the last compound (a compound's parts)
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    uint32_t flags = 0;
    size_t parts = 0;
    if (t.compound) {
      flags |= kCompound;
      while (parts < run && tokens[i - 1 - parts].begin > t.begin) ++parts;
      if (parts == run || tokens[i - 1 - parts].begin != t.begin || t.end != tokens[i - 1].end)
        return false;
      ++parts;
      run = 0;
    } else {
      if (t.begin < prev_end || t.end < t.begin || t.end > field.text.size()) return false;
      ++run;
    }
    if (!t.acronym.empty()) {
      if (t.acronym != std::string(kAcronymPrefix) + t.word) return false;
      flags |= kAcronym;
    }
    if (t.stopword) flags |= kStopword;
    std::string joined;
    if (t.compound) {
      for (size_t k = i - parts; k < i; ++k) joined += tokens[k].word;
      if (joined != t.word) return false;
    } else {
      LowerAsciiInto(field.text.substr(t.begin, t.end - t.begin), lowered);
      if (lowered != t.word) flags |= kFoldedStored;
    }
    const size_t keep = static_cast<size_t>(
        std::mismatch(t.word.begin(), t.word.end(), t.term.begin(), t.term.end()).first -
        t.word.begin());
    if (t.term.size() > keep) flags |= kHasEnding;
    AppendVarint(out, (uint64_t{t.word.size() - keep} << kFlagBits) | flags);
    if (t.compound) {
      AppendVarint(out, parts);
    } else {
      AppendVarint(out, t.begin - prev_end);
      AppendVarint(out, t.end - t.begin);
      prev_end = t.end;
    }
    if (flags & kFoldedStored) PutString(out, t.word);
    if (flags & kHasEnding) PutString(out, std::string_view(t.term).substr(keep));
  }
  return true;
}

bool GetField(Reader& in, const DecodeField& field) {
  std::vector<Token>& tokens = *field.tokens;
  tokens.clear();
  const uint64_t count = in.Varint();
  if (!in.ok || count > in.data.size() - in.pos) return false;  // each token takes bytes
  tokens.reserve(count);
  uint32_t prev_end = 0;
  uint32_t position = field.first_position;
  size_t run = 0;
  for (uint64_t n = 0; n < count; ++n) {
    const uint64_t header = in.Varint();
    const uint32_t flags = static_cast<uint32_t>(header & ((1u << kFlagBits) - 1));
    const uint64_t cut = header >> kFlagBits;
    Token& t = tokens.emplace_back();  // filled in place
    if (flags & kCompound) {
      const uint64_t parts = in.Varint();
      // A compound's word is its parts' words, never stored.
      if (!in.ok || parts < 2 || parts > run || (flags & kFoldedStored)) return false;
      const size_t last = tokens.size() - 2, first = last + 1 - parts;
      for (size_t k = first; k <= last; ++k) t.word += tokens[k].word;
      t.begin = tokens[first].begin;
      t.end = tokens[last].end;
      t.position = tokens[last].position;
      t.alphabetic = tokens[last].alphabetic;
      t.compound = true;
      run = 0;
    } else {
      const uint64_t gap = in.Varint();
      const uint64_t length = in.Varint();
      if (!in.ok || gap > field.text.size() - prev_end ||
          length > field.text.size() - prev_end - gap) {
        return false;
      }
      t.begin = static_cast<uint32_t>(prev_end + gap);
      t.end = static_cast<uint32_t>(t.begin + length);
      prev_end = t.end;
      t.position = position++;
      if (flags & kFoldedStored) {
        t.word = std::string(in.String());
        t.alphabetic = IsAlphabeticWord(t.word);  // as the Analyzer decides
      } else {
        t.alphabetic = LowerAsciiInto(field.text.substr(t.begin, length), t.word);
      }
      ++run;
    }
    if (!in.ok || cut > t.word.size()) return false;
    t.term.assign(t.word, 0, t.word.size() - cut);
    if (flags & kHasEnding) t.term += in.String();
    if (!in.ok) return false;
    t.stopword = (flags & kStopword) != 0;
    if (flags & kAcronym) t.acronym = std::string(kAcronymPrefix) + t.word;
  }
  return true;
}

}  // namespace

std::string EncodeStoredTokens(const std::vector<TokenField>& fields) {
  std::string out(kVersion);
  for (const TokenField& field : fields) {
    if (!PutField(field, out)) return {};
  }
  return out;
}

bool DecodeStoredTokens(std::string_view data, const std::vector<DecodeField>& fields) {
  if (data.substr(0, kVersion.size()) != kVersion) return false;
  Reader in{data, kVersion.size()};
  for (const DecodeField& field : fields) {
    if (!GetField(in, field)) return false;
  }
  return in.pos == data.size();
}

}  // namespace clinsearch
