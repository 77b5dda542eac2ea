// SPDX-License-Identifier: GPL-2.0-or-later
#include "front/search_request.h"

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>

namespace clinsearch {
namespace {

// What one passage per document means for the outside (see the header).
constexpr size_t kDefaultPerDocument = 1;

enum class Kind { kNumber, kFlag, kText };

struct OptionSpec {
  std::string_view name;
  Kind kind;
};

// Every parameter but q, in the order error messages list them.
constexpr OptionSpec kOptions[] = {
    {"limit", Kind::kNumber},  {"offset", Kind::kNumber}, {"per_document", Kind::kNumber},
    {"source", Kind::kText},   {"section", Kind::kText},  {"facets", Kind::kFlag},
    {"spelling", Kind::kFlag}, {"expand", Kind::kFlag},
};

Status Invalid(std::string_view name, std::string_view what) {
  return Status::InvalidArgument(std::string(name) + " " + std::string(what));
}

const std::string* Find(const RequestParams& params, std::string_view name) {
  const auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

// Sets *value when `name` is given; absent leaves the default.
Status ReadNumber(const RequestParams& params, std::string_view name, size_t max, size_t* value) {
  const std::string* text = Find(params, name);
  if (text == nullptr) return Status::Ok();
  Result<size_t> number = ParseWholeNumber(name, *text, max);
  if (!number.ok()) return number.status();
  *value = *number;
  return Status::Ok();
}

// Sets *value when `name` is given. An empty value is true, so that a bare
// "&facets" asks for facets.
Status ReadFlag(const RequestParams& params, std::string_view name, bool* value) {
  const std::string* text = Find(params, name);
  if (text == nullptr) return Status::Ok();
  const std::string& v = *text;
  if (v.empty() || v == "1" || v == "true" || v == "yes" || v == "on") {
    *value = true;
  } else if (v == "0" || v == "false" || v == "no" || v == "off") {
    *value = false;
  } else {
    return Invalid(name, "must be 1 or 0 (or true/false, yes/no, on/off)");
  }
  return Status::Ok();
}

Status CheckQuery(const std::string& query, const RequestLimits& limits) {
  if (query.empty()) return Status::InvalidArgument("q is required: the words to search for");
  if (query.size() > limits.max_query_bytes) {
    return Invalid("q", "is longer than " + std::to_string(limits.max_query_bytes) + " bytes");
  }
  return Status::Ok();
}

Status ReadNumbers(const RequestParams& params, const RequestLimits& limits, SearchOptions* o) {
  if (Status s = ReadNumber(params, "limit", limits.max_limit, &o->limit); !s.ok()) return s;
  if (Status s = ReadNumber(params, "offset", limits.max_offset, &o->offset); !s.ok()) return s;
  if (Status s = ReadNumber(params, "per_document", limits.max_per_document, &o->per_document);
      !s.ok()) {
    return s;
  }
  if (o->limit == 0) return Invalid("limit", "must be at least 1");
  return Status::Ok();
}

Status ReadFilters(const RequestParams& params, const RequestLimits& limits, SearchOptions* o) {
  const std::string* source = Find(params, "source");
  const std::string* section = Find(params, "section");
  o->source = source ? *source : "";
  o->heading = section ? *section : "";
  if (o->source.size() > limits.max_filter_bytes || o->heading.size() > limits.max_filter_bytes) {
    return Status::InvalidArgument("source and section must be at most " +
                                   std::to_string(limits.max_filter_bytes) + " bytes");
  }
  return Status::Ok();
}

Status ReadFlags(const RequestParams& params, SearchOptions* o) {
  if (Status s = ReadFlag(params, "facets", &o->facets); !s.ok()) return s;
  if (Status s = ReadFlag(params, "spelling", &o->spelling); !s.ok()) return s;
  return ReadFlag(params, "expand", &o->expand);
}

std::string KnownOptions() {
  std::string out;
  for (const OptionSpec& spec : kOptions) {
    if (!out.empty()) out += ", ";
    out += spec.name;
  }
  return out;
}

// One JSON option as the text an HTTP parameter would carry, if its JSON
// type is the one its kind asks for.
Result<std::string> OptionText(const OptionSpec& spec, const nlohmann::json& value) {
  switch (spec.kind) {
    case Kind::kNumber:
      if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
      return Invalid(spec.name, "must be a whole number");
    case Kind::kFlag:
      if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
      return Invalid(spec.name, "must be true or false");
    case Kind::kText:
      if (value.is_string()) return value.get<std::string>();
      return Invalid(spec.name, "must be a string");
  }
  return Invalid(spec.name, "has an unknown kind");
}

const OptionSpec* FindSpec(std::string_view name) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

Result<size_t> ParseWholeNumber(std::string_view name, std::string_view text, size_t max) {
  size_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Invalid(name, "must be a whole number");
  }
  if (v > max) return Invalid(name, "must be at most " + std::to_string(max));
  return v;
}

Result<SearchRequest> ParseSearchRequest(const RequestParams& params, const RequestLimits& limits) {
  SearchRequest request;
  const std::string* query = Find(params, "q");
  request.query = query ? *query : "";
  SearchOptions& o = request.options;
  o.per_document = kDefaultPerDocument;
  if (Status s = CheckQuery(request.query, limits); !s.ok()) return s;
  if (Status s = ReadNumbers(params, limits, &o); !s.ok()) return s;
  if (Status s = ReadFilters(params, limits, &o); !s.ok()) return s;
  if (Status s = ReadFlags(params, &o); !s.ok()) return s;
  return request;
}

Result<RequestParams> SearchParamsFromJson(std::string_view options_json) {
  RequestParams params;
  if (options_json.empty()) return params;
  const nlohmann::json object = nlohmann::json::parse(options_json, nullptr, false);
  if (!object.is_object()) return Status::InvalidArgument("options must be a JSON object");
  for (const auto& [key, value] : object.items()) {
    const OptionSpec* spec = FindSpec(key);
    if (spec == nullptr) {
      return Status::InvalidArgument("unknown option \"" + key + "\" (known: " + KnownOptions() +
                                     ")");
    }
    Result<std::string> text = OptionText(*spec, value);
    if (!text.ok()) return text.status();
    params.emplace(key, std::move(*text));
  }
  return params;
}

}  // namespace clinsearch
