// SPDX-License-Identifier: GPL-2.0-or-later
// The HTTP API end to end: a Server on a free loopback port over a small
// index (the bundled corpus plus documents with sources), queried with
// httplib's client the way a portal would.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "clinsearch/index_writer.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

Document Doc(const std::string& id, const std::string& title, const std::string& source,
             const std::string& heading, const std::string& text) {
  Document d;
  d.id = id;
  d.title = title;
  d.source = source;
  d.url = "https://example.org/" + id;
  d.sections.push_back({heading, text});
  return d;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* level = std::getenv("CLINSEARCH_LOG_LEVEL");
    spdlog::set_level(spdlog::level::from_str(level && *level ? level : "warn"));
    std::string tmpl = ::testing::TempDir() + "clinsearch-server-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = new std::string(tmpl);
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(w->AddPath(CLINSEARCH_SOURCE_DIR "/corpus").ok());
    const std::string filler =
        " People often ask how long it lasts, what it costs and whether it hurts; the team "
        "explains each "
        "step before it starts.";
    ASSERT_TRUE(
        w->AddDocument(Doc("ext/kidney-1", "Kidney stones", "Kidney Portal",
                           "Treatment of kidney stones",
                           "Shock wave lithotripsy breaks kidney stones into pieces." + filler))
            .ok());
    ASSERT_TRUE(
        w->AddDocument(Doc("ext/kidney-2", "Kidney stone symptoms", "Kidney Portal", "Symptoms",
                           "Kidney stones cause sharp pain in the side and back." + filler))
            .ok());
    ASSERT_TRUE(
        w->AddDocument(Doc("ext/stones-3", "Gallstones", "Digestive Portal", "Treatment",
                           "Gallstones and kidney stones are different; gallstones form in the "
                           "gallbladder." +
                               filler))
            .ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }
  static std::string db() { return *dir_ + "/index"; }

  void SetUp() override { Start({}); }
  void TearDown() override { Stop(); }

  void Start(ServerOptions options) {
    options.port = 0;
    options.reopen_interval_ms = 0;
    auto server = Server::Create(db(), options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::make_unique<Server>(std::move(*server));
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
    for (int i = 0; i < 200 && !client_->Get("/health"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void Stop() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
    server_.reset();
  }

  // GET `path`: status and parsed JSON body (null if not JSON).
  std::pair<int, Json> Get(const std::string& path) {
    auto res = client_->Get(path);
    if (!res) return {0, Json()};
    return {res->status, Json::parse(res->body, nullptr, false)};
  }
  static std::string Encode(const std::string& s) { return httplib::detail::encode_query_param(s); }

  static std::string* dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status run_status_;
  std::unique_ptr<httplib::Client> client_;
};
std::string* ServerTest::dir_ = nullptr;

TEST_F(ServerTest, SearchAnswersWithTheCliSchema) {
  auto [status, j] = Get("/search?q=" + Encode("freeze tumor") + "&limit=5");
  ASSERT_EQ(status, 200) << j.dump();
  EXPECT_EQ(j["query"], "freeze tumor");
  EXPECT_TRUE(j["total"].is_number());
  ASSERT_TRUE(j["results"].is_array());
  ASSERT_FALSE(j["results"].empty());
  EXPECT_LE(j["results"].size(), 5u);
  const Json& top = j["results"][0];
  for (const char* key :
       {"rank", "score", "doc_id", "title", "section", "passage", "snippet", "matched"}) {
    EXPECT_TRUE(top.contains(key)) << key;
  }
  EXPECT_NE(top["passage"].get<std::string>().find("ryoablation"), std::string::npos) << top.dump();
  EXPECT_NE(top["snippet"].get<std::string>().find("<mark>"), std::string::npos);
}

TEST_F(ServerTest, SpellingCorrectionIsReported) {
  auto [status, j] = Get("/search?q=" + Encode("kidny stones"));
  ASSERT_EQ(status, 200);
  ASSERT_TRUE(j.contains("corrected")) << j.dump();
  EXPECT_EQ(j["corrected"], "kidney stones");
}

TEST_F(ServerTest, FacetsAndFilters) {
  auto [status, j] = Get("/search?q=" + Encode("kidney stones") + "&facets=1&per_document=0");
  ASSERT_EQ(status, 200);
  ASSERT_TRUE(j.contains("facets")) << j.dump();
  EXPECT_EQ(j["facets"]["source"]["Kidney Portal"], 2);
  EXPECT_EQ(j["facets"]["source"]["Digestive Portal"], 1);

  auto [s2, only] =
      Get("/search?q=" + Encode("kidney stones") + "&source=" + Encode("kidney portal"));
  ASSERT_EQ(s2, 200);
  ASSERT_EQ(only["results"].size(), 2u) << only.dump();
  for (const Json& r : only["results"]) EXPECT_EQ(r["source"], "Kidney Portal");

  auto [s3, treat] = Get("/search?q=" + Encode("stones") + "&section=treatments");
  ASSERT_EQ(s3, 200);
  ASSERT_EQ(treat["results"].size(), 2u) << treat.dump();
  for (const Json& r : treat["results"]) {
    EXPECT_NE(r["section"].get<std::string>().find("Treatment"), std::string::npos);
  }
}

TEST_F(ServerTest, PagingGivesConsecutiveRanks) {
  auto [s1, first] = Get("/search?q=tumor&limit=3");
  auto [s2, second] = Get("/search?q=tumor&limit=3&offset=3");
  ASSERT_EQ(s1, 200);
  ASSERT_EQ(s2, 200);
  ASSERT_EQ(first["results"].size(), 3u);
  ASSERT_FALSE(second["results"].empty());
  EXPECT_EQ(second["results"][0]["rank"], 4);
  EXPECT_NE(second["results"][0]["doc_id"], first["results"][0]["doc_id"]);
}

TEST_F(ServerTest, BadRequestsGetJsonErrors) {
  const std::vector<std::pair<std::string, int>> cases = {
      {"/search", 400},
      {"/search?q=", 400},
      {"/search?q=tumor&limit=abc", 400},
      {"/search?q=tumor&limit=0", 400},
      {"/search?q=tumor&limit=100000", 400},
      {"/search?q=tumor&offset=-1", 400},
      {"/search?q=" + std::string(3000, 'a'), 400},
      {"/search?q=" + Encode("!!! ???"), 400},
      {"/suggest?q=tu&limit=x", 400},
      {"/doc/no-such-document", 404},
      {"/nothing-here", 404},
      {"/../../etc/passwd", 404},
  };
  for (const auto& [path, want] : cases) {
    auto [status, j] = Get(path);
    EXPECT_EQ(status, want) << path;
    ASSERT_TRUE(j.is_object()) << path;
    EXPECT_TRUE(j["error"].is_string()) << path;
    EXPECT_EQ(j["status"], want) << path;
  }
  // A huge query string is refused by the HTTP layer, still as JSON.
  auto [huge, j] = Get("/search?q=" + std::string(100000, 'a'));
  EXPECT_GE(huge, 400);
  EXPECT_LT(huge, 500);
  EXPECT_TRUE(j.is_object());
  // Other methods and bodies are refused.
  auto post = client_->Post("/search?q=tumor", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  // The server is still answering.
  EXPECT_EQ(Get("/health").first, 200);
}

TEST_F(ServerTest, SuggestCompletesConceptsAndWords) {
  auto [status, j] = Get("/suggest?q=" + Encode("freez"));
  ASSERT_EQ(status, 200) << j.dump();
  bool cryo = false;
  for (const Json& s : j["suggestions"]) {
    if (s.value("concept", "") == "cryoablation" || s["text"].get<std::string>().find("freez") == 0)
      cryo = true;
  }
  EXPECT_TRUE(cryo) << j.dump();
  auto [s2, words] = Get("/suggest?q=" + Encode("kidney sto"));
  ASSERT_EQ(s2, 200);
  bool stones = false;
  for (const Json& s : words["suggestions"])
    stones |= s["text"].get<std::string>().rfind("kidney ston", 0) == 0;
  EXPECT_TRUE(stones) << words.dump();
  auto [s3, none] = Get("/suggest?q=");
  EXPECT_EQ(s3, 200);
  EXPECT_TRUE(none["suggestions"].empty());
}

TEST_F(ServerTest, DocumentHealthAndStats) {
  auto [status, doc] = Get("/doc/" + Encode("ext/kidney-1"));
  ASSERT_EQ(status, 200) << doc.dump();
  EXPECT_EQ(doc["title"], "Kidney stones");
  ASSERT_EQ(doc["passages"].size(), 1u);
  EXPECT_NE(doc["passages"][0]["passage"].get<std::string>().find("lithotripsy"),
            std::string::npos);
  auto [s2, health] = Get("/health");
  EXPECT_EQ(s2, 200);
  EXPECT_EQ(health["status"], "ok");
  auto [s3, stats] = Get("/stats");
  ASSERT_EQ(s3, 200);
  EXPECT_GT(stats["passages"].get<int>(), 3);
  EXPECT_GE(stats["documents"].get<int>(),
            19);  // 16 corpus files + 3 above (+ 1 added by another test)
  EXPECT_GT(stats["concepts"].get<int>(), 1000);
}

TEST_F(ServerTest, WidgetIsServed) {
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page->body.find("widget.js"), std::string::npos);
  auto js = client_->Get("/widget.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_NE(js->body.find("/suggest"), std::string::npos);
  EXPECT_EQ(client_->Get("/widget.css")->status, 200);
}

// The exposure checklist of the README: no file is reachable by path
// tricks, no folder is listed, the default address is loopback.
TEST_F(ServerTest, NoPathReachesFilesAndNoFolderIsListed) {
  for (const std::string path :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
        "/widget.js/../../etc/passwd", "/doc/..%2F..%2F..%2Fetc%2Fpasswd", "/doc/../../etc/passwd",
        "//etc/passwd", "/etc/passwd", "/www/", "/static/", "/widget.js/", "/.git/config",
        "/index/", "/index/XAPIANDB"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status == 404 || res->status == 400) << path << " -> " << res->status;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("<a href"), std::string::npos) << path;  // no listing
    EXPECT_EQ(res->body.find("auto gen-"), std::string::npos) << path;
  }
  EXPECT_EQ(ServerOptions{}.host, "127.0.0.1");
}

// Queries may carry patient details: the log holds no query text above
// debug level (debug shows the parsed query, for diagnosing ranking), and
// serving writes nothing to disk.
TEST_F(ServerTest, QueriesReachNeitherTheLogNorTheDisk) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("clinsearch", sink);
  logger->set_level(spdlog::level::info);
  spdlog::register_logger(logger);
  const auto listing = [](const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      out.push_back(e.path().string() + " " +
                    std::to_string(e.is_regular_file() ? e.file_size() : 0) + " " +
                    std::to_string(e.last_write_time().time_since_epoch().count()));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  // An empty working folder, to see that nothing lands in it.
  const fs::path old_cwd = fs::current_path();
  const fs::path cwd = fs::path(*dir_) / "privacy-cwd";
  fs::create_directories(cwd);
  fs::current_path(cwd);
  const auto index_before = listing(db());
  const std::string secret = "Jane Roe born 1971 metastatic zzsecretword";
  EXPECT_EQ(Get("/search?q=" + Encode(secret)).first, 200);
  EXPECT_EQ(Get("/search?q=" + Encode(secret) + "&limit=abc").first, 400);
  EXPECT_EQ(Get("/suggest?q=" + Encode(secret)).first, 200);
  EXPECT_EQ(Get("/search?q=" + Encode(secret + " " + std::string(2500, 'x'))).first, 400);
  spdlog::drop("clinsearch");
  for (const char* word : {"Jane", "Roe", "1971", "zzsecretword"}) {
    EXPECT_EQ(captured.str().find(word), std::string::npos) << word << " logged:\n"
                                                            << captured.str();
  }
  EXPECT_EQ(listing(db()), index_before);
  EXPECT_TRUE(fs::is_empty(cwd));
  fs::current_path(old_cwd);
}

TEST_F(ServerTest, CorsOnlyWhenConfigured) {
  auto plain = client_->Get("/health");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->has_header("Access-Control-Allow-Origin"));
  Stop();
  ServerOptions options;
  options.cors_origins = {"https://portal.example", "https://www.portal.example"};
  Start(options);
  // Each listed origin gets itself back; another gets no CORS header.
  for (const std::string origin : {"https://portal.example", "https://www.portal.example"}) {
    auto res = client_->Get("/search?q=tumor", {{"Origin", origin}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), origin);
    EXPECT_EQ(res->get_header_value("Vary"), "Origin");
  }
  auto other = client_->Get("/search?q=tumor", {{"Origin", "https://elsewhere.example"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  auto pre = client_->Options("/search");
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->status, 204);
  EXPECT_NE(pre->get_header_value("Access-Control-Allow-Methods").find("GET"), std::string::npos);
}

TEST_F(ServerTest, NewDocumentsAnswerWithoutRestart) {
  EXPECT_TRUE(Get("/search?q=wombat").second["results"].empty());
  {
    auto w = IndexWriter::Open(db());
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(
        w->AddDocument(Doc("ext/wombat", "Wombats", "Zoo", "About", "A wombat digs burrows."))
            .ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto [status, j] = Get("/search?q=wombat");
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(j["results"].empty()) << j.dump();
  EXPECT_EQ(j["results"][0]["doc_id"], "ext/wombat");
}

TEST_F(ServerTest, ConcurrentClientsAllSucceed) {
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  const char* queries[] = {"freeze tumor", "kidney stones", "bisphosphonates", "Xgeva",
                           "back pain"};
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server_->port());
      for (int i = 0; i < 25; ++i) {
        auto res = client.Get("/search?q=" + Encode(queries[(c + i) % 5]));
        (res && res->status == 200 ? ok : bad)++;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, 200);
  EXPECT_EQ(bad, 0);
}

// Last in this file: it replaces the shared index. A rebuild switches
// generations; the running server answers from the new one, no restart.
TEST_F(ServerTest, RebuiltGenerationAnswersWithoutRestart) {
  EXPECT_FALSE(Get("/search?q=" + Encode("kidney stones")).second["results"].empty());
  {
    IndexOptions options;
    options.rebuild = true;
    options.allow_mass_delete = true;  // the rebuild replaces every document on purpose
    auto w = IndexWriter::Open(db(), options);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(
        w->AddDocument(Doc("ext/platypus", "Platypus", "Zoo", "About", "A platypus lays eggs."))
            .ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto [status, j] = Get("/search?q=platypus");
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(j["results"].empty()) << j.dump();
  EXPECT_EQ(j["results"][0]["doc_id"], "ext/platypus");
  EXPECT_TRUE(Get("/search?q=" + Encode("kidney stones")).second["results"].empty())
      << "the old generation's documents are gone";
  auto [s2, stats] = Get("/stats");
  EXPECT_GE(stats["generation"].get<int>(), 2);
}

}  // namespace
}  // namespace clinsearch
