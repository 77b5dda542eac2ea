#include "analysis/dictionary.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "base/data_dir.h"
#include "base/log.h"
#include "base/coding.h"
#include "base/strings.h"
#include "base/utf8.h"
#include "analysis/vocabulary_import.h"

namespace clinsearch {
namespace {

constexpr std::string_view kSourceMarker = "#@source ";
constexpr size_t kMaxNameVariants = 16;



std::string MakeId(std::string_view name) {
  std::string id;
  for (char c : LowerAscii(name)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      static_cast<unsigned char>(c) >= 0x80;
    if (keep) id += c;
    else if (!id.empty() && id.back() != '_') id += '_';
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  if (id.size() > 120) id.resize(120);
  return id;
}

// The token lattice: plain tokens in order, plus hyphen compounds as
// alternative single steps over their parts.
struct Lattice {
  std::vector<size_t> plain;  // token indices of non-compound tokens
  // compounds[p]: (compound token index, plain index of its last part) for
  // compounds whose first part is plain[p].
  std::vector<std::vector<std::pair<size_t, size_t>>> compounds;

  explicit Lattice(const std::vector<Token>& tokens) {
    std::vector<size_t> plain_of(tokens.size(), SIZE_MAX);
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!tokens[i].compound) {
        plain_of[i] = plain.size();
        plain.push_back(i);
      }
    }
    compounds.resize(plain.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!tokens[i].compound || i == 0 || plain_of[i - 1] == SIZE_MAX) continue;
      const size_t last = plain_of[i - 1];
      size_t first = last;
      while (first > 0 && tokens[plain[first]].begin > tokens[i].begin) --first;
      if (tokens[plain[first]].begin == tokens[i].begin) compounds[first].push_back({i, last});
    }
  }
};


}  // namespace

std::string BundledDictionaryDir() {
  if (const char* env = std::getenv("CLINSEARCH_SYNONYMS_DIR"); env && *env) return env;
  std::error_code ec;
  if (std::string found = FindDataDir("synonyms"); !found.empty()) return found;
#ifdef CLINSEARCH_INSTALLED_SYNONYMS_DIR
  if (std::filesystem::is_directory(CLINSEARCH_INSTALLED_SYNONYMS_DIR, ec)) return CLINSEARCH_INSTALLED_SYNONYMS_DIR;
#endif
  return "synonyms";
}

std::string_view RelationLabel(Relation relation) {
  switch (relation) {
    case Relation::kName: return "name";
    case Relation::kSynonym: return "synonym";
    case Relation::kAbbreviation: return "abbreviation";
    case Relation::kBrand: return "brand name";
    case Relation::kSpelling: return "spelling variant";
    case Relation::kLay: return "lay term";
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
  long current = -1;
  while (std::getline(in, raw)) {
    ++line_no;
    const std::string line = Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (std::string copy = line; RepairUtf8(copy) > 0) {
      report(line_no, "invalid UTF-8; line skipped");
      continue;
    }
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3 || Trim(line.substr(1, line.size() - 2)).empty()) {
        report(line_no, "concept_id header must look like [canonical name]");
        current = -1;
        continue;
      }
      current = FindOrAdd(Trim(line.substr(1, line.size() - 2)));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      report(line_no, "expected 'kind: term, term' or '[concept_id]'");
      continue;
    }
    if (current < 0) {
      report(line_no, "relation line before any [concept_id] header");
      continue;
    }
    const std::string kind = LowerAscii(Trim(line.substr(0, colon)));
    std::vector<std::string> terms;
    bool empty_term = false;
    std::stringstream list(line.substr(colon + 1));
    for (std::string item; std::getline(list, item, ',');) {
      std::string t = Trim(item);
      if (t.empty()) empty_term = true;
      else terms.push_back(std::move(t));
    }
    if (empty_term || line.back() == ',') report(line_no, "empty term in list (stray comma?)");
    if (terms.empty()) continue;
    Concept& c = concepts_[current];
    Relation rel;
    if (kind == "syn" || kind == "synonym" || kind == "synonyms") rel = Relation::kSynonym;
    else if (kind == "abbr" || kind == "abbreviation" || kind == "abbreviations") rel = Relation::kAbbreviation;
    else if (kind == "brand" || kind == "brands") rel = Relation::kBrand;
    else if (kind == "spelling" || kind == "misspelling" || kind == "misspellings") rel = Relation::kSpelling;
    else if (kind == "lay") rel = Relation::kLay;
    else if (kind == "isa" || kind == "is-a" || kind == "class") {
      for (auto& t : terms) concepts_[current].isa.push_back(std::move(t));
      continue;
    } else if (kind == "members" || kind == "member") {
      for (auto& t : terms) concepts_[current].members.push_back(std::move(t));
      continue;
    } else {
      report(line_no, "unknown kind '" + kind + "' (expected syn, abbr, brand, spelling, lay, isa, members)");
      continue;
    }
    for (auto& t : terms) {
      if (!tagged_) c.untagged.push_back(c.names.size());
      c.names.push_back({rel, std::move(t)});
    }
  }
}

