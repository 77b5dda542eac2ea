// SPDX-License-Identifier: GPL-2.0-or-later
// The library's logger.
//
// Log() is the spdlog logger named "clinsearch" when the host program
// registered one (the CLI does: stderr, at its --log-level), else the
// library's own logger, which hands each message to the handler set with
// SetLogHandler (the C API's cs_set_log_callback) and, while none is set,
// writes nothing anywhere. The library never configures sinks of its own
// and never falls back to spdlog's default logger, which prints to stdout:
// in a CGI or FFI host, stdout is the answer being sent.
//
// Queries may hold patient details: never log raw query text above debug.
#ifndef CLINSEARCH_BASE_LOG_H_
#define CLINSEARCH_BASE_LOG_H_

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>
#include <string_view>

namespace clinsearch {

// The logger to write to (see the top of this file). Thread-safe.
std::shared_ptr<spdlog::logger> Log();

// Receives one message: its level and its text, without timestamp, level
// or newline. The text is valid during the call only.
using LogHandler = std::function<void(spdlog::level::level_enum level, std::string_view text)>;

// Sends the library logger's messages at `min_level` and above to
// `handler`, replacing the previous handler; an empty handler turns the
// library logger off. Calls to the handler come from whichever thread
// logs, one at a time; once this returns, the previous handler is not
// called again. The handler must not call back into the library (it runs
// under the logger's lock). A registered "clinsearch" logger takes
// precedence: the handler then receives nothing. Thread-safe.
void SetLogHandler(spdlog::level::level_enum min_level, LogHandler handler);

}  // namespace clinsearch

#endif  // CLINSEARCH_BASE_LOG_H_
