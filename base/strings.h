// SPDX-License-Identifier: GPL-2.0-or-later
// Small string helpers shared by the readers, the passage splitter and the
// dictionary, so that all of them agree on what a bullet or a blank is.
#ifndef CLINSEARCH_BASE_STRINGS_H_
#define CLINSEARCH_BASE_STRINGS_H_

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

// The whole content of the file at `path`; false if it cannot be read.
bool ReadWholeFile(const std::string& path, std::string* content);

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_STRINGS_H_
