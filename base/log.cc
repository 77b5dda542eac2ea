// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/log.h"

#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <utility>

namespace clinsearch {
namespace {

// Hands messages to the LogHandler; with none, drops them.
class HandlerSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Under the sink's lock, so that no call to the old handler is under way
  // or can start once this returns: the host may free what it captured.
  void SetHandler(LogHandler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handler_ = std::move(handler);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (handler_) handler_(msg.level, std::string_view(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}

 private:
  LogHandler handler_;
};

struct LibraryLogger {
  std::shared_ptr<HandlerSink> sink = std::make_shared<HandlerSink>();
  std::shared_ptr<spdlog::logger> logger =
      std::make_shared<spdlog::logger>("clinsearch-library", sink);
};

LibraryLogger& Library() {
  // Never destroyed: threads may still log while static objects are being
  // destroyed at exit.
  static LibraryLogger* const library = [] {
    auto* l = new LibraryLogger;
    l->logger->set_level(spdlog::level::off);
    // spdlog's default error handler prints to stderr (a handler that
    // throws, a bad format string): the library writes nowhere by itself.
    l->logger->set_error_handler([](const std::string&) {});
    return l;
  }();
  return *library;
}

}  // namespace

std::shared_ptr<spdlog::logger> Log() {
  auto logger = spdlog::get("clinsearch");
  return logger ? logger : Library().logger;
}

void SetLogHandler(spdlog::level::level_enum min_level, LogHandler handler) {
  LibraryLogger& library = Library();
  const bool on = static_cast<bool>(handler);
  // Off before the handler goes, on after it comes: no message meets an
  // empty handler it could have reached.
  if (!on) library.logger->set_level(spdlog::level::off);
  library.sink->SetHandler(std::move(handler));
  if (on) library.logger->set_level(min_level);
}

}  // namespace clinsearch
