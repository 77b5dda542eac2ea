// SPDX-License-Identifier: GPL-2.0-or-later
// Analyzer: the one place that decides what a term is. The index writer runs
// it over documents, the searcher over queries and again over result passages
// for highlighting, and the dictionary over its entries, so all four agree.
//
//   clinsearch::Analyzer analyzer;
//   for (const auto& t : analyzer.Analyze("Radio-frequency ablation (RFA)"))
//     std::cout << t.term << "@" << t.position << "\n";
//   // radio@0 frequenc@1 radiofrequ@1 (compound) ablat@2 rfa@3
//
// Steps: ICU word segmentation; NFKC case folding; diacritics removed;
// apostrophes and possessive 's dropped; Snowball English stemming. A
// hyphenated compound (radio-frequency) yields its parts and, at the position
// of its last part, the joined form (radiofrequency), so all three spellings
// meet. An all-capital word in mixed-case text whose lower-case form is an
// ordinary English word (AIDS, ALL, PET) also yields a case-sensitive acronym
// term, so that "ALL" the leukemia can be told from "all".
//
// Thread safety: an Analyzer is not safe to use from two threads at once;
// copy it per thread (copies share their read-only word lists).
#ifndef CLINSEARCH_ANALYSIS_ANALYZER_H_
#define CLINSEARCH_ANALYSIS_ANALYZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "storage/schema.h"  // kAcronymPrefix

namespace clinsearch {

struct AnalyzerOptions {
  // Word list deciding which all-capital words are acronyms that must match
  // case-sensitively (one lower-case word per line). Default: Debian's
  // wamerican list; when absent, only the stopword list is used.
  std::string common_words_path = "/usr/share/dict/american-english";
  // Medical word list (hunspell .dic): words in it, like ordinary English
  // words, are known and never spell-corrected. Default: Debian's
  // hunspell-en-med; when absent, only the corpus and dictionary count.
  std::string medical_words_path = "/usr/share/hunspell/en_med_glut.dic";
};

struct Token {
  std::string term;     // index term: the stemmed, folded word ("ablat")
  std::string word;     // the folded word before stemming ("ablation")
  std::string acronym;  // case-sensitive acronym term ("XAaids"), or empty
  uint32_t position = 0;
  uint32_t begin = 0;  // byte offsets of the word in the analysed text
  uint32_t end = 0;
  bool compound = false;  // joined form of a hyphenated compound
  bool stopword = false;
  bool alphabetic = false;  // letters only (a spelling-dictionary candidate)

  // The term a token is matched by: its acronym term if it has one, else its
  // stem. A product decision: "AIDS" typed in capitals matches the acronym
  // (AIDS the disease) only, never the word "aids". Query words, dictionary
  // names and the title and heading field terms are keyed by it.
  const std::string& MatchTerm() const { return acronym.empty() ? term : acronym; }
};

// The rule behind Token::alphabetic: no ASCII byte but a-z in the folded
// word (letters of other scripts count as letters). The stored-token decoder
// must apply the same rule, so that a stored passage reads back as analysed.
bool IsAlphabeticWord(std::string_view folded);

class Analyzer {
 public:
  explicit Analyzer(const AnalyzerOptions& options = {});
  ~Analyzer();
  Analyzer(const Analyzer& other);
  Analyzer& operator=(const Analyzer&) = delete;

  // Tokens of `text` in order, positions counted from `first_position`.
  // Compound tokens come right after their last part. Byte offsets refer to
  // `text`. Never fails: invalid UTF-8 bytes separate words and yield no token.
  std::vector<Token> Analyze(std::string_view text, uint32_t first_position = 0) const;

  // The stem of each word of `text`, in order, without the joined forms of
  // hyphen compounds: a phrase as a term sequence.
  std::vector<std::string> Terms(std::string_view text) const;
  // Likewise each word's MatchTerm(): the keys a dictionary name is matched by.
  std::vector<std::string> MatchTerms(std::string_view text) const;

  // NFKC case folding, diacritics removed, apostrophes dropped.
  std::string Fold(std::string_view word) const;
  // Snowball English stem of a folded word, except that -itis words stay
  // whole and Greek -ses plurals stem like their -sis singular
  // (clinical_stemmer.h).
  std::string Stem(const std::string& folded) const;
  bool IsStopword(std::string_view folded) const;
  // True if `folded` is an ordinary English word (see AnalyzerOptions).
  bool IsCommonWord(std::string_view folded) const;
  // True for ordinary English words and words of the medical word list.
  bool IsKnownWord(std::string_view folded) const;
  // Changes whenever analysis would produce different terms.
  std::string Fingerprint() const;
  // How many ordinary words the acronym rule knows.
  size_t CommonWordCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A rough sound-alike key of a folded word for spelling correction: "ph"
// read as "f", silent initial letters (pn, ps, kn) and h after a consonant
// dropped, ae/oe read as e, doubled letters collapsed. "hemmoroids" and
// "hemorrhoids" share the key "hemoroids"; "haemorrhage" and "hemorrhage"
// share "hemorage".
std::string SpellingKey(std::string_view folded);

// The set of letters of a word as bits (a-z, and four bits for other
// bytes). One edit changes at most two bits, so words whose masks differ
// in more than 2*k bits are more than k edits apart: a cheap filter before
// an edit distance.
uint32_t LetterMask(std::string_view word);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_ANALYZER_H_
