// SPDX-License-Identifier: GPL-2.0-or-later
// Import of open vocabularies into the dictionary format (synonyms/FORMAT.md),
// so `--synonyms` takes them as they are published:
//
//   *.tsv  "ID-or-source<TAB>name<TAB>syn1|syn2|..." with a header line
//          (Disease Ontology synonym groups, MedQuAD "also called" names):
//          each line a concept [name] with syn: the synonyms.
//   *.csv  with a header naming "Common name" and "Synonyms" (DrugBank open
//          vocabulary): a concept per drug, synonyms split on " | ".
//   *.csv  with a header naming "Abbreviation" and "Meaning": a concept per
//          meaning with abbr: the abbreviation. An abbreviation listed with
//          several meanings is ambiguous (RFA: radiofrequency ablation, right
//          femoral artery) and is left out, so that passages are never tagged
//          with a meaning they do not have.
//
// Terms holding a comma (chemical names) cannot be written in the dictionary
// format and are left out. Problems are reported as "FILE:LINE: message".
#ifndef CLINSEARCH_ANALYSIS_VOCABULARY_IMPORT_H_
#define CLINSEARCH_ANALYSIS_VOCABULARY_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

namespace clinsearch {

// True if `path` names a vocabulary this importer reads (.tsv or .csv).
bool IsVocabularyFile(std::string_view path);

// The dictionary-format text for the vocabulary `content` read from `name`.
// Unknown layouts give an empty text and a problem.
std::string ImportVocabulary(std::string_view content, std::string_view name,
                             std::vector<std::string>* problems);

// Splits one CSV record (RFC 4180 quoting; no embedded newlines).
std::vector<std::string> SplitCsvLine(std::string_view line);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_VOCABULARY_IMPORT_H_
