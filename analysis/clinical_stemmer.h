// SPDX-License-Identifier: GPL-2.0-or-later
// ClinicalStemmer: the stem of a folded word, that is Snowball's English
// stemmer with two clinical exceptions. It decides which words share an index
// term:
//   - -itis words stay whole: the stemmer would make "hepatitis" and "hepatic"
//     both "hepat", but an inflammation is not its organ;
//   - a Greek -ses plural stems like its -sis singular ("metastases" with
//     "metastasis"), when that singular is an ordinary word and the -ses word
//     is not the plural of an -se word ("diseases", "doses").
//
//   clinsearch::ClinicalStemmer stemmer(*lists);  // lists: SharedWordLists(...)
//   stemmer.Stem("metastases");  // "metastasi", as stemmer.Stem("metastasis")
//
// Changing these rules changes index terms: bump Analyzer::Fingerprint().
//
// Thread safety: not safe to use from two threads at once (the Snowball
// stemmer is not); use one per thread.
#ifndef CLINSEARCH_ANALYSIS_CLINICAL_STEMMER_H_
#define CLINSEARCH_ANALYSIS_CLINICAL_STEMMER_H_

#include <xapian.h>

#include <string>

#include "analysis/word_lists.h"

namespace clinsearch {

class ClinicalStemmer {
 public:
  // `lists` decides which -sis singulars are ordinary words; it must outlive
  // the stemmer.
  explicit ClinicalStemmer(const WordLists& lists) : lists_(&lists) {}

  // The stem of `folded` (a word as Analyzer::Fold returns it). No cache:
  // the Analyzer keeps one.
  std::string Stem(const std::string& folded) const;

 private:
  const WordLists* lists_;
  Xapian::Stem snowball_{"english"};
};

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_CLINICAL_STEMMER_H_
