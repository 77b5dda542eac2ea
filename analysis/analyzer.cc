#include "analysis/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <mutex>
#include <unordered_map>

#include "base/log.h"
#include "base/utf8.h"

namespace clinsearch {
namespace {

// Snowball's English stopword list.
constexpr const char* kStopwords[] = {
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
    "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
    "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
    "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
    "should", "could", "ought", "im", "youre", "hes", "shes", "its", "were", "theyre", "ive",
    "youve", "weve", "theyve", "id", "youd", "hed", "shed", "wed", "theyd", "ill", "youll",
    "hell", "shell", "well", "theyll", "isnt", "arent", "wasnt", "werent", "hasnt", "havent",
    "hadnt", "doesnt", "dont", "didnt", "wont", "wouldnt", "shant", "shouldnt", "cant",
    "cannot", "couldnt", "mustnt", "lets", "thats", "whos", "whats", "heres", "theres",
    "whens", "wheres", "whys", "hows", "a", "an", "the", "and", "but", "if", "or", "because",
    "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between",
    "into", "through", "during", "before", "after", "above", "below", "to", "from", "up",
    "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once",
    "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few",
    "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
    "than", "too", "very", "can", "will", "just", "also", "may", "might", "must", "shall"};

bool IsHyphen(UChar c) { return c == u'-' || c == 0x2010 || c == 0x2011; }

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC; }

// A sorted word list held as views into one buffer: two allocations for
// 100,000 words, so opening a searcher stays cheap.
class WordSet {
 public:
  // Keeps the lines of `text` that pass `keep` (after cutting at '/').
  template <typename Keep>
  void Load(std::string text, Keep keep) {
    blob_ = std::move(text);
    size_t pos = 0;
    while (pos < blob_.size()) {
      size_t eol = blob_.find('\n', pos);
      if (eol == std::string::npos) eol = blob_.size();
      std::string_view line(blob_.data() + pos, eol - pos);
      line = line.substr(0, line.find('/'));
      if (keep(line)) words_.push_back(line);
      pos = eol + 1;
    }
    if (!std::is_sorted(words_.begin(), words_.end())) std::sort(words_.begin(), words_.end());
    words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  }
  bool Contains(std::string_view w) const { return std::binary_search(words_.begin(), words_.end(), w); }
  size_t size() const { return words_.size(); }

