#include "analysis/index_layout.h"

#include <cstdio>

#include "analysis/text_util.h"

namespace clinsearch {
namespace {

constexpr char kSep = '\x1f';
constexpr std::string_view kRecordVersion = "r1";

void Append(std::string& out, std::string_view field) {
  out += kSep;
  for (char c : field) out += (c == kSep) ? ' ' : c;
}

}  // namespace

std::string IdTerm(std::string_view prefix, std::string_view id) {
  std::string term(prefix);
  if (id.size() <= 180) {
    term += id;
    return term;
  }
  const uint64_t h = Fnv1a(id);
  char buf[20];
  snprintf(buf, sizeof buf, "~%016llx", static_cast<unsigned long long>(h));
  term += id.substr(0, 160);
  term += buf;
  return term;
}

std::string CollapseKey(std::string_view doc_id) {
  uint64_t h = Fnv1a(doc_id);
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, h >>= 8) key[static_cast<size_t>(i)] = static_cast<char>(h & 0xff);
  return key;
}

std::string EncodeRecord(const PassageRecord& r) {
  std::string out(kRecordVersion);
  Append(out, r.doc_id);
  Append(out, r.title);
  Append(out, r.section);
  Append(out, r.source);
  Append(out, r.url);
  Append(out, r.text);
  return out;
}

bool DecodeRecord(std::string_view data, PassageRecord* r) {
  std::string* fields[] = {&r->doc_id, &r->title, &r->section, &r->source, &r->url, &r->text};
  if (data.substr(0, kRecordVersion.size()) != kRecordVersion) return false;
  size_t pos = kRecordVersion.size();
  for (size_t i = 0; i < 6; ++i) {
    if (pos >= data.size() || data[pos] != kSep) return false;
    ++pos;
    size_t end = (i == 5) ? data.size() : data.find(kSep, pos);
    if (end == std::string_view::npos) return false;
    fields[i]->assign(data.substr(pos, end - pos));
    pos = end;
  }
  return true;
}

std::string EncodePassageValue(const PassageRecord& record, std::string_view stored_tokens) {
  const std::string encoded = EncodeRecord(record);
  std::string out;
  uint64_t n = encoded.size();
  while (n >= 0x80) {  // varint length of the record
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  out += encoded;
  out += stored_tokens;
  return out;
}

bool ReadPassage(const Xapian::Document& doc, PassageRecord* record, std::string* stored_tokens) {
  stored_tokens->clear();
  const std::string value = doc.get_value(kPassageSlot);
  if (value.empty()) return DecodeRecord(doc.get_data(), record);  // an index from before the slot
  uint64_t n = 0;
  size_t pos = 0;
  for (int shift = 0; pos < value.size() && shift < 64; shift += 7) {
    const auto b = static_cast<unsigned char>(value[pos++]);
    n |= uint64_t{b & 0x7fu} << shift;
    if (b < 0x80) break;
  }
  if (n > value.size() - pos) return false;
  if (!DecodeRecord(std::string_view(value).substr(pos, n), record)) return false;
  stored_tokens->assign(value, pos + n);
  return true;
}

}  // namespace clinsearch
