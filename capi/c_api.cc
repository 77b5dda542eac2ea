// SPDX-License-Identifier: GPL-2.0-or-later
// The C API (include/clinsearch/clinsearch.h) over the C++ one: handles
// wrap a Searcher; results are the same JSON the CLI and the server write.
//
// Misuse is detected where it is cheap: the handles and the strings this
// file gave out and that are still live are kept in sets, so a closed
// handle or a freed string is recognised by its address alone, without
// reading the memory it pointed to (freed memory may be unmapped, reused,
// or watched by AddressSanitizer).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/log.h"
#include "base/utf8.h"
#include "clinsearch/clinsearch.h"
#include "clinsearch/format.h"
#include "clinsearch/index_writer.h"
#include "clinsearch/searcher.h"
#include "clinsearch/version.h"
#include "front/search_request.h"

namespace {

// "cssearch": a second check, after the live set's, that the memory is a
// cs_searcher (a pointer into some other live object of this library).
constexpr uint64_t kSearcherMagic = 0x6373736561726368;

}  // namespace

struct cs_searcher {
  uint64_t magic = kSearcherMagic;
  clinsearch::Searcher searcher;
};

namespace {

// Addresses given out and not yet taken back. Thread-safe.
class LiveSet {
 public:
  void Add(const void* p) {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.insert(p);
  }
  // False when `p` was not live: never given out, or already taken back.
  bool Remove(const void* p) {
    std::lock_guard<std::mutex> lock(mutex_);
    return live_.erase(p) == 1;
  }
  bool Contains(const void* p) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return live_.count(p) == 1;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_set<const void*> live_;
};

// Never destroyed: a host may free strings or close handles from its own
// static destructors or atexit handlers.
LiveSet& LiveHandles() {
  static LiveSet* const live = new LiveSet;
  return *live;
}

LiveSet& LiveStrings() {
  static LiveSet* const live = new LiveSet;
  return *live;
}

// Every string the API returns is made here, so that cs_free knows it.
char* Copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, s.c_str(), s.size() + 1);
  LiveStrings().Add(out);
  return out;
}

char* Error(const std::string& message) {
  nlohmann::json j;
  j["error"] = message;
  return Copy(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string Text(const char* s) {
  std::string out = s ? s : "";
  clinsearch::RepairUtf8(out);
  return out;
}

void SetError(char** error, const std::string& message) {
  if (error) *error = Copy(message);
}

// Why `searcher` cannot be used by `function`, or "" when it can. Misuse is
// logged as an error: it is a bug in the host program.
std::string Unusable(const cs_searcher* searcher, std::string_view function) {
  if (searcher == nullptr) return "no searcher";
  if (LiveHandles().Contains(searcher) && searcher->magic == kSearcherMagic) return {};
  std::string message = "misuse: " + std::string(function) +
                        " was given a searcher that is closed or that cs_searcher_open did "
                        "not return";
  clinsearch::Log()->error("{}", message);
  return message;
}

// cs_suggest's limit as over HTTP: 1 to 50, with 0 (no limit given) the
// default; the same messages as /suggest's.
clinsearch::Result<size_t> SuggestLimit(int limit, const clinsearch::RequestLimits& limits) {
  if (limit == 0) return clinsearch::kDefaultSuggestLimit;
  auto n = clinsearch::ParseWholeNumber("limit", std::to_string(limit), limits.max_suggest_limit);
  if (!n.ok()) return n.status();
  return *n;
}

int LogLevelOf(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return CS_LOG_DEBUG;
    case spdlog::level::info:
      return CS_LOG_INFO;
    case spdlog::level::warn:
      return CS_LOG_WARNING;
    default:
      return CS_LOG_ERROR;
  }
}

// The least spdlog level a host's min_level lets through.
spdlog::level::level_enum SpdlogLevelOf(int min_level) {
  if (min_level <= CS_LOG_DEBUG) return spdlog::level::debug;
  if (min_level <= CS_LOG_INFO) return spdlog::level::info;
  if (min_level <= CS_LOG_WARNING) return spdlog::level::warn;
  if (min_level <= CS_LOG_ERROR) return spdlog::level::err;
  return spdlog::level::off;
}

}  // namespace

