// SPDX-License-Identifier: GPL-2.0-or-later
#include "tests/support/text.h"

#include <algorithm>
#include <cctype>

namespace clinsearch::testing_support {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return Lower(haystack).find(Lower(needle)) != std::string::npos;
}

bool AnyContains(const std::vector<std::string>& v, const std::string& a, const std::string& b) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return Contains(s, a) && Contains(s, b); });
}

bool AnyStartsWith(const std::vector<std::string>& v, const std::string& prefix) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) {
    return s.compare(0, prefix.size(), prefix) == 0;
  });
}

}  // namespace clinsearch::testing_support