Status Dictionary::ReadSources(const std::string& path, std::vector<std::pair<std::string, std::string>>* out,
                               std::vector<std::string>* diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && (it->path().extension() == ".syn" || IsVocabularyFile(it->path().string()))) {
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
      out->push_back({f.string() + " (imported)", ImportVocabulary(buf.str(), f.string(), &problems)});
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

uint32_t Dictionary::Child(uint32_t node, std::string_view key) const {
  const auto it = edges_.find(EdgeView{node, key});
  return it == edges_.end() ? 0 : it->second;
}

void Dictionary::Insert(const std::vector<std::string>& keys, uint32_t concept_id, Relation relation) {
  if (keys.empty()) return;
  auto& firsts = first_keys_[concept_id];
  if (std::find(firsts.begin(), firsts.end(), keys.front()) == firsts.end()) firsts.push_back(keys.front());
  uint32_t node = 0;
  for (const auto& k : keys) {
    const uint32_t child = Child(node, k);
    if (child == 0) {
      ends_.emplace_back();
      has_children_.push_back(false);
      const auto added = static_cast<uint32_t>(ends_.size() - 1);
      edges_.emplace(Edge{node, k}, added);
      has_children_[node] = true;
      node = added;
    } else {
      node = child;
    }
  }
  auto& entries = ends_[node];
  for (auto& [c, r] : entries) {
    if (c == concept_id) {  // keep the strongest relation: both-way before lay
      if (r == Relation::kLay && relation != Relation::kLay) r = relation;
      return;
    }
  }
  entries.push_back({concept_id, relation});
}

void Dictionary::Compile(const Analyzer& analyzer) {
  // Resolve classes (creating concepts for undefined members and classes).
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
  for (uint32_t i = 0; i < concepts_.size(); ++i) {
    std::vector<uint32_t> stack(concepts_[i].parents.begin(), concepts_[i].parents.end());
    std::vector<bool> seen(concepts_.size(), false);
    seen[i] = true;  // cycles are harmless: a concept_id is never its own ancestor
    auto& out = concepts_[i].ancestors;
    out.clear();
    while (!stack.empty()) {
      const uint32_t p = stack.back();
      stack.pop_back();
      if (seen[p]) continue;
      seen[p] = true;
      out.push_back(p);
      for (uint32_t g : concepts_[p].parents) stack.push_back(g);
    }
  }
  for (auto& c : concepts_) c.descendants.clear();
  for (uint32_t i = 0; i < concepts_.size(); ++i) {
    for (uint32_t a : concepts_[i].ancestors) concepts_[a].descendants.push_back(i);
  }

  // Build the matcher over analysed names; hyphen compounds give extra paths.
  edges_.clear();
  ends_.assign(1, {});  // node 0: the root
  has_children_.assign(1, false);
  first_keys_.assign(concepts_.size(), {});
  words_.clear();
  std::vector<std::string> keys;
  for (uint32_t i = 0; i < concepts_.size(); ++i) {
    for (const auto& entry : concepts_[i].names) {
      const Relation relation = entry.first;  // (a structured binding cannot be captured before clang 16)
      const std::vector<Token> tokens = analyzer.Analyze(entry.second);
      for (const Token& t : tokens) {
        if (t.alphabetic && !t.compound && t.word.size() >= 4) words_.push_back(t.word);
      }
      const Lattice lattice(tokens);
      // Each hyphen compound doubles the spellings of a name; a handful is
      // plenty (a name with dozens of hyphens must not explode the trie).
      size_t variants = 0;
      std::function<void(size_t)> walk = [&](size_t at) {
        if (variants >= kMaxNameVariants) return;
        if (at == lattice.plain.size()) {
          Insert(keys, i, relation);
          ++variants;
          return;
        }
        const Token& t = tokens[lattice.plain[at]];
        keys.push_back(t.acronym.empty() ? t.term : t.acronym);
        walk(at + 1);
        keys.pop_back();
        for (const auto& [compound, last] : lattice.compounds[at]) {
          keys.push_back(tokens[compound].term);
          walk(last + 1);
          keys.pop_back();
        }
      };
      keys.clear();
      if (!lattice.plain.empty()) walk(0);
    }
  }
  for (Concept& c : concepts_) {
    c.untagged_phrases.clear();
    for (size_t index : c.untagged) {
      if (c.names[index].first == Relation::kLay) continue;
      std::vector<std::string> phrase;
      for (const Token& t : analyzer.Analyze(c.names[index].second)) {
        if (!t.compound) phrase.push_back(t.acronym.empty() ? t.term : t.acronym);
      }
      if (!phrase.empty() && phrase.size() <= 8) c.untagged_phrases.push_back(std::move(phrase));
    }
  }
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
  std::vector<DictionaryMatch> out;
  if (ends_.size() <= 1 || tokens.empty()) return out;
  const Lattice lattice(tokens);
  // Depth-first from each start over (trie node, next plain index): a
  // token steps by its stem or its acronym, a hyphen compound by its term.
  std::vector<uint32_t> seen;
  auto may_start = [&](size_t start) {
    if (!first_keys) return true;
    const Token& t = tokens[lattice.plain[start]];
    if (first_keys->contains(t.term) || (!t.acronym.empty() && first_keys->contains(t.acronym))) return true;
    for (const auto& [compound, last] : lattice.compounds[start]) {
      if (first_keys->contains(tokens[compound].term)) return true;
    }
    return false;
  };
  for (size_t start = 0; start < lattice.plain.size(); ++start) {
    if (!may_start(start)) continue;
    const size_t before = out.size();
    auto walk = [&](auto& self, uint32_t node, size_t at) -> void {
      if (at >= lattice.plain.size() || !has_children_[node]) return;  // no longer name goes on
      auto step = [&](std::string_view key, size_t last_token, size_t next_plain) {
        if (node == 0 && first_keys && !first_keys->contains(key)) return;  // cannot start a match
        const uint32_t child = Child(node, key);
        if (child == 0) return;
        for (const auto& [concept_id, relation] : ends_[child]) {
          if (relation == Relation::kLay && !include_lay) continue;
          out.push_back({lattice.plain[start], last_token, concept_id, relation});
        }
        self(self, child, next_plain);
      };
      const Token& t = tokens[lattice.plain[at]];
      step(t.term, lattice.plain[at], at + 1);
      if (!t.acronym.empty()) step(t.acronym, lattice.plain[at], at + 1);
      for (const auto& [compound, last] : lattice.compounds[at]) {
        step(tokens[compound].term, compound, last + 1);
      }
    };
    walk(walk, 0, start);
    // Longest first within one start; drop duplicates of a concept_id.
    std::stable_sort(out.begin() + before, out.end(),
                     [&](const DictionaryMatch& a, const DictionaryMatch& b) {
                       return tokens[a.last].end > tokens[b.last].end;
                     });
    seen.clear();
    auto keep = out.begin() + before;
    for (auto it = keep; it != out.end(); ++it) {
      if (std::find(seen.begin(), seen.end(), it->concept_id) != seen.end()) continue;
      seen.push_back(it->concept_id);
      *keep++ = *it;
    }
    out.erase(keep, out.end());
  }
  return out;
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
    const std::string_view line(serialized.data() + pos, eol - pos + (eol < serialized.size() ? 1 : 0));
    if (line.substr(0, kSourceMarker.size()) != kSourceMarker) h = Fnv1a(line, h);
    pos = eol + 1;
  }
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace clinsearch
