// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <optional>
#include <stdexcept>
#include <utility>

#include "analysis/clinical_stemmer.h"
#include "analysis/word_lists.h"
#include "base/log.h"
#include "base/utf8.h"

namespace clinsearch {
namespace {

bool IsHyphen(UChar c) { return c == u'-' || c == 0x2010 || c == 0x2011; }

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC; }

}  // namespace

struct Analyzer::Impl {
  explicit Impl(std::shared_ptr<const WordLists> word_lists)
      : lists(std::move(word_lists)), stemmer(*lists) {
    InitIcu();
  }

  std::shared_ptr<const WordLists> lists;
  ClinicalStemmer stemmer;  // refers to *lists
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  // Stems already computed: text repeats its words, and Snowball costs
  // more than a lookup. A direct-mapped cache (a word goes to one slot;
  // a colliding word replaces it): fixed size, one probe, and small enough
  // (1 MiB) to stay in the CPU caches.
  struct StemCache {
    static constexpr size_t kSlots = size_t{1} << 14;
    std::vector<std::pair<std::string, std::string>> slots;  // word, stem
    std::pair<std::string, std::string>& Slot(const std::string& word) {
      if (slots.empty()) slots.resize(kSlots);
      return slots[std::hash<std::string_view>()(word) & (kSlots - 1)];
    }
  } stems;

  void InitIcu() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getEnglish(), status));
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || !words) {
      throw std::runtime_error(std::string("ICU initialisation failed: ") + u_errorName(status));
    }
  }
};

Analyzer::Analyzer(const AnalyzerOptions& options)
    : impl_(std::make_unique<Impl>(
          SharedWordLists(options.common_words_path, options.medical_words_path))) {}

// A fresh ICU iterator and stemmer: nothing mutable is shared.
Analyzer::Analyzer(const Analyzer& other) : impl_(std::make_unique<Impl>(other.impl_->lists)) {}

Analyzer::~Analyzer() = default;

bool Analyzer::IsStopword(std::string_view folded) const {
  return impl_->lists->IsStopword(folded);
}

bool Analyzer::IsCommonWord(std::string_view folded) const {
  return impl_->lists->IsCommonWord(folded);
}

bool Analyzer::IsKnownWord(std::string_view folded) const {
  return impl_->lists->IsKnownWord(folded);
}

std::string Analyzer::Stem(const std::string& folded) const {
  auto& slot = impl_->stems.Slot(folded);
  if (!folded.empty() && slot.first == folded) return slot.second;
  std::string stem = impl_->stemmer.Stem(folded);
  slot = {folded, stem};
  return stem;
}

// Ordinary words known (word list and stopwords, each counted once).
size_t Analyzer::CommonWordCount() const { return impl_->lists->common_count; }

std::string Analyzer::Fingerprint() const {
  return "analyzer-2;stem=english+clinical;common=" + std::to_string(CommonWordCount());
}

namespace {

// Drops apostrophes; a trailing possessive "'s" goes entirely.
std::string StripApostrophes(std::string s) {
  if (s.find('\'') == std::string::npos) return s;  // the common case: nothing to do
  if (s.size() > 2 && s.compare(s.size() - 2, 2, "'s") == 0) s.resize(s.size() - 2);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\'') out += c;
  }
  return out;
}

}  // namespace

std::string Analyzer::Fold(std::string_view word) const {
  bool ascii = true;
  for (char c : word) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    std::string s(word);
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return StripApostrophes(std::move(s));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  icu::UnicodeString folded = impl_->nfkc_cf->normalize(in, status);
  icu::UnicodeString decomposed = impl_->nfd->normalize(folded, status);
  if (U_FAILURE(status)) return std::string(word);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // diacritics
    kept.append(IsApostrophe(c) ? UChar32('\'') : c);
  }
  std::string out;
  kept.toUTF8String(out);
  return StripApostrophes(std::move(out));
}

bool IsAlphabeticWord(std::string_view folded) {
  for (char c : folded) {
    if (static_cast<unsigned char>(c) < 0x80 && !(c >= 'a' && c <= 'z')) return false;
  }
  return true;
}

