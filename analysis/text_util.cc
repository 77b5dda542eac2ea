#include "analysis/text_util.h"

namespace clinsearch {

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StripBulletMarker(std::string& line) {
  static constexpr std::string_view kMarkers[] = {"- ", "* ", "\u2022", "\u00b7", "\u2013 "};
  for (auto m : kMarkers) {
    if (line.compare(0, m.size(), m) == 0) {
      line = Trim(std::string_view(line).substr(m.size()));
      return true;
    }
  }
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] >= '0' && line[i] <= '9') ++i;
  if (i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ') {
    line = Trim(std::string_view(line).substr(i + 2));
    return true;
  }
  return false;
}

uint64_t Fnv1a(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

bool ReadVarint(std::string_view data, size_t* pos, uint64_t* v) {
  uint64_t out = 0;
  for (size_t at = *pos, shift = 0; at < data.size() && shift < 64; ++at, shift += 7) {
    const auto b = static_cast<unsigned char>(data[at]);
    if (shift == 63 && b > 1) return false;  // more than 64 bits
    out |= uint64_t{b & 0x7fu} << shift;
    if (b < 0x80) {
      *pos = at + 1;
      *v = out;
      return true;
    }
  }
  return false;
}

}  // namespace clinsearch
