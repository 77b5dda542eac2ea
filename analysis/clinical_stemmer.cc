// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/clinical_stemmer.h"

#include <string_view>

namespace clinsearch {

std::string ClinicalStemmer::Stem(const std::string& folded) const {
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
    if (lists_->IsCommonWord(singular) &&
        !lists_->IsCommonWord(folded.substr(0, folded.size() - 1))) {
      return snowball_(singular);
    }
  }
  return snowball_(folded);
}

}  // namespace clinsearch