std::vector<std::string> Analyzer::Terms(std::string_view text) const {
  std::vector<std::string> terms;
  for (const Token& t : Analyze(text)) {
    if (!t.compound) terms.push_back(t.term);
  }
  return terms;
}

std::vector<std::string> Analyzer::MatchTerms(std::string_view text) const {
  std::vector<std::string> terms;
  for (const Token& t : Analyze(text)) {
    if (!t.compound) terms.push_back(t.MatchTerm());
  }
  return terms;
}

namespace {

// Longer folded words are not words (codes, chemical names, garbage) and
// make no token; neither does a longer hyphen chain.
constexpr size_t kMaxWordBytes = 64;

// A word as the ICU word break iterator found it, before analysis.
struct RawWord {
  uint32_t begin, end;  // byte offsets in the analysed text
  bool all_caps;        // two or more code points, each an upper-case letter
  bool hyphen_to_next;  // exactly one hyphen lies between it and the next word
};

// The words of a text, and how many of their letters are capitals.
struct Segmentation {
  std::vector<RawWord> words;
  size_t letters = 0;
  size_t upper_letters = 0;

  // Text written mostly in capitals is shouting, not acronyms.
  bool Shouting() const { return words.size() >= 3 && upper_letters * 10 > letters * 6; }
};

// The code point starting at byte `at` of `text` (U+FFFD past the end or if
// broken); `*next` is set to the byte after it.
UChar32 CodePointAt(std::string_view text, int32_t at, int32_t* next) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto size = static_cast<int32_t>(text.size());
  UChar32 c = 0xFFFD;
  if (at < size) U8_NEXT(bytes, at, size, c);
  *next = at;
  return c < 0 ? UChar32{0xFFFD} : c;
}

// Whether exactly one hyphen lies between words a and b.
bool HyphenBetween(std::string_view text, const RawWord& a, const RawWord& b) {
  int32_t next = 0;
  const UChar32 c = CodePointAt(text, static_cast<int32_t>(a.end), &next);
  return c <= 0xFFFF && IsHyphen(static_cast<UChar>(c)) && static_cast<uint32_t>(next) == b.begin;
}

// Adds the letters of text[begin, end) to the counts of `segments`. True if
// the word is all capitals: two or more code points, each an upper-case letter.
bool CountLetters(std::string_view text, int32_t begin, int32_t end, Segmentation* segments) {
  bool all_caps = true;
  int32_t n = 0;
  for (int32_t i = begin; i < end;) {
    const UChar32 c = CodePointAt(text, i, &i);
    ++n;
    if (!u_isalpha(c)) {
      all_caps = false;
      continue;
    }
    ++segments->letters;
    if (u_isupper(c)) {
      ++segments->upper_letters;
    } else {
      all_caps = false;
    }
  }
  return all_caps && n >= 2;
}

