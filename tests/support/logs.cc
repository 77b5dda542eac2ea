#include "tests/support/logs.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace clinsearch::testing_support {

void QuietLogs() {
  const char* level = std::getenv("CLINSEARCH_LOG_LEVEL");
  spdlog::set_level(spdlog::level::from_str(level && *level ? level : "warn"));
}

}  // namespace clinsearch::testing_support
