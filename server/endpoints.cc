// SPDX-License-Identifier: GPL-2.0-or-later
#include "server/endpoints.h"

#include <exception>

#include "base/json_writer.h"
#include "base/log.h"
#include "clinsearch/format.h"

namespace clinsearch::http {
namespace {

Reply JsonReply(std::string body) {
  Reply reply;
  reply.content_type = "application/json; charset=utf-8";
  reply.body = std::move(body);
  return reply;
}

// A failed read of the index: the client learns that, the log learns why.
EndpointResult IndexFailure(const Status& s) {
  Log()->warn("an index read failed: {}", s.message());
  EndpointResult result{ErrorReply(503, kIndexUnavailable), IndexRead::kFailed};
  result.reply.headers.emplace_back("Retry-After", "1");
  return result;
}

EndpointResult Search(const Decision& d, Searcher& searcher) {
  auto response = searcher.Search(d.search.query, d.search.options);
  if (response.ok()) return {JsonReply(FormatJson(*response)), IndexRead::kOk};
  // A query with nothing to search for is the caller's; anything else is the index's.
  if (response.status().code() == Status::Code::kInvalidArgument)
    return {ErrorReply(400, response.status().message()), IndexRead::kOk};
  return IndexFailure(response.status());
}

EndpointResult Document(const Decision& d, Searcher& searcher) {
  auto passages = searcher.Passages(d.text);
  if (passages.ok()) return {JsonReply(FormatDocumentJson(d.text, *passages)), IndexRead::kOk};
  if (passages.status().code() == Status::Code::kNotFound)
    return {ErrorReply(404, passages.status().message()), IndexRead::kOk};
  return IndexFailure(passages.status());
}

EndpointResult Stats(Searcher& searcher, const ServerFigures& figures) {
  const IndexInfo info = searcher.Info();
  JsonWriter w;
  w.BeginObject();
  w.Key("passages");
  w.Uint(info.passages);
  w.Key("documents");
  w.Uint(info.documents);
  w.Key("generation");
  w.Int(info.generation);
  w.Key("shards");
  w.Uint(info.shards);
  w.Key("concepts");
  w.Uint(info.concepts);
  w.Key("dictionary_outdated");
  w.Bool(info.dictionary_outdated);
  w.Key("uptime_seconds");
  w.Int(figures.uptime_seconds);
  w.Key("requests");
  w.Uint(figures.requests);
  w.Key("errors");
  w.Uint(figures.errors);
  w.EndObject();
  return {JsonReply(w.Take()), IndexRead::kNone};
}

EndpointResult Dispatch(const Decision& d, Searcher& searcher, const ServerFigures& figures) {
  switch (d.endpoint) {
    case Endpoint::kSearch:
      return Search(d, searcher);
    case Endpoint::kSuggest:
      return {JsonReply(FormatSuggestionsJson(d.text, searcher.Suggest(d.text, d.limit))),
              IndexRead::kNone};
    case Endpoint::kDocument:
      return Document(d, searcher);
    case Endpoint::kStats:
      return Stats(searcher, figures);
    default:
      return {ErrorReply(404, "no such endpoint"), IndexRead::kNone};
  }
}

}  // namespace

EndpointResult RunEndpoint(const Decision& decision, Searcher& searcher,
                           const ServerFigures& figures) {
  std::string what = "unknown error";
  try {
    return Dispatch(decision, searcher, figures);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  // An exception's text may quote the query (a term Xapian refused, say):
  // it goes to the debug log only.
  Log()->error("request failed with an internal error (details at debug level)");
  Log()->debug("request failed: {}", what);
  return {ErrorReply(500, "internal error"), IndexRead::kFailed};
}

}  // namespace clinsearch::http
