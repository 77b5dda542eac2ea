#include "analysis/generations.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clinsearch {

namespace fs = std::filesystem;

int LiveGeneration(const std::string& dir) {
  std::ifstream in(dir + "/XAPIANDB");
  std::string kind, target;
  if (!(in >> kind >> target) || kind != "auto" || target.rfind("gen-", 0) != 0) return 0;
  try {
    return std::stoi(target.substr(4));
  } catch (const std::exception&) {
    return 0;
  }
}

std::string GenerationPath(const std::string& dir, int n) { return dir + "/gen-" + std::to_string(n); }

Status SwitchGeneration(const std::string& dir, int n) {
  const std::string stub = dir + "/XAPIANDB", tmp = stub + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "auto gen-" << n << "\n";
    out.flush();
    if (!out) return Status::IoError(tmp + ": cannot write the index stub");
  }
  // Durable before it becomes visible.
  if (int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(tmp.c_str(), stub.c_str()) != 0) {
    return Status::IoError(stub + ": cannot switch to generation " + std::to_string(n));
  }
  if (int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) != 0) continue;
    int k = 0;
    try {
      k = std::stoi(name.substr(4));
    } catch (const std::exception&) {
      continue;
    }
    if (k < n - 1) fs::remove_all(entry.path(), ec);
  }
  return Status::Ok();
}

}  // namespace clinsearch