extern "C" {

const char* cs_version(void) { return CLINSEARCH_VERSION_STRING; }

cs_searcher* cs_searcher_open(const char* db_path, char** error) {
  if (error) *error = nullptr;
  try {
    auto opened = clinsearch::Searcher::Open(Text(db_path));
    if (!opened.ok()) {
      SetError(error, opened.status().message());
      return nullptr;
    }
    auto* handle = new cs_searcher{kSearcherMagic, std::move(*opened)};
    LiveHandles().Add(handle);
    return handle;
  } catch (const std::exception& e) {
    SetError(error, e.what());
    return nullptr;
  }
}

void cs_searcher_close(cs_searcher* searcher) {
  if (searcher == nullptr) return;
  if (!LiveHandles().Remove(searcher)) {
    clinsearch::Log()->error(
        "misuse: cs_searcher_close was given a searcher that is already closed or that "
        "cs_searcher_open did not return; ignored");
    return;
  }
  searcher->magic = 0;
  delete searcher;
}

char* cs_search(cs_searcher* searcher, const char* query, const char* options_json) {
  if (std::string why = Unusable(searcher, "cs_search"); !why.empty()) return Error(why);
  try {
    // The options and their defaults are the HTTP API's
    // (front/search_request.h); the query is q.
    auto params = clinsearch::SearchParamsFromJson(Text(options_json));
    if (!params.ok()) return Error(params.status().message());
    (*params)["q"] = Text(query);
    auto request = clinsearch::ParseSearchRequest(*params, clinsearch::RequestLimits{});
    if (!request.ok()) return Error(request.status().message());
    auto response = searcher->searcher.Search(request->query, request->options);
    if (!response.ok()) return Error(response.status().message());
    return Copy(clinsearch::FormatJson(*response));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

char* cs_suggest(cs_searcher* searcher, const char* prefix, int limit) {
  if (std::string why = Unusable(searcher, "cs_suggest"); !why.empty()) return Error(why);
  try {
    const clinsearch::RequestLimits limits;
    const std::string text = Text(prefix);
    if (text.size() > limits.max_query_bytes) {
      return Error("prefix is longer than " + std::to_string(limits.max_query_bytes) + " bytes");
    }
    auto n = SuggestLimit(limit, limits);
    if (!n.ok()) return Error(n.status().message());
    return Copy(clinsearch::FormatSuggestionsJson(text, searcher->searcher.Suggest(text, *n)));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

char* cs_document(cs_searcher* searcher, const char* doc_id) {
  if (std::string why = Unusable(searcher, "cs_document"); !why.empty()) return Error(why);
  try {
    const std::string id = Text(doc_id);
    if (id.size() > clinsearch::RequestLimits{}.max_document_id_bytes) {
      return Error("document id too long");
    }
    auto passages = searcher->searcher.Passages(id);
    if (!passages.ok()) return Error(passages.status().message());
    return Copy(clinsearch::FormatDocumentJson(id, *passages));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

int cs_searcher_reopen(cs_searcher* searcher, char** error) {
  if (error) *error = nullptr;
  if (std::string why = Unusable(searcher, "cs_searcher_reopen"); !why.empty()) {
    SetError(error, why);
    return -1;
  }
  try {
    clinsearch::Status s = searcher->searcher.Reopen();
    if (s.ok()) return 0;
    SetError(error, s.message());
  } catch (const std::exception& e) {
    SetError(error, e.what());
  }
  return -1;
}

char* cs_index_paths(const char* db_path, const char* const* paths, size_t n_paths, int rebuild) {
  try {
    const std::string db = Text(db_path);
    if (db.empty()) return Error("no index folder given (db_path is NULL or empty)");
    if (n_paths > 0 && !paths) return Error("paths is NULL");
    std::vector<std::string> inputs;
    for (size_t i = 0; i < n_paths; ++i) {
      if (!paths[i]) return Error("path " + std::to_string(i) + " is NULL");
      inputs.push_back(Text(paths[i]));
    }
    // All or nothing: every input is checked before anything is written,
    // and the run is one transaction committed only if every path was read.
    if (clinsearch::Status s = clinsearch::IndexWriter::CheckInputs(inputs); !s.ok()) {
      return Error(s.message());
    }
    clinsearch::IndexOptions options;
    options.rebuild = rebuild != 0;
    options.all_or_nothing = true;
    auto writer = clinsearch::IndexWriter::Open(db, options);
    if (!writer.ok()) return Error(writer.status().message());
    for (const std::string& path : inputs) {
      clinsearch::Status s = writer->AddPath(path);
      if (!s.ok() && s.code() != clinsearch::Status::Code::kInvalidArgument)
        return Error(s.message());  // the writer's destructor discards the run
    }
    clinsearch::Status s = writer->Commit();
    if (!s.ok()) return Error(s.message());
    const clinsearch::IndexStats& st = writer->stats();
    nlohmann::ordered_json j;
    j["documents"] = st.documents;
    j["added"] = st.added;
    j["updated"] = st.updated;
    j["unchanged"] = st.unchanged;
    j["passages"] = st.passages;
    j["skipped"] = st.skipped;
    j["problems"] = writer->diagnostics();
    return Copy(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (const std::exception& e) {
    return Error(e.what());
  }
}

void cs_free(void* p) {
  if (p == nullptr) return;
  if (!LiveStrings().Remove(p)) {
    clinsearch::Log()->error(
        "misuse: cs_free was given a pointer that is already freed or that this library did "
        "not return; ignored");
    return;
  }
  std::free(p);
}

void cs_set_log_callback(int min_level, cs_log_callback callback, void* user) {
  if (callback == nullptr) {
    clinsearch::SetLogHandler(spdlog::level::off, nullptr);
    return;
  }
  clinsearch::SetLogHandler(
      SpdlogLevelOf(min_level),
      [callback, user](spdlog::level::level_enum level, std::string_view text) {
        std::string message(text);
        clinsearch::RepairUtf8(message);
        callback(LogLevelOf(level), message.c_str(), user);
      });
}

}  // extern "C"
