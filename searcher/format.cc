#include "clinsearch/format.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace clinsearch {
namespace {

// One line of JSON; invalid UTF-8 in document text becomes U+FFFD.
std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string EscapeHtml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
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
  nlohmann::ordered_json j;
  if (!id.empty()) j["id"] = id;
  j["query"] = response.query;
  if (response.corrected) j["corrected"] = *response.corrected;
  j["total"] = response.total_estimate;
  j["results"] = nlohmann::ordered_json::array();
  for (const Hit& h : response.hits) {
    nlohmann::ordered_json r;
    r["rank"] = h.rank;
    r["score"] = h.score;
    r["doc_id"] = h.doc_id;
    r["title"] = h.title;
    r["section"] = h.section;
    if (!h.source.empty()) r["source"] = h.source;
    if (!h.url.empty()) r["url"] = h.url;
    r["passage"] = h.passage;
    r["snippet"] = Mark(h, "<mark>", "</mark>", EscapeHtml);
    r["matched"] = h.matched;
    j["results"].push_back(std::move(r));
  }
  if (!response.source_facets.empty()) {
    nlohmann::ordered_json sources = nlohmann::ordered_json::object();
    for (const auto& [name, count] : response.source_facets) sources[name] = count;
    j["facets"]["source"] = std::move(sources);
  }
  return Dump(j);
}

std::string FormatJsonError(std::string_view query, std::string_view error, std::string_view id) {
  nlohmann::ordered_json j;
  if (!id.empty()) j["id"] = id;
  j["query"] = query;
  j["error"] = error;
  j["results"] = nlohmann::ordered_json::array();
  return Dump(j);
}

std::string FormatSuggestionsJson(std::string_view query, const std::vector<Suggestion>& suggestions) {
  nlohmann::ordered_json j;
  j["query"] = query;
  j["suggestions"] = nlohmann::ordered_json::array();
  for (const Suggestion& s : suggestions) {
    nlohmann::ordered_json one;
    one["text"] = s.text;
    one["kind"] = s.kind == Suggestion::Kind::kConcept ? "concept"
                  : s.kind == Suggestion::Kind::kWord  ? "word"
                                                       : "spelling";
    if (!s.concept_name.empty()) one["concept"] = s.concept_name;
    j["suggestions"].push_back(std::move(one));
  }
  return Dump(j);
}

std::string FormatDocumentJson(std::string_view doc_id, const std::vector<Hit>& passages) {
  nlohmann::ordered_json j;
  j["doc_id"] = doc_id;
  j["title"] = passages.empty() ? "" : passages.front().title;
  if (!passages.empty() && !passages.front().source.empty()) j["source"] = passages.front().source;
  if (!passages.empty() && !passages.front().url.empty()) j["url"] = passages.front().url;
  j["passages"] = nlohmann::ordered_json::array();
  for (const Hit& h : passages) {
    nlohmann::ordered_json p;
    p["section"] = h.section;
    p["passage"] = h.passage;
    j["passages"].push_back(std::move(p));
  }
  return Dump(j);
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
    if (!h.section.empty()) out += " \u203a " + Plain(h.section);
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
