// SPDX-License-Identifier: GPL-2.0-or-later
// Dictionary::Parse: the dictionary format (synonyms/FORMAT.md), line by line.
#include <optional>
#include <sstream>

#include "analysis/dictionary.h"  // Parse is declared here
#include "base/log.h"
#include "base/strings.h"
#include "base/utf8.h"

namespace clinsearch {
namespace {

// The canonical name of a "[canonical name]" header line (trimmed), or ""
// when the line is not a well-formed header.
std::string HeaderName(const std::string& line) {
  if (line.size() < 3 || line.back() != ']') return "";
  return Trim(line.substr(1, line.size() - 2));
}

// The terms of a comma-separated list, trimmed; `*empty_term` is set when
// one of them is empty (a stray comma).
std::vector<std::string> SplitTerms(const std::string& list, bool* empty_term) {
  std::vector<std::string> terms;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    std::string t = Trim(item);
    if (t.empty()) {
      *empty_term = true;
    } else {
      terms.push_back(std::move(t));
    }
  }
  return terms;
}

// The relation a kind names (lower-cased: "syn", "abbreviations", ...), or
// none for isa, members and unknown kinds.
std::optional<Relation> NameRelation(const std::string& kind) {
  if (kind == "syn" || kind == "synonym" || kind == "synonyms") return Relation::kSynonym;
  if (kind == "abbr" || kind == "abbreviation" || kind == "abbreviations") {
    return Relation::kAbbreviation;
  }
  if (kind == "brand" || kind == "brands") return Relation::kBrand;
  if (kind == "spelling" || kind == "misspelling" || kind == "misspellings") {
    return Relation::kSpelling;
  }
  if (kind == "lay") return Relation::kLay;
  return std::nullopt;
}

}  // namespace

void Dictionary::Parse(std::string_view input, std::string_view source,
                       std::vector<std::string>* diagnostics, bool log_problems) {
  const std::string text(input);
  const auto report = [&](size_t line, const std::string& message) {
    std::string m = std::string(source) + ":" + std::to_string(line) + ": " + message;
    if (log_problems) Log()->warn("{}", m);
    if (diagnostics) diagnostics->push_back(std::move(m));
  };
  sources_.push_back({std::string(source), text, tagged_});

  std::istringstream in(text);
  std::string raw;
  size_t line_no = 0;
  long current = -1;  // the concept of the last good header
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (std::string copy = line; RepairUtf8(copy) > 0) {
      report(line_no, "invalid UTF-8; line skipped");
      continue;
    }
    if (line.front() == '[') {
      const std::string name = HeaderName(line);
      if (name.empty()) report(line_no, "concept header must look like [canonical name]");
      current = name.empty() ? -1 : static_cast<long>(FindOrAdd(name));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      report(line_no, "expected 'kind: term, term' or '[canonical name]'");
      continue;
    }
    if (current < 0) {
      report(line_no, "relation line before any [canonical name] header");
      continue;
    }
    bool empty_term = false;
    std::vector<std::string> terms = SplitTerms(line.substr(colon + 1), &empty_term);
    if (empty_term || line.back() == ',') report(line_no, "empty term in list (stray comma?)");
    if (terms.empty()) continue;
    const std::string kind = LowerAscii(Trim(line.substr(0, colon)));
    if (!AddRelation(static_cast<uint32_t>(current), kind, std::move(terms))) {
      report(line_no, "unknown kind '" + kind +
                          "' (expected syn, abbr, brand, spelling, lay, isa, members)");
    }
  }
}

bool Dictionary::AddRelation(uint32_t concept_index, const std::string& kind,
                             std::vector<std::string> terms) {
  Concept& c = concepts_[concept_index];
  if (kind == "isa" || kind == "is-a" || kind == "class") {
    for (auto& t : terms) c.isa.push_back(std::move(t));
    return true;
  }
  if (kind == "members" || kind == "member") {
    for (auto& t : terms) c.members.push_back(std::move(t));
    return true;
  }
  const std::optional<Relation> relation = NameRelation(kind);
  if (!relation) return false;
  for (auto& t : terms) {
    if (!tagged_) c.untagged.push_back(c.names.size());
    c.names.push_back({*relation, std::move(t)});
  }
  return true;
}

}  // namespace clinsearch
