// SPDX-License-Identifier: GPL-2.0-or-later
// UTF-8 validation and repair, used by every reader before analysis.
#ifndef CLINSEARCH_BASE_UTF8_H_
#define CLINSEARCH_BASE_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace clinsearch {

// Replaces each invalid UTF-8 sequence and each NUL byte of `text` with
// U+FFFD. Returns how many replacements were made (0: text was valid).
// `first_bad`, when given, receives the byte offset of the first one.
size_t RepairUtf8(std::string& text, size_t* first_bad = nullptr);

// Replaces each byte of an invalid UTF-8 sequence, and each NUL, with a
// space: byte offsets stay those of the input. Returns the bytes replaced.
size_t BlankInvalidUtf8(std::string& text);

// True when `text` is valid UTF-8 without NUL bytes (nothing to repair).
bool IsValidUtf8(std::string_view text);

// 1-based line number of byte `offset` in `text`.
size_t LineOf(std::string_view text, size_t offset);

// Cuts `s` to at most `max` bytes without splitting a UTF-8 character.
void CutUtf8(std::string& s, size_t max);

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_UTF8_H_
