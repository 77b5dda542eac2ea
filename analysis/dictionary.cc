// SPDX-License-Identifier: GPL-2.0-or-later
#include "analysis/dictionary.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/vocabulary_import.h"
#include "base/coding.h"
#include "base/data_dir.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/utf8.h"

namespace clinsearch {
namespace {

constexpr std::string_view kSourceMarker = "#@source ";

// Concept::id of a canonical name: lower-case letters, digits and non-ASCII
// bytes, other runs as one '_', at most 120 bytes.
std::string MakeId(std::string_view name) {
  std::string id;
  for (char c : LowerAscii(name)) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (keep)
      id += c;
    else if (!id.empty() && id.back() != '_')
      id += '_';
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  if (id.size() > 120) id.resize(120);
  return id;
}

// All classes of concept `i`, transitively, nearest first. Cycles are
// harmless: a concept is never its own ancestor.
std::vector<uint32_t> AncestorsOf(const std::vector<Concept>& concepts, uint32_t i) {
  std::vector<uint32_t> ancestors;
  std::vector<uint32_t> stack(concepts[i].parents.begin(), concepts[i].parents.end());
  std::vector<bool> seen(concepts.size(), false);
  seen[i] = true;
  while (!stack.empty()) {
    const uint32_t p = stack.back();
    stack.pop_back();
    if (seen[p]) continue;
    seen[p] = true;
    ancestors.push_back(p);
    for (uint32_t g : concepts[p].parents) stack.push_back(g);
  }
  return ancestors;
}

}  // namespace

std::string BundledDictionaryDir() {
  if (const char* env = std::getenv("CLINSEARCH_SYNONYMS_DIR"); env && *env) return env;
  std::error_code ec;
  if (std::string found = FindDataDir("synonyms"); !found.empty()) return found;
#ifdef CLINSEARCH_INSTALLED_SYNONYMS_DIR
  if (std::filesystem::is_directory(CLINSEARCH_INSTALLED_SYNONYMS_DIR, ec))
    return CLINSEARCH_INSTALLED_SYNONYMS_DIR;
#endif
  return "synonyms";
}

std::string_view RelationLabel(Relation relation) {
  switch (relation) {
    case Relation::kName:
      return "name";
    case Relation::kSynonym:
      return "synonym";
    case Relation::kAbbreviation:
      return "abbreviation";
    case Relation::kBrand:
      return "brand name";
    case Relation::kSpelling:
      return "spelling variant";
    case Relation::kLay:
      return "lay term";
  }
  return "synonym";
}

uint32_t Dictionary::FindOrAdd(const std::string& name) {
  const std::string key = LowerAscii(name);
  auto it = by_name_.find(key);
  if (it != by_name_.end()) return it->second;
  Concept c;
  c.name = name;
  c.id = MakeId(name);
  c.names.push_back({Relation::kName, name});
  if (!tagged_) c.untagged.push_back(0);
  concepts_.push_back(std::move(c));
  const auto index = static_cast<uint32_t>(concepts_.size() - 1);
  by_name_.emplace(key, index);
  return index;
}

Status Dictionary::ReadSources(const std::string& path,
                               std::vector<std::pair<std::string, std::string>>* out,
                               std::vector<std::string>* diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(
             path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) &&
          (it->path().extension() == ".syn" || IsVocabularyFile(it->path().string()))) {
        files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return Status::NotFound(path + ": no .syn dictionary files in folder");
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    return Status::NotFound(path + ": no such dictionary file or folder");
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::string m = f.string() + ": cannot read dictionary file";
      Log()->warn("{}", m);
      if (diagnostics) diagnostics->push_back(m);
      continue;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    if (IsVocabularyFile(f.string())) {
      // An open vocabulary: converted to the dictionary format, and stored
      // as such in the index.
      std::vector<std::string> problems;
      out->push_back(
          {f.string() + " (imported)", ImportVocabulary(buf.str(), f.string(), &problems)});
      for (const std::string& p : problems) {
        Log()->warn("{}", p);
        if (diagnostics) diagnostics->push_back(p);
      }
      continue;
    }
    out->push_back({f.string(), buf.str()});
  }
  return Status::Ok();
}

Status Dictionary::LoadPath(const std::string& path, std::vector<std::string>* diagnostics) {
  std::vector<std::pair<std::string, std::string>> sources;
  Status s = ReadSources(path, &sources, diagnostics);
  if (!s.ok()) return s;
  for (const auto& [name, text] : sources) Parse(text, name, diagnostics);
  return Status::Ok();
}

Result<std::string> Dictionary::PathFingerprint(const std::string& path) {
  std::vector<std::pair<std::string, std::string>> sources;
  Status s = ReadSources(path, &sources, nullptr);
  if (!s.ok()) return s;
  Dictionary d;  // the sources only: Fingerprint() needs no parsing
  for (auto& [name, text] : sources) d.sources_.push_back({std::move(name), std::move(text), true});
  return d.Fingerprint();
}

void Dictionary::Compile(const Analyzer& analyzer) {
  ResolveClasses();
  std::vector<std::string> spelling_candidates;
  BuildMatcher(analyzer, &spelling_candidates);
  BuildUntaggedPhrases(analyzer);
  BuildSpellingWords(std::move(spelling_candidates));
}

