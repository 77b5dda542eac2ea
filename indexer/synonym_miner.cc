// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/synonym_miner.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "base/strings.h"

namespace clinsearch {
namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

size_t Words(std::string_view s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool space = c == ' ';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

// A plausible short form: 2-10 characters, no space, starts with a letter
// or digit, at least two capitals ("SRS", "cEBRT", "NSAIDs").
bool IsShortForm(std::string_view s) {
  if (s.size() < 2 || s.size() > 10 || !IsAlnum(s[0])) return false;
  int upper = 0;
  for (char c : s) {
    if (c == ' ' || c == ',' || c == ';' || c == '=') return false;
    upper += std::isupper(static_cast<unsigned char>(c)) != 0;
  }
  return upper >= 2;
}

// A name fit for a dictionary line.
bool Writable(std::string_view s) {
  return !s.empty() && s.size() <= 100 && s.find_first_of(",[]#:\n") == std::string_view::npos;
}

}  // namespace

std::string SynonymMiner::LongFormFor(std::string_view sf, std::string_view before) {
  // Candidate: the last min(|SF| + 5, 2|SF|) words before the parenthesis,
  // within the sentence.
  std::string candidate = Trim(before);
  if (const size_t stop = candidate.find_last_of(".;:!?()"); stop != std::string::npos) {
    candidate = Trim(std::string_view(candidate).substr(stop + 1));
  }
  const size_t max_words = std::min(sf.size() + 5, sf.size() * 2);
  std::vector<std::string> words;
  {
    std::istringstream in(candidate);
    for (std::string w; in >> w;) words.push_back(w);
  }
  if (words.size() > max_words)
    words.erase(words.begin(), words.end() - static_cast<long>(max_words));
  std::string lf;
  for (const std::string& w : words) lf += (lf.empty() ? "" : " ") + w;
  // Schwartz & Hearst: match the short form's characters right to left; its
  // first character must begin a word.
  long s = static_cast<long>(sf.size()) - 1, l = static_cast<long>(lf.size()) - 1;
  while (s >= 0) {
    const char c = Lower(sf[static_cast<size_t>(s)]);
    if (!IsAlnum(c)) {
      --s;
      continue;
    }
    while ((l >= 0 && Lower(lf[static_cast<size_t>(l)]) != c) ||
           (s == 0 && l > 0 && IsAlnum(lf[static_cast<size_t>(l) - 1]))) {
      --l;
    }
    if (l < 0) return {};
    --l;
    --s;
  }
  const size_t start = lf.rfind(' ', static_cast<size_t>(l + 1)) == std::string::npos
                           ? 0
                           : lf.rfind(' ', static_cast<size_t>(l + 1)) + 1;
  std::string out = lf.substr(start);
  // Trailing punctuation, a plural 's' short form matched inside a word, or
  // a long form no longer than the short one: not a definition.
  while (!out.empty() && !IsAlnum(out.back())) out.pop_back();
  if (out.size() <= sf.size() || Words(out) < 2 ||
      LowerAscii(out).find(LowerAscii(sf)) != std::string::npos) {
    return {};
  }
  return out;
}

void SynonymMiner::Scan(std::string_view text, std::string_view title) {
  // Abbreviations: "long form (SF)".
  for (size_t open = text.find('('); open != std::string_view::npos;
       open = text.find('(', open + 1)) {
    const size_t close = text.find(')', open);
    if (close == std::string_view::npos) break;
    const std::string sf = Trim(text.substr(open + 1, close - open - 1));
    if (!IsShortForm(sf)) continue;
    const size_t from = open > 300 ? open - 300 : 0;
    const std::string lf = LongFormFor(sf, text.substr(from, open - from));
    if (lf.empty() || !Writable(lf) || !Writable(sf)) continue;
    auto& entry = abbreviations_[sf][LowerAscii(lf)];
    if (entry.first++ == 0) entry.second = lf;
  }
  // "Also called: A, B" — other names of the page's subject.
  static constexpr std::string_view kCue = "also called:";
  const std::string lower = LowerAscii(text);
  for (size_t at = lower.find(kCue); at != std::string::npos; at = lower.find(kCue, at + 1)) {
    size_t end = text.find_first_of(".\n", at);
    if (end == std::string_view::npos) end = text.size();
    const std::string list(text.substr(at + kCue.size(), end - at - kCue.size()));
    const std::string subject = Trim(title);
    if (!Writable(subject)) continue;
    std::istringstream names(list);
    for (std::string name; std::getline(names, name, ',');) {
      name = Trim(name);
      if (!Writable(name) || LowerAscii(name) == LowerAscii(subject)) continue;
      auto& v = also_called_[subject];
      if (std::find(v.begin(), v.end(), name) == v.end()) v.push_back(name);
    }
  }
}

void SynonymMiner::MergeFrom(const SynonymMiner& other) {
  for (const auto& [sf, forms] : other.abbreviations_) {
    for (const auto& [key, entry] : forms) {
      auto& mine = abbreviations_[sf][key];
      if (mine.first == 0) mine.second = entry.second;
      mine.first += entry.first;
    }
  }
  for (const auto& [subject, names] : other.also_called_) {
    auto& v = also_called_[subject];
    for (const std::string& n : names) {
      if (std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
    }
  }
}

void SynonymMiner::Merge(std::string_view dictionary_text) {
  // Re-read the blocks this class writes: "[long form]" / "abbr: SF" and
  // "[title]" / "syn: a, b".
  std::istringstream in{std::string(dictionary_text)};
  std::string concept_name;
  for (std::string line; std::getline(in, line);) {
    line = Trim(line);
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      concept_name = line.substr(1, line.size() - 2);
    } else if (line.rfind("abbr: ", 0) == 0 && !concept_name.empty()) {
      auto& entry = abbreviations_[Trim(line.substr(6))][LowerAscii(concept_name)];
      if (entry.first++ == 0) entry.second = concept_name;
    } else if (line.rfind("syn: ", 0) == 0 && !concept_name.empty()) {
      std::istringstream names(line.substr(5));
      for (std::string name; std::getline(names, name, ',');) {
        auto& v = also_called_[concept_name];
        name = Trim(name);
        if (!name.empty() && std::find(v.begin(), v.end(), name) == v.end()) v.push_back(name);
      }
    }
  }
}

std::string SynonymMiner::DictionaryText() const {
  std::ostringstream out;
  for (const auto& [sf, forms] : abbreviations_) {
    // The most used long form, if it clearly dominates.
    int best = 0, second = 0;
    const std::string* best_form = nullptr;
    for (const auto& [key, entry] : forms) {
      if (entry.first > best) {
        second = best;
        best = entry.first;
        best_form = &entry.second;
      } else {
        second = std::max(second, entry.first);
      }
    }
    if (best_form && best >= 2 * second) out << "[" << *best_form << "]\nabbr: " << sf << "\n\n";
  }
  for (const auto& [subject, names] : also_called_) {
    out << "[" << subject << "]\nsyn: ";
    for (size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << names[i];
    out << "\n\n";
  }
  return out.str();
}

}  // namespace clinsearch
