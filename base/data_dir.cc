// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/data_dir.h"

#include <dlfcn.h>

#include <filesystem>

namespace clinsearch {

namespace fs = std::filesystem;

namespace {

// The folder of the file (program or shared library) this code is in.
fs::path CodeFolder() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&FindDataDir), &info) == 0 || info.dli_fname == nullptr) {
    return {};
  }
  std::error_code ec;
  const fs::path file = fs::canonical(info.dli_fname, ec);
  return ec ? fs::path() : file.parent_path();
}

}  // namespace

std::string FindDataDir(std::string_view name) {
  fs::path folder = CodeFolder();
  for (int up = 0; up < 3 && !folder.empty(); ++up, folder = folder.parent_path()) {
    const fs::path candidate = folder / "share" / "clinsearch" / name;
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate.string();
    if (folder == folder.root_path()) break;
  }
  return {};
}

}  // namespace clinsearch