// The words of `text` (valid UTF-8) by `words`, an ICU word break iterator:
// spaces and punctuation left out. False if ICU cannot read the text.
bool Segment(icu::BreakIterator& words, std::string_view text, Segmentation* out) {
  // ICU iterates the UTF-8 bytes directly (UText): boundaries are byte
  // offsets into `text`, with no UTF-16 copy.
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return false;
  struct Closer {
    UText* ut;
    ~Closer() { utext_close(ut); }
  } closer{ut};
  words.setText(ut, status);
  if (U_FAILURE(status)) return false;
  for (int32_t start = words.first(), end = words.next(); end != icu::BreakIterator::DONE;
       start = end, end = words.next()) {
    if (words.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
    const bool all_caps = CountLetters(text, start, end, out);
    out->words.push_back(
        {static_cast<uint32_t>(start), static_cast<uint32_t>(end), all_caps, false});
  }
  for (size_t k = 0; k + 1 < out->words.size(); ++k) {
    out->words[k].hyphen_to_next = HyphenBetween(text, out->words[k], out->words[k + 1]);
  }
  return true;
}

// The token of the word `raw` of `text` at `position`, or none when the word
// folds to nothing or to more than kMaxWordBytes. An all-capital ordinary
// word ("AIDS") gets an acronym term, unless the text is `shouting`; any
// other word may be a stopword.
std::optional<Token> MakeToken(const Analyzer& analyzer, std::string_view text, const RawWord& raw,
                               uint32_t position, bool shouting) {
  Token t;
  t.word = analyzer.Fold(text.substr(raw.begin, raw.end - raw.begin));
  if (t.word.empty() || t.word.size() > kMaxWordBytes) return std::nullopt;
  t.term = analyzer.Stem(t.word);
  t.begin = raw.begin;
  t.end = raw.end;
  t.position = position;
  t.alphabetic = IsAlphabeticWord(t.word);
  if (raw.all_caps && !shouting && analyzer.IsCommonWord(t.word)) {
    t.acronym = std::string(kAcronymPrefix) + t.word;
  } else {
    t.stopword = analyzer.IsStopword(t.word);
  }
  return t;
}

// Appends the joined form of the hyphen chain (*out)[chain_start..], whose
// last part was just added (radio-frequency: radiofrequency), at the
// position of that last part. Nothing when the joined word is longer than
// kMaxWordBytes: a chain of codes, not a word.
void CloseHyphenChain(const Analyzer& analyzer, size_t chain_start, std::vector<Token>* out) {
  Token joined;
  for (size_t i = chain_start; i < out->size(); ++i) {
    if (!(*out)[i].compound) joined.word += (*out)[i].word;
  }
  if (joined.word.size() > kMaxWordBytes) return;
  joined.term = analyzer.Stem(joined.word);
  joined.begin = (*out)[chain_start].begin;
  joined.end = out->back().end;
  joined.position = out->back().position;
  joined.compound = true;
  joined.alphabetic = out->back().alphabetic;
  out->push_back(std::move(joined));
}

}  // namespace

std::vector<Token> Analyzer::Analyze(std::string_view input, uint32_t first_position) const {
  std::string repaired;
  std::string_view text = input;
  if (!IsValidUtf8(input)) {
    repaired = std::string(input);
    BlankInvalidUtf8(repaired);  // offsets must stay those of `input`
    text = repaired;
  }
  Segmentation segments;
  if (!Segment(*impl_->words, text, &segments)) return {};
  const std::vector<RawWord>& raw = segments.words;
  const bool shouting = segments.Shouting();

  std::vector<Token> out;
  out.reserve(raw.size() + 4);
  uint32_t position = first_position;
  size_t chain_start = SIZE_MAX;  // index in `out` of the first part of a hyphen chain
  for (size_t k = 0; k < raw.size(); ++k) {
    std::optional<Token> t = MakeToken(*this, text, raw[k], position, shouting);
    if (!t) continue;
    ++position;
    // A chain goes on only while each part made a token.
    const bool joined_to_previous =
        k > 0 && raw[k - 1].hyphen_to_next && !out.empty() && out.back().end == raw[k - 1].end;
    if (!joined_to_previous) chain_start = out.size();
    out.push_back(std::move(*t));
    if (joined_to_previous && !raw[k].hyphen_to_next) CloseHyphenChain(*this, chain_start, &out);
  }
  return out;
}

uint32_t LetterMask(std::string_view word) {
  uint32_t mask = 0;
  for (char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    mask |= (c >= 'a' && c <= 'z') ? 1u << (c - 'a') : 1u << (26 + (c & 3));
  }
  return mask;
}

std::string SpellingKey(std::string_view w) {
  std::string s(w);
  auto starts = [&](std::string_view p) { return s.compare(0, p.size(), p) == 0; };
  if (starts("pn") || starts("ps") || starts("kn")) s.erase(0, 1);
  std::string out;
  out.reserve(s.size());
  auto vowel = [](char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == 'p' && i + 1 < s.size() && s[i + 1] == 'h') {
      c = 'f';
      ++i;
    } else if (c == 'h' && i > 0 && !vowel(s[i - 1])) {
      continue;
    } else if ((c == 'a' || c == 'o') && i + 1 < s.size() && s[i + 1] == 'e' && i > 0) {
      continue;  // haem -> hem, oesophagus keeps its first letter
    }
    if (c == 'y') c = 'i';
    if (!out.empty() && out.back() == c) continue;
    out += c;
  }
  return out;
}

}  // namespace clinsearch