void Dictionary::ResolveClasses() {
  for (uint32_t i = 0; i < concepts_.size(); ++i) {
    for (size_t k = 0; k < concepts_[i].isa.size(); ++k) {
      const uint32_t parent = FindOrAdd(concepts_[i].isa[k]);
      if (parent != i) concepts_[i].parents.push_back(parent);
    }
    for (size_t k = 0; k < concepts_[i].members.size(); ++k) {
      const uint32_t member = FindOrAdd(concepts_[i].members[k]);
      if (member != i) concepts_[member].parents.push_back(i);
    }
  }
  for (auto& c : concepts_) {
    std::sort(c.parents.begin(), c.parents.end());
    c.parents.erase(std::unique(c.parents.begin(), c.parents.end()), c.parents.end());
    for (uint32_t p : c.parents) concepts_[p].is_class = true;
  }
  for (uint32_t i = 0; i < concepts_.size(); ++i)
    concepts_[i].ancestors = AncestorsOf(concepts_, i);
  for (auto& c : concepts_) c.descendants.clear();
  for (uint32_t i = 0; i < concepts_.size(); ++i) {
    for (uint32_t a : concepts_[i].ancestors) concepts_[a].descendants.push_back(i);
  }
}

void Dictionary::BuildMatcher(const Analyzer& analyzer,
                              std::vector<std::string>* spelling_candidates) {
  // Hyphen compounds give extra paths (ConceptMatcher::Add).
  matcher_.Reset(concepts_.size());
  for (uint32_t i = 0; i < concepts_.size(); ++i) {
    for (const auto& [relation, name] : concepts_[i].names) {
      const std::vector<Token> tokens = analyzer.Analyze(name);
      for (const Token& t : tokens) {
        if (t.alphabetic && !t.compound && t.word.size() >= 4) {
          spelling_candidates->push_back(t.word);
        }
      }
      matcher_.Add(tokens, i, relation);
    }
  }
}

void Dictionary::BuildUntaggedPhrases(const Analyzer& analyzer) {
  for (Concept& c : concepts_) {
    c.untagged_phrases.clear();
    for (size_t index : c.untagged) {
      if (c.names[index].first == Relation::kLay) continue;
      std::vector<std::string> phrase = analyzer.MatchTerms(c.names[index].second);
      if (!phrase.empty() && phrase.size() <= 8) c.untagged_phrases.push_back(std::move(phrase));
    }
  }
}

void Dictionary::BuildSpellingWords(std::vector<std::string> candidates) {
  words_ = std::move(candidates);
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  word_keys_.clear();
  word_masks_.clear();
  word_key_masks_.clear();
  for (const std::string& w : words_) {
    word_keys_.push_back(SpellingKey(w));
    word_masks_.push_back(LetterMask(w));
    word_key_masks_.push_back(LetterMask(word_keys_.back()));
  }
}

std::vector<DictionaryMatch> Dictionary::Match(const std::vector<Token>& tokens, bool include_lay,
                                               const TermSet* first_keys) const {
  return matcher_.Match(tokens, include_lay, first_keys);
}

std::string Dictionary::Serialize() const {
  std::string out;
  for (const auto& [name, text, tagged] : sources_) {
    if (!tagged) continue;
    out += kSourceMarker;
    out += name;
    out += '\n';
    // A source line that looks like a marker is a comment: keep it one.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) eol = text.size();
      const std::string_view line(text.data() + pos, eol - pos);
      if (line.substr(0, kSourceMarker.size()) == kSourceMarker) out += "# ";
      out.append(line);
      out += '\n';
      pos = eol + 1;
    }
  }
  return out;
}

Dictionary Dictionary::Deserialize(std::string_view serialized) {
  Dictionary d;
  std::string name = "index";
  std::string text;
  bool pending = false;  // a source was started (it may be empty)
  auto flush = [&] {
    if (pending || !text.empty()) d.Parse(text, name, nullptr, /*log_problems=*/false);
    text.clear();
    pending = false;
  };
  size_t pos = 0;
  while (pos < serialized.size()) {
    size_t eol = serialized.find('\n', pos);
    if (eol == std::string_view::npos) eol = serialized.size();
    const std::string_view line = serialized.substr(pos, eol - pos);
    if (line.substr(0, kSourceMarker.size()) == kSourceMarker) {
      flush();
      name = std::string(line.substr(kSourceMarker.size()));
      pending = true;
    } else {
      text.append(line);
      text += '\n';
    }
    pos = eol + 1;
  }
  flush();
  return d;
}

std::string Dictionary::Fingerprint() const {
  // The serialized text without the marker lines (which carry file names),
  // so a round trip through the index, or moving the folder, keeps it.
  const std::string serialized = Serialize();
  uint64_t h = Fnv1a("");
  size_t pos = 0;
  while (pos < serialized.size()) {
    size_t eol = serialized.find('\n', pos);
    if (eol == std::string::npos) eol = serialized.size();
    const std::string_view line(serialized.data() + pos,
                                eol - pos + (eol < serialized.size() ? 1 : 0));
    if (line.substr(0, kSourceMarker.size()) != kSourceMarker) h = Fnv1a(line, h);
    pos = eol + 1;
  }
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace clinsearch
