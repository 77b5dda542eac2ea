// SPDX-License-Identifier: GPL-2.0-or-later
#include "clinsearch/format.h"

#include <algorithm>
#include <cstdio>

#include "base/json_writer.h"

namespace clinsearch {
namespace {

bool IsHtmlSpecial(char c) { return c == '&' || c == '<' || c == '>' || c == '"'; }

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t at = 0; at < s.size();) {
    size_t special = at;
    while (special < s.size() && !IsHtmlSpecial(s[special])) ++special;
    out.append(s, at, special - at);
    if (special == s.size()) break;
    switch (s[special]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += "&quot;";
    }
    at = special + 1;
  }
  return out;
}

template <typename Escape>
std::string Mark(const Hit& hit, std::string_view open, std::string_view close, Escape escape) {
  std::string out;
  size_t at = 0;
  for (const auto& [b, e] : hit.highlights) {
    if (b < at || e > hit.snippet.size()) continue;
    out += escape(std::string_view(hit.snippet).substr(at, b - at));
    out += open;
    out += escape(std::string_view(hit.snippet).substr(b, e - b));
    out += close;
    at = e;
  }
  out += escape(std::string_view(hit.snippet).substr(at));
  return out;
}

// Document text on a terminal: control characters (ANSI escapes among
// them) become spaces.
std::string Plain(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace

std::string FormatJson(const SearchResponse& response, std::string_view id) {
  JsonWriter w;
  w.BeginObject();
  w.MemberIfAny("id", id);
  w.Member("query", response.query);
  if (response.corrected) w.Member("corrected", *response.corrected);
  w.Key("total");
  w.Uint(response.total_estimate);
  w.Key("results");
  w.BeginArray();
  for (const Hit& h : response.hits) {
    w.BeginObject();
    w.Key("rank");
    w.Int(h.rank);
    w.Key("score");
    w.Double(h.score);
    w.Member("doc_id", h.doc_id);
    w.Member("title", h.title);
    w.Member("section", h.heading);
    w.MemberIfAny("source", h.source);
    w.MemberIfAny("url", h.url);
    w.Member("passage", h.passage);
    w.Member("snippet", Mark(h, "<mark>", "</mark>", EscapeHtml));
    w.Key("matched");
    w.BeginArray();
    for (const std::string& m : h.matched) w.String(m);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  if (!response.source_facets.empty()) {
    // Counts per source name, in the response's order (a name given twice
    // keeps its first count, as a JSON object can hold it once).
    w.Key("facets");
    w.BeginObject();
    w.Key("source");
    w.BeginObject();
    std::vector<std::string_view> seen;
    for (const auto& [name, count] : response.source_facets) {
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      w.Key(name);
      w.Uint(count);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  return w.Take();
}

std::string FormatJsonError(std::string_view query, std::string_view error, std::string_view id) {
  JsonWriter w;
  w.BeginObject();
  w.MemberIfAny("id", id);
  w.Member("query", query);
  w.Member("error", error);
  w.Key("results");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string FormatSuggestionsJson(std::string_view query,
                                  const std::vector<Suggestion>& suggestions) {
  JsonWriter w;
  w.BeginObject();
  w.Member("query", query);
  w.Key("suggestions");
  w.BeginArray();
  for (const Suggestion& s : suggestions) {
    w.BeginObject();
    w.Member("text", s.text);
    w.Member("kind", s.kind == Suggestion::Kind::kConcept ? "concept"
                     : s.kind == Suggestion::Kind::kWord  ? "word"
                                                          : "spelling");
    w.MemberIfAny("concept", s.concept_name);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string FormatDocumentJson(std::string_view doc_id, const std::vector<Hit>& passages) {
  JsonWriter w;
  w.BeginObject();
  w.Member("doc_id", doc_id);
  w.Member("title", passages.empty() ? "" : passages.front().title);
  if (!passages.empty()) {
    w.MemberIfAny("source", passages.front().source);
    w.MemberIfAny("url", passages.front().url);
  }
  w.Key("passages");
  w.BeginArray();
  for (const Hit& h : passages) {
    w.BeginObject();
    w.Member("section", h.heading);
    w.Member("passage", h.passage);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string FormatText(const SearchResponse& response, bool color) {
  std::string out;
  if (response.corrected) out += "Showing results for: " + *response.corrected + "\n";
  if (response.hits.empty()) {
    out += "No passages found.\n";
    return out;
  }
  const std::string bold = color ? "\x1b[1m" : "", yellow = color ? "\x1b[1;33m" : "[",
                    dim = color ? "\x1b[2m" : "", reset = color ? "\x1b[0m" : "",
                    mark_end = color ? "\x1b[0m" : "]";
  for (const Hit& h : response.hits) {
    char score[32];
    snprintf(score, sizeof score, "%.2f", h.score);
    out += bold + std::to_string(h.rank) + ". " + Plain(h.title) + reset;
    if (!h.heading.empty()) out += " \u203a " + Plain(h.heading);
    out += "  " + dim + "(" + Plain(h.doc_id) + ", score " + score + ")" + reset + "\n";
    out += "   " + Mark(h, yellow, mark_end, Plain) + "\n";
    if (!h.matched.empty()) {
      out += "   " + dim + "matched: ";
      for (size_t i = 0; i < h.matched.size(); ++i) out += (i ? "; " : "") + Plain(h.matched[i]);
      out += reset + "\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace clinsearch
