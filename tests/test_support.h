// Helpers shared by the tests in tests/: scratch folders, files, log level,
// case-insensitive text checks.
#ifndef CLINSEARCH_TESTS_TEST_SUPPORT_H_
#define CLINSEARCH_TESTS_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace clinsearch::testing_support {

inline std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return Lower(haystack).find(Lower(needle)) != std::string::npos;
}

inline bool AnyContains(const std::vector<std::string>& v, const std::string& a, const std::string& b) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return Contains(s, a) && Contains(s, b); });
}

// Honour CLINSEARCH_LOG_LEVEL (set by ctest) for the library's log lines.
inline void QuietLogs() {
  const char* level = std::getenv("CLINSEARCH_LOG_LEVEL");
  spdlog::set_level(spdlog::level::from_str(level && *level ? level : "warn"));
}

// A fresh folder under the test temp dir; removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "clinsearch-test-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_TEST_SUPPORT_H_
