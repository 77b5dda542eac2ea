// SPDX-License-Identifier: GPL-2.0-or-later
// Hashing and byte encodings shared by the index schema, the stored
// passage and the fingerprints: one FNV-1a, one varint, one hex form.
#ifndef CLINSEARCH_BASE_CODING_H_
#define CLINSEARCH_BASE_CODING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace clinsearch {

// 64-bit FNV-1a hash, continuing from `seed`. It streams: hashing pieces in
// turn, each seeded with the hash so far, equals hashing them joined.
uint64_t Fnv1a(std::string_view data, uint64_t seed = 1469598103934665603ULL);

// `v` as 16 lower-case hex digits (how fingerprints and shortened ids
// print a hash).
std::string Hex64(uint64_t v);

// Unsigned LEB128 varints, for the stored passage: AppendVarint adds `v`;
// ReadVarint reads one at `*pos` and moves past it, false (and `*pos`
// unchanged) when `data` ends first or the value overflows 64 bits.
void AppendVarint(std::string& out, uint64_t v);
bool ReadVarint(std::string_view data, size_t* pos, uint64_t* v);

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_CODING_H_
