// SPDX-License-Identifier: GPL-2.0-or-later
#include "storage/passage_record.h"

#include <lz4.h>

#include <algorithm>

#include "base/coding.h"
#include "storage/schema.h"

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
  term += id.substr(0, 160);
  term += '~';
  term += Hex64(Fnv1a(id));
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
  Append(out, r.heading);
  Append(out, r.source);
  Append(out, r.url);
  Append(out, r.text);
  return out;
}

bool DecodeRecord(std::string_view data, PassageRecord* r) {
  std::string* fields[] = {&r->doc_id, &r->title, &r->heading, &r->source, &r->url, &r->text};
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

namespace {

// The largest stored passage ReadPassage accepts (a passage is a few KB;
// this only bounds what a corrupted size could make it allocate).
constexpr uint64_t kMaxPassageValue = uint64_t{1} << 28;

}  // namespace

std::string EncodePassageValue(const PassageRecord& record, std::string_view stored_tokens) {
  const std::string encoded = EncodeRecord(record);
  std::string plain;
  AppendVarint(plain, encoded.size());
  plain += encoded;
  plain += stored_tokens;
  // LZ4: about half the size (text compresses, tokens less), and
  // decompressing a hit's 3 KB takes a microsecond.
  std::string out;
  AppendVarint(out, plain.size());
  const size_t header = out.size();
  out.resize(header + static_cast<size_t>(LZ4_compressBound(static_cast<int>(plain.size()))));
  const int packed =
      LZ4_compress_default(plain.data(), out.data() + header, static_cast<int>(plain.size()),
                           static_cast<int>(out.size() - header));
  out.resize(header + static_cast<size_t>(std::max(packed, 0)));
  return out;
}

bool ReadPassage(const Xapian::Document& doc, PassageRecord* record, std::string* stored_tokens) {
  stored_tokens->clear();
  const std::string value = doc.get_value(kPassageSlot);
  if (value.empty()) return DecodeRecord(doc.get_data(), record);  // an index from before the slot
  uint64_t size = 0;
  size_t pos = 0;
  if (!ReadVarint(value, &pos, &size) || size == 0 || size > kMaxPassageValue) return false;
  // LZ4 expands a byte to at most 255: a larger size is a damaged value,
  // refused before it costs an allocation.
  if (size > (value.size() - pos) * 255 + 16) return false;
  std::string plain(size, '\0');
  const int got = LZ4_decompress_safe(value.data() + pos, plain.data(),
                                      static_cast<int>(value.size() - pos), static_cast<int>(size));
  if (got < 0 || static_cast<uint64_t>(got) != size) return false;
  uint64_t n = 0;
  pos = 0;
  if (!ReadVarint(plain, &pos, &n) || n > plain.size() - pos) return false;
  if (!DecodeRecord(std::string_view(plain).substr(pos, n), record)) return false;
  stored_tokens->assign(plain, pos + n);
  return true;
}

}  // namespace clinsearch