 private:
  std::string blob_;
  std::vector<std::string_view> words_;
};

struct WordLists {
  // Hashed by string_view, so a lookup builds no string.
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_set<std::string, ViewHash, std::equal_to<>> stopwords;
  WordSet common;   // ordinary English words (stopwords are checked apart)
  WordSet medical;  // the medical word list
  size_t common_count = 0;  // ordinary words known: the list and stopwords, each once
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool Lowercase(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

std::shared_ptr<const WordLists> LoadWordLists(const std::string& path, const std::string& medical) {
  auto lists = std::make_shared<WordLists>();
  for (const char* w : kStopwords) lists->stopwords.insert(w);
  // Only plain lower-case words: proper nouns and possessives are no help.
  lists->common.Load(ReadAll(path), [](std::string_view w) { return w.size() >= 2 && Lowercase(w); });
  lists->medical.Load(ReadAll(medical), [](std::string_view w) { return w.size() >= 3 && Lowercase(w); });
  lists->common_count = lists->common.size();
  for (const std::string& w : lists->stopwords) lists->common_count += !lists->common.Contains(w);
  if (lists->common.size() == 0) {
    Log()->debug("common word list {} not found or empty; acronyms use stopwords only", path);
  }
  return lists;
}

}  // namespace

struct Analyzer::Impl {
  std::shared_ptr<const WordLists> lists;
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  Xapian::Stem stemmer{"english"};
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

// Word lists are read once per process and path, then shared read-only.
static std::shared_ptr<const WordLists> SharedWordLists(const AnalyzerOptions& options) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const WordLists>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& lists = cache[options.common_words_path + '\n' + options.medical_words_path];
  if (!lists) lists = LoadWordLists(options.common_words_path, options.medical_words_path);
  return lists;
}

Analyzer::Analyzer(const AnalyzerOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->lists = SharedWordLists(options);
  impl_->InitIcu();
}

Analyzer::Analyzer(const Analyzer& other) : impl_(std::make_unique<Impl>()) {
  impl_->lists = other.impl_->lists;
  impl_->InitIcu();  // fresh ICU iterator and stemmer: nothing mutable is shared
}

Analyzer::~Analyzer() = default;

bool Analyzer::IsStopword(std::string_view folded) const {
  return impl_->lists->stopwords.find(folded) != impl_->lists->stopwords.end();
}

bool Analyzer::IsCommonWord(std::string_view folded) const {
  return IsStopword(folded) || impl_->lists->common.Contains(folded);
}

bool Analyzer::IsKnownWord(std::string_view folded) const {
  return IsCommonWord(folded) || impl_->lists->medical.Contains(folded);
}

std::string Analyzer::Stem(const std::string& folded) const {
  auto& slot = impl_->stems.Slot(folded);
  if (!folded.empty() && slot.first == folded) return slot.second;
  std::string stem = StemUncached(folded);
  slot = {folded, stem};
  return stem;
}

std::string Analyzer::StemUncached(const std::string& folded) const {
  const auto ends_with = [&](std::string_view suffix) {
    return folded.size() > suffix.size() + 2 &&
           folded.compare(folded.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // Clinical words the English stemmer conflates: "hepatitis" and "hepatic"
  // both become "hepat", "sinusitis" and "sinus" "sinus". An inflammation
  // is not its organ, so -itis words are kept whole.
  if (ends_with("itis")) return folded;
  // Greek plurals: "metastases" is the plural of "metastasis", which the
  // stemmer would keep apart ("metastas" vs "metastasi"). Only when the
  // -sis word is known and the word is not the plural of an -se word
  // ("diseases", "doses").
  if (ends_with("ses")) {
    const std::string singular = folded.substr(0, folded.size() - 3) + "sis";
    if (IsCommonWord(singular) && !IsCommonWord(folded.substr(0, folded.size() - 1))) {
      return impl_->stemmer(singular);
    }
  }
  return impl_->stemmer(folded);
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

std::vector<Token> Analyzer::Analyze(std::string_view input, uint32_t first_position) const {
  std::string repaired;
  std::string_view text = input;
  if (!IsValidUtf8(input)) {
    repaired = std::string(input);
    BlankInvalidUtf8(repaired);  // offsets must stay those of `input`
    text = repaired;
  }
  // ICU iterates the UTF-8 bytes directly (UText): boundaries are byte
  // offsets into `text`, with no UTF-16 copy.
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return {};
  struct Closer {
    UText* ut;
    ~Closer() { utext_close(ut); }
  } closer{ut};
  icu::BreakIterator& bi = *impl_->words;
  bi.setText(ut, status);
  if (U_FAILURE(status)) return {};
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto size = static_cast<int32_t>(text.size());
  // The code point starting at byte `at` (U+FFFD past the end or if broken).
  auto code_point_at = [&](int32_t at, int32_t* next) {
    UChar32 c = 0xFFFD;
    if (at < size) U8_NEXT(bytes, at, size, c);
    *next = at;
    return c < 0 ? UChar32{0xFFFD} : c;
  };

  struct Raw {
    uint32_t begin, end;
    bool all_caps;
  };
  std::vector<Raw> raw;
  size_t upper_letters = 0, letters = 0;
  for (int32_t start = bi.first(), end = bi.next(); end != icu::BreakIterator::DONE;
       start = end, end = bi.next()) {
    if (bi.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
    bool all_caps = true;
    int32_t n = 0;
    for (int32_t i = start; i < end;) {
      const UChar32 c = code_point_at(i, &i);
      ++n;
      if (u_isalpha(c)) {
        ++letters;
        if (u_isupper(c)) ++upper_letters;
        else all_caps = false;
      } else {
        all_caps = false;
      }
    }
    raw.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end), all_caps && n >= 2});
  }
  // Whether exactly one hyphen lies between raw tokens a and b.
  auto hyphen_between = [&](const Raw& a, const Raw& b) {
    int32_t next = 0;
    const UChar32 c = code_point_at(static_cast<int32_t>(a.end), &next);
    return c <= 0xFFFF && IsHyphen(static_cast<UChar>(c)) && static_cast<uint32_t>(next) == b.begin;
  };
  // Text written mostly in capitals is shouting, not acronyms.
  const bool shouting = raw.size() >= 3 && upper_letters * 10 > letters * 6;

  std::vector<Token> out;
  out.reserve(raw.size() + 4);
  uint32_t position = first_position;
  size_t chain_start = SIZE_MAX;  // index in `out` of the first part of a hyphen chain
  for (size_t k = 0; k < raw.size(); ++k) {
    const Raw& r = raw[k];
    const std::string_view surface = text.substr(r.begin, r.end - r.begin);
    Token t;
    t.word = Fold(surface);
    if (t.word.empty() || t.word.size() > 64) continue;
    t.term = Stem(t.word);
    t.begin = r.begin;
    t.end = r.end;
    t.position = position++;
    t.alphabetic = true;
    for (char c : t.word) {
      if (static_cast<unsigned char>(c) < 0x80 && !(c >= 'a' && c <= 'z')) t.alphabetic = false;
    }
    if (r.all_caps && !shouting && IsCommonWord(t.word)) {
      t.acronym = std::string(kAcronymPrefix) + t.word;
    } else {
      t.stopword = IsStopword(t.word);
    }
    const bool joined_to_previous = k > 0 && hyphen_between(raw[k - 1], r) && !out.empty() &&
                                    out.back().end == raw[k - 1].end;
    const bool joins_next = k + 1 < raw.size() && hyphen_between(r, raw[k + 1]);
    if (!joined_to_previous) chain_start = out.size();
    out.push_back(std::move(t));
    if (joined_to_previous && !joins_next) {
      // Close the chain: add the joined form at the last part's position.
      Token joined;
      for (size_t i = chain_start; i < out.size(); ++i) {
        if (!out[i].compound) joined.word += out[i].word;
      }
      if (joined.word.size() > 64) continue;  // a chain of codes, not a word
      joined.term = Stem(joined.word);
      joined.begin = out[chain_start].begin;
      joined.end = out.back().end;
      joined.position = out.back().position;
      joined.compound = true;
      joined.alphabetic = out.back().alphabetic;
      out.push_back(std::move(joined));
    }
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
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; };
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
