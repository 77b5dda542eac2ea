// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/coding.h"

#include <cstdio>

namespace clinsearch {

uint64_t Fnv1a(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string Hex64(uint64_t v) {
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(v));
  return hex;
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
