// SPDX-License-Identifier: GPL-2.0-or-later
// WordLists: the word lists the Analyzer decides with. They decide three
// things about a folded word:
//   - a stopword (Snowball's English list): marked as such in its token;
//   - an ordinary English word (a stopword, or a word of the common word
//     list): written in capitals it is an acronym (AIDS, ALL, PET), and a
//     Greek -ses plural stems like its -sis singular only when that singular
//     is one;
//   - a known word (ordinary, or a word of the medical word list): never
//     spell-corrected.
//
//   std::shared_ptr<const clinsearch::WordLists> lists =
//       clinsearch::SharedWordLists("/usr/share/dict/american-english",
//                                   "/usr/share/hunspell/en_med_glut.dic");
//   lists->IsCommonWord("aids");  // true
//
// A missing or unreadable list file counts as empty (logged at debug level).
//
// Thread safety: a WordLists is immutable once loaded; SharedWordLists is
// safe to call from many threads.
#ifndef CLINSEARCH_ANALYSIS_WORD_LISTS_H_
#define CLINSEARCH_ANALYSIS_WORD_LISTS_H_

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace clinsearch {

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
  bool Contains(std::string_view w) const {
    return std::binary_search(words_.begin(), words_.end(), w);
  }
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
  WordSet common;           // ordinary English words (stopwords are checked apart)
  WordSet medical;          // the medical word list
  size_t common_count = 0;  // ordinary words known: the list and stopwords, each once

  bool IsStopword(std::string_view folded) const {
    return stopwords.find(folded) != stopwords.end();
  }
  bool IsCommonWord(std::string_view folded) const {
    return IsStopword(folded) || common.Contains(folded);
  }
  bool IsKnownWord(std::string_view folded) const {
    return IsCommonWord(folded) || medical.Contains(folded);
  }
};

// The lists for a common word list (one word per line) and a medical one
// (hunspell .dic). Each pair of paths is read once per process, then shared
// read-only.
std::shared_ptr<const WordLists> SharedWordLists(const std::string& common_words_path,
                                                 const std::string& medical_words_path);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_WORD_LISTS_H_
