// Small text helpers shared by the readers, the passage splitter and the
// dictionary, so that all of them agree on what a bullet or a blank is.
#ifndef CLINSEARCH_ANALYSIS_TEXT_UTIL_H_
#define CLINSEARCH_ANALYSIS_TEXT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace clinsearch {

// `s` without leading and trailing spaces, tabs, CR and LF.
std::string Trim(std::string_view s);

// Runs of white space (space, tab, CR, LF, FF, VT) collapsed to one space,
// none at either end.
std::string Squeeze(std::string_view s);

// ASCII letters lower-cased; other bytes unchanged.
std::string LowerAscii(std::string_view s);

// If `line` (already trimmed) starts with a bullet marker ("- ", "* ", "•",
// "·", "–", "1.", "1)"), removes it and the space after it and returns true.
bool StripBulletMarker(std::string& line);

// 64-bit FNV-1a hash, continuing from `seed`.
uint64_t Fnv1a(std::string_view data, uint64_t seed = 1469598103934665603ULL);

// Unsigned LEB128 varints, for the stored passage: AppendVarint adds `v`;
// ReadVarint reads one at `*pos` and moves past it, false (and `*pos`
// unchanged) when `data` ends first or the value overflows 64 bits.
void AppendVarint(std::string& out, uint64_t v);
bool ReadVarint(std::string_view data, size_t* pos, uint64_t* v);

}  // namespace clinsearch

#endif  // CLINSEARCH_ANALYSIS_TEXT_UTIL_H_
