// SPDX-License-Identifier: GPL-2.0-or-later
// Scratch folders and the files tests write into them.
#ifndef CLINSEARCH_TESTS_SUPPORT_TEMP_DIR_H_
#define CLINSEARCH_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace clinsearch::testing_support {

// A fresh, empty folder (mkdtemp), removed with everything in it when the
// TempDir is destroyed. Throws std::runtime_error when it cannot be made.
class TempDir {
 public:
  // Under the system's temporary folder ($TMPDIR, else /tmp).
  TempDir();
  // Under `parent`, e.g. the build tree, so that a folder a crash leaves
  // behind is found there.
  explicit TempDir(const std::string& parent);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `content` to `path`, replacing the file. Throws std::runtime_error
// when the file cannot be written.
void WriteFile(const std::string& path, const std::string& content);

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_SUPPORT_TEMP_DIR_H_
