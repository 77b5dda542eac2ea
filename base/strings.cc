// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/strings.h"

#include <fstream>
#include <sstream>

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

bool ReadWholeFile(const std::string& path, std::string* content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *content = buffer.str();
  return !in.bad();
}

}  // namespace clinsearch
