// SPDX-License-Identifier: GPL-2.0-or-later
#include "tests/support/logs.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/log.h"

namespace clinsearch::testing_support {

void QuietLogs() {
  const char* name = std::getenv("CLINSEARCH_LOG_LEVEL");
  const auto level = spdlog::level::from_str(name && *name ? name : "warn");
  spdlog::set_level(level);
  // The library logs nowhere by itself (base/log.h): a test's output shows
  // what it logged, at the level asked for.
  SetLogHandler(level, [](spdlog::level::level_enum at, std::string_view text) {
    std::fprintf(stderr, "[%s] %.*s\n", spdlog::level::to_string_view(at).data(),
                 static_cast<int>(text.size()), text.data());
  });
}

}  // namespace clinsearch::testing_support
