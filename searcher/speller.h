// SPDX-License-Identifier: GPL-2.0-or-later
// Speller: corrects the misspelt words of a query before it is expanded.
//
//   clinsearch::Speller speller(analyzer, dictionary, db, lexicon);
//   std::string fixed = speller.Correct(text, analyzer.Analyze(text), quoted);
//   // "tumr of the spine" -> "tumor of the spine"; empty when nothing changed
//
// What it decides:
// - Which words are corrected: words of four letters or more, letters only,
//   that are neither stopwords, acronyms, quoted, nor part of a dictionary
//   name (lay terms included), and that are not ordinary words. The
//   "ordinary word" rule: a word of the English or medical word list
//   (Analyzer::IsKnownWord) is what the person meant ("quote" is no typo
//   for "quite"), even when the corpus rarely uses it.
// - How far a candidate may be: a word the index does not know, one edit
//   (two for words of six letters or more); a word the index knows but
//   rarely (10 passages or fewer), one edit, and only towards a word it
//   uses at least 20 times as often (a typo in the corpus). Edits are
//   optimal string alignment: a transposition of neighbours is one edit.
// - Where candidates come from: the dictionary's words, by letters or, for a
//   word the index does not know, by sound (SpellingKey: doubled letters and
//   silent h are the commonest consumer misspellings; a sound-alike counts
//   as the most edits allowed); then the lexicon's spelling table
//   (Xapian's get_spelling_suggestion), asked only when no dictionary word is
//   one edit away. A candidate must occur in the index.
// - Which candidate wins: the fewest edits; then a dictionary word over a
//   word of the spelling table; then the word the index uses most.
//
// Thread safety: not safe to use from two threads at once, like the Analyzer
// and the Xapian databases it reads (EditDistance alone is: its rows are
// thread-local).
#ifndef CLINSEARCH_SEARCHER_SPELLER_H_
#define CLINSEARCH_SEARCHER_SPELLER_H_

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/dictionary.h"

namespace clinsearch {

// Optimal string alignment distance between two words (a transposition of
// neighbours is one edit); any value above `max` is returned as max + 1.
size_t EditDistance(std::string_view a, std::string_view b, size_t max);

class Speller {
 public:
  // `db` gives word frequencies; `lexicon` holds the spelling table (for a
  // sharded index its lexicon, whose shards may be remote; else `db`). All
  // four must outlive the speller.
  Speller(const Analyzer& analyzer, const Dictionary& dictionary, const Xapian::Database& db,
          const Xapian::Database& lexicon)
      : analyzer_(analyzer), dictionary_(dictionary), db_(db), lexicon_(lexicon) {}

  // `text` with its misspelt words replaced, or empty when nothing changed.
  // `tokens` are the Analyzer's tokens of `text` (or of a copy whose byte
  // offsets line up with it); `quoted[i]`: token i is inside quotes.
  std::string Correct(const std::string& text, const std::vector<Token>& tokens,
                      const std::vector<bool>& quoted) const;

  // The correction of one word, or empty.
  std::string Suggest(const Token& token) const;

 private:
  const Analyzer& analyzer_;
  const Dictionary& dictionary_;
  const Xapian::Database& db_;
  const Xapian::Database& lexicon_;
};

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_SPELLER_H_
