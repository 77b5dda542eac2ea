// The library's logger. clinsearch logs through the spdlog logger named
// "clinsearch" when the host program registered one (the CLI does), else
// through spdlog's default logger. The library never configures sinks.
// Queries may hold patient details: never log raw query text above debug.
#ifndef CLINSEARCH_BASE_LOG_H_
#define CLINSEARCH_BASE_LOG_H_

#include <spdlog/spdlog.h>

#include <memory>

namespace clinsearch {

inline std::shared_ptr<spdlog::logger> Log() {
  auto logger = spdlog::get("clinsearch");
  return logger ? logger : spdlog::default_logger();
}

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_LOG_H_
