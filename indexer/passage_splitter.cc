// SPDX-License-Identifier: GPL-2.0-or-later
#include "indexer/passage_splitter.h"

#include <sstream>
#include <string>

#include "base/strings.h"

namespace clinsearch {
namespace {

struct Unit {
  std::string text;
  bool bullet = false;
  size_t words = 0;
};

// Paragraphs (blank-line separated, lines joined) and bullet items.
std::vector<Unit> Units(std::string_view text) {
  std::vector<Unit> units;
  std::string para;
  auto flush = [&] {
    if (!para.empty()) units.push_back({para, false, CountWords(para)});
    para.clear();
  };
  std::istringstream in{std::string(text)};
  for (std::string raw; std::getline(in, raw);) {
    std::string line = Trim(raw);
    if (line.empty()) {
      flush();
      continue;
    }
    if (StripBulletMarker(line)) {
      flush();
      if (!line.empty()) units.push_back({line, true, CountWords(line)});
      continue;
    }
    if (!units.empty() && units.back().bullet && para.empty() &&
        raw.find_first_not_of(" \t") >= 2) {
      // An indented continuation of a bullet item.
      units.back().text += " " + line;
      units.back().words = CountWords(units.back().text);
      continue;
    }
    if (!para.empty()) para += ' ';
    para += line;
  }
  flush();
  return units;
}

// Sentences of a long paragraph: cut after . ! ? followed by a space and a
// capital letter or digit. A "sentence" longer than max_words (text without
// such punctuation) is cut at word boundaries every max_words words.
std::vector<std::string> Sentences(const std::string& text, size_t max_words) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '!' || c == '?') && text[i + 1] == ' ') {
      const char n = text[i + 2];
      if ((n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') || n == '"' || n == '(') {
        out.push_back(text.substr(start, i + 1 - start));
        start = i + 2;
      }
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  std::vector<std::string> bounded;
  for (const std::string& s : out) {
    if (CountWords(s) <= max_words) {
      bounded.push_back(s);
      continue;
    }
    std::string piece;
    size_t words = 0;
    bool in_word = false;
    for (char c : s) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (!space && !in_word && ++words > max_words) {
        bounded.push_back(Trim(piece));
        piece.clear();
        words = 1;
      }
      in_word = !space;
      piece += c;
    }
    if (!Trim(piece).empty()) bounded.push_back(Trim(piece));
  }
  return bounded;
}

}  // namespace

size_t CountWords(std::string_view text) {
  size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::vector<Passage> SplitPassages(const Document& doc, const PassageOptions& options) {
  std::vector<Passage> passages;
  for (size_t s = 0; s < doc.sections.size(); ++s) {
    const Section& section = doc.sections[s];
    // Long paragraphs are cut into sentence groups first.
    std::vector<Unit> units;
    for (Unit& u : Units(section.text)) {
      if (u.words <= options.max_words) {
        units.push_back(std::move(u));
        continue;
      }
      Unit part{"", u.bullet, 0};
      for (const std::string& sentence : Sentences(u.text, options.max_words)) {
        const size_t w = CountWords(sentence);
        if (part.words > 0 && part.words + w > options.target_words) {
          units.push_back(part);
          part = Unit{"", u.bullet, 0};
        }
        if (!part.text.empty()) part.text += ' ';
        part.text += sentence;
        part.words += w;
      }
      if (part.words > 0) units.push_back(part);
    }

    const size_t first_of_section = passages.size();
    std::string text;
    size_t words = 0;
    bool lead_in = false;  // the text so far ends with a line introducing a list
    auto close = [&] {
      if (words > 0) passages.push_back({section.heading, text, static_cast<int>(s)});
      text.clear();
      words = 0;
    };
    for (size_t i = 0; i < units.size(); ++i) {
      const Unit& u = units[i];
      const bool continues_list = u.bullet && i > 0 && units[i - 1].bullet;
      // A line introducing a list keeps its list, unless that would pass
      // max_words.
      if (words > 0 && (words + u.words > options.max_words ||
                        (!lead_in && words >= options.target_words && !continues_list))) {
        close();
      }
      if (!text.empty()) text += (u.bullet && (continues_list || lead_in)) ? "\n" : "\n\n";
      text += u.bullet ? "- " + u.text : u.text;
      words += u.words;
      lead_in = !u.bullet && !u.text.empty() && u.text.back() == ':';
    }
    // A short tail joins the passage before it when that stays readable.
    if (words > 0 && words < options.min_words && passages.size() > first_of_section &&
        CountWords(passages.back().text) + words <= options.max_words) {
      passages.back().text += "\n\n" + text;
    } else {
      close();
    }
  }
  return passages;
}

}  // namespace clinsearch
