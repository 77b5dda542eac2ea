// SPDX-License-Identifier: GPL-2.0-or-later
// Text checks for test expectations. Case is ignored for ASCII letters only.
#ifndef CLINSEARCH_TESTS_SUPPORT_TEXT_H_
#define CLINSEARCH_TESTS_SUPPORT_TEXT_H_

#include <string>
#include <vector>

namespace clinsearch::testing_support {

// `s` with ASCII letters lower-cased.
std::string Lower(std::string s);

// True if `haystack` contains `needle`, ignoring case.
bool Contains(const std::string& haystack, const std::string& needle);

// True if one string of `v` contains both `a` and `b`, ignoring case.
bool AnyContains(const std::vector<std::string>& v, const std::string& a, const std::string& b);

// True if one string of `v` starts with `prefix` (case counts), e.g. a
// diagnostic naming "file:line: ".
bool AnyStartsWith(const std::vector<std::string>& v, const std::string& prefix);

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_SUPPORT_TEXT_H_
