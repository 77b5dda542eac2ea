// SPDX-License-Identifier: GPL-2.0-or-later
// Question types: what kind of answer a consumer question asks for
// (treatment, symptoms, cause, dosage, ...), told by cue words, and the
// section-heading words of passages that give that kind of answer.
// Patient-education sites organise pages by these questions ("What are the
// treatments for ...", "How should this medicine be used?"), so a question
// about treatment should prefer the treatment section of the right page.
#ifndef CLINSEARCH_SEARCHER_QUESTION_TYPES_H_
#define CLINSEARCH_SEARCHER_QUESTION_TYPES_H_

#include <string>
#include <string_view>
#include <vector>

#include "analysis/analyzer.h"

namespace clinsearch {

struct QuestionType {
  std::string_view name;                   // "treatment"
  std::vector<std::string> heading_terms;  // stems of heading words, e.g. "treatment"
};

// The question types whose cues occur in `tokens` (the Analyzer's output of
// the query), in a fixed order, each once.
std::vector<QuestionType> DetectQuestionTypes(const Analyzer& analyzer,
                                              const std::vector<Token>& tokens);

}  // namespace clinsearch

#endif  // CLINSEARCH_SEARCHER_QUESTION_TYPES_H_
