// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/vocabulary_import.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "base/strings.h"

namespace clinsearch {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && LowerAscii(s.substr(s.size() - suffix.size())) == suffix;
}

std::vector<std::string> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t next = s.find(sep, pos);
    out.push_back(
        Trim(s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos)));
    if (next == std::string_view::npos) break;
    pos = next + sep.size();
  }
  return out;
}

// A term fit for a dictionary line: no commas, brackets or line breaks.
bool Writable(const std::string& term) {
  return !term.empty() && term.find_first_of(",[]\n\r#") == std::string::npos && term.size() <= 200;
}

class Writer {
 public:
  // A concept block; returns false when the name cannot be written.
  bool Concept(const std::string& name, const std::string& kind,
               const std::vector<std::string>& terms) {
    if (!Writable(name)) return false;
    std::vector<std::string> kept;
    std::set<std::string> seen{LowerAscii(name)};
    for (const std::string& t : terms) {
      if (Writable(t) && seen.insert(LowerAscii(t)).second) kept.push_back(t);
    }
    out_ << "[" << name << "]\n";
    if (!kept.empty()) {
      out_ << kind << ": ";
      for (size_t i = 0; i < kept.size(); ++i) out_ << (i ? ", " : "") << kept[i];
      out_ << "\n";
    }
    out_ << "\n";
    ++concepts_;
    return true;
  }
  std::string Text() const { return out_.str(); }
  size_t concepts() const { return concepts_; }

 private:
  std::ostringstream out_;
  size_t concepts_ = 0;
};

// Adds "NAME:LINE: message" to the problems, when they are collected.
struct Reporter {
  std::string_view name;
  std::vector<std::string>* problems;

  void operator()(size_t line, const std::string& message) const {
    if (!problems) return;
    problems->push_back(std::string(name) + ":" + std::to_string(line) + ": " + message);
  }
};

// The lines of `content`, without their line ends (LF or CR LF).
std::vector<std::string> Lines(std::string_view content) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(content)};
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
  }
  return lines;
}

// The index of the first column whose header contains `wanted`
// (case-insensitive), or -1.
long Column(const std::vector<std::string>& header, std::string_view wanted) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (LowerAscii(header[i]).find(LowerAscii(wanted)) != std::string::npos) {
      return static_cast<long>(i);
    }
  }
  return -1;
}

// Calls `use(fields)` for each non-blank line after the header whose CSV
// record reaches column `last_column`; the shorter ones are reported.
template <typename Use>
void ForEachCsvRecord(const std::vector<std::string>& lines, long last_column,
                      const Reporter& report, Use use) {
  for (size_t i = 1; i < lines.size(); ++i) {
    if (Trim(lines[i]).empty()) continue;
    const std::vector<std::string> fields = SplitCsvLine(lines[i]);
    if (static_cast<long>(fields.size()) <= last_column) {
      report(i + 1, "too few fields; line skipped");
      continue;
    }
    use(fields);
  }
}

// "ID<TAB>name<TAB>syn|syn|..." after a header line: a concept per line.
std::string ImportSynonymTsv(const std::vector<std::string>& lines, const Reporter& report) {
  Writer w;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (Trim(lines[i]).empty()) continue;
    const std::vector<std::string> f = Split(lines[i], "\t");
    if (f.size() < 3) {
      report(i + 1, "expected ID<TAB>NAME<TAB>SYN|SYN...; line skipped");
      continue;
    }
    if (!w.Concept(f[1], "syn", Split(f[2], "|"))) report(i + 1, "name cannot be written; skipped");
  }
  return w.Text();
}

// DrugBank's open vocabulary: a concept per drug (column `common`), its
// synonyms (column `synonyms`) split on " | ".
std::string ImportDrugBankCsv(const std::vector<std::string>& lines, long common, long synonyms,
                              const Reporter& report) {
  Writer w;
  ForEachCsvRecord(lines, std::max(common, synonyms), report,
                   [&](const std::vector<std::string>& f) {
                     w.Concept(Trim(f[common]), "syn", Split(f[synonyms], " | "));
                   });
  return w.Text();
}

// Abbreviation and meaning columns: a concept per meaning with abbr: the
// abbreviation, unless the abbreviation has several meanings (ambiguous).
std::string ImportAbbreviationCsv(const std::vector<std::string>& lines, long abbreviation,
                                  long meaning, const Reporter& report) {
  std::map<std::string, std::set<std::string>> meanings;  // abbreviation -> meanings
  ForEachCsvRecord(lines, std::max(abbreviation, meaning), report,
                   [&](const std::vector<std::string>& f) {
                     const std::string a = Trim(f[abbreviation]), m = Trim(f[meaning]);
                     if (!a.empty() && !m.empty()) meanings[a].insert(m);
                   });
  Writer w;
  size_t ambiguous = 0;
  for (const auto& [a, ms] : meanings) {
    if (ms.size() > 1) {
      ++ambiguous;
      continue;
    }
    w.Concept(*ms.begin(), "abbr", {a});
  }
  if (ambiguous > 0) {
    report(1,
           std::to_string(ambiguous) + " abbreviations with several meanings left out (ambiguous)");
  }
  return w.Text();
}

}  // namespace

bool IsVocabularyFile(std::string_view path) {
  return EndsWith(path, ".tsv") || EndsWith(path, ".csv");
}

std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::string ImportVocabulary(std::string_view content, std::string_view name,
                             std::vector<std::string>* problems) {
  const Reporter report{name, problems};
  const std::vector<std::string> lines = Lines(content);
  if (lines.empty()) return {};
  if (EndsWith(name, ".tsv")) return ImportSynonymTsv(lines, report);
  const std::vector<std::string> header = SplitCsvLine(lines[0]);
  const long common = Column(header, "common name"), synonyms = Column(header, "synonyms");
  if (common >= 0 && synonyms >= 0) return ImportDrugBankCsv(lines, common, synonyms, report);
  const long abbreviation = Column(header, "abbreviation"), meaning = Column(header, "meaning");
  if (abbreviation >= 0 && meaning >= 0) {
    return ImportAbbreviationCsv(lines, abbreviation, meaning, report);
  }
  report(1,
         "unknown vocabulary layout (expected a TSV of ID, name, synonyms; or a CSV with "
         "'Common name' and 'Synonyms', or 'Abbreviation' and 'Meaning' columns)");
  return {};
}

}  // namespace clinsearch
