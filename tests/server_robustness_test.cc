// SPDX-License-Identifier: GPL-2.0-or-later
// The server under slow, idle, malformed and odd clients, over raw
// loopback sockets: the regression suite of the reliability review's HTTP
// findings (docs: server/server.h). Every wait is bounded; the bounds are
// generous (a hang, not a speed, is what fails a test): speed under such
// clients is measured by bench/slow_clients.sh.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/server.h"
#include "tests/support/corpus_index.h"
#include "tests/support/temp_dir.h"

namespace clinsearch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
using testing_support::SharedCorpusIndex;
using testing_support::TempDir;

// A connected loopback socket (closed with the object); -1 if connecting
// failed.
class Socket {
 public:
  explicit Socket(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool Send(std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until the peer closes, or `limit` passes; `closed` says which.
  std::string ReadUntilClosed(std::chrono::milliseconds limit, bool* closed = nullptr) const {
    std::string out;
    const auto end = Clock::now() + limit;
    bool eof = false;
    while (!eof && Clock::now() < end) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count()) + 1) <= 0) continue;
      char buffer[65536];
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) eof = true;
      if (n > 0) out.append(buffer, static_cast<size_t>(n));
    }
    if (closed) *closed = eof;
    return out;
  }

  // Reads `count` whole answers (header + Content-Length body), within `limit`.
  std::vector<std::string> ReadAnswers(size_t count, std::chrono::milliseconds limit) {
    std::vector<std::string> answers;
    const auto end = Clock::now() + limit;
    while (answers.size() < count && Clock::now() < end) {
      if (TakeAnswer(&answers)) continue;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buffer[65536];
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      pending_.append(buffer, static_cast<size_t>(n));
    }
    while (answers.size() < count && TakeAnswer(&answers)) {
    }
    return answers;
  }

 private:
  bool TakeAnswer(std::vector<std::string>* answers) {
    const size_t end = pending_.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    size_t length = 0;
    const size_t cl = pending_.find("Content-Length: ");
    if (cl != std::string::npos && cl < end) length = std::stoul(pending_.substr(cl + 16));
    if (pending_.size() < end + 4 + length) return false;
    answers->push_back(pending_.substr(0, end + 4 + length));
    pending_.erase(0, end + 4 + length);
    return true;
  }

  int fd_;
  std::string pending_;
};

int StatusOf(const std::string& answer) {
  if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

Json BodyOf(const std::string& answer) {
  const size_t end = answer.find("\r\n\r\n");
  return end == std::string::npos ? Json() : Json::parse(answer.substr(end + 4), nullptr, false);
}

std::string Get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

size_t ResidentKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  }
  return 0;
}

class ServerRobustnessTest : public ::testing::Test {
 protected:
  void TearDown() override { StopServer(); }

  void StartServer(ServerOptions options = {}, const std::string& db = "") {
    options.port = 0;
    options.searchers = 2;
    auto server = Server::Create(db.empty() ? SharedCorpusIndex().path() : db, options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::make_unique<Server>(std::move(*server));
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
  }
  void StopServer() {
    if (!server_) return;
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
    server_.reset();
  }
  int port() const { return server_->port(); }

  // One request on a fresh connection; the answer, or "" if none came
  // within `limit`.
  std::string Ask(const std::string& request,
                  std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    Socket s(port());
    if (!s.ok() || !s.Send(request)) return "";
    auto answers = s.ReadAnswers(1, limit);
    return answers.empty() ? "" : answers[0];
  }

  // A normal search, answered within `limit`?
  bool Searchable(std::chrono::milliseconds limit) {
    return StatusOf(Ask(Get("/search?q=tumor", "Connection: close\r\n"), limit)) == 200;
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status run_status_;
};

// review #2 (slowloris): sockets that send one header byte per second hold
// no thread; a normal client is answered meanwhile.
TEST_F(ServerRobustnessTest, SlowHeadersDoNotStopOtherClients) {
  StartServer();
  std::vector<Socket> slow;
  for (int i = 0; i < 150; ++i) {
    slow.emplace_back(port());
    ASSERT_TRUE(slow.back().ok());
    ASSERT_TRUE(slow.back().Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  }
  int answered = 0;
  for (int second = 0; second < 3; ++second) {
    for (const Socket& s : slow) s.Send("X");
    for (int probe = 0; probe < 3; ++probe) answered += Searchable(std::chrono::seconds(2)) ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  EXPECT_EQ(answered, 9);
}

// review #2: a request still unfinished request_timeout_ms after its first
// byte gets 408 and is closed, however steadily its bytes trickle in.
TEST_F(ServerRobustnessTest, TrickledRequestTimesOutWith408) {
  ServerOptions options;
  options.request_timeout_ms = 1000;
  StartServer(options);
  Socket s(port());
  ASSERT_TRUE(s.Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  const auto start = Clock::now();
  std::string answer;
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {  // a byte every 100 ms, for 4 s at most
    s.Send("Y");
    answer += s.ReadUntilClosed(std::chrono::milliseconds(100), &closed);
  }
  EXPECT_EQ(StatusOf(answer), 408) << answer;
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

// review #3: idle keep-alive connections and idle TCP connections, more
// than the old server's 64 threads, leave other clients answered.
TEST_F(ServerRobustnessTest, IdleConnectionsDoNotStopOtherClients) {
  StartServer();
  std::vector<Socket> idle;
  for (int i = 0; i < 100; ++i) {  // one request each, then silence (keep-alive)
    idle.emplace_back(port());
    ASSERT_TRUE(idle.back().Send(Get("/health")));
    ASSERT_EQ(idle.back().ReadAnswers(1, std::chrono::seconds(5)).size(), 1u);
  }
  for (int i = 0; i < 200; ++i) idle.emplace_back(port());  // never send a byte
  for (int probe = 0; probe < 3; ++probe) EXPECT_TRUE(Searchable(std::chrono::seconds(2)));
}

// review #3: a keep-alive connection left idle is closed after
// idle_timeout_ms, and so is one that never sent a byte.
TEST_F(ServerRobustnessTest, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout_ms = 300;
  StartServer(options);
  Socket kept(port()), silent(port());
  ASSERT_TRUE(kept.Send(Get("/health")));
  ASSERT_EQ(kept.ReadAnswers(1, std::chrono::seconds(5)).size(), 1u);
  for (const Socket* s : {&kept, &silent}) {
    bool closed = false;
    s->ReadUntilClosed(std::chrono::seconds(3), &closed);
    EXPECT_TRUE(closed);
  }
}

// A client that stops reading its answers does not hold the connection
// past write_timeout_ms.
TEST_F(ServerRobustnessTest, StalledReaderIsClosedAfterTheWriteTimeout) {
  ServerOptions options;
  options.write_timeout_ms = 300;
  options.idle_timeout_ms = 30000;  // only the write timeout closes it in time
  StartServer(options);
  Socket s(port());
  int small = 4096;  // a small receive window fills with one answer
  setsockopt(s.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  std::string requests;
  for (int i = 0; i < 200; ++i) requests += Get("/search?q=pain&limit=100&per_document=0");
  std::thread sender([&] { s.Send(requests); });
  std::this_thread::sleep_for(std::chrono::seconds(2));  // reading nothing
  bool closed = false;
  s.ReadUntilClosed(std::chrono::seconds(5), &closed);
  shutdown(s.fd(), SHUT_RDWR);
  sender.join();
  EXPECT_TRUE(closed);
}

// review #3: a malformed request is answered at once and its connection
// closed promptly (the old server held it for 5 s).
TEST_F(ServerRobustnessTest, MalformedRequestIsClosedPromptly) {
  StartServer();
  for (const std::string request :
       {"GARBAGE\r\n\r\n", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n", "GET /health\r\n\r\n"}) {
    Socket s(port());
    ASSERT_TRUE(s.Send(request));
    const auto start = Clock::now();
    bool closed = false;
    const std::string answer = s.ReadUntilClosed(std::chrono::seconds(4), &closed);
    EXPECT_EQ(StatusOf(answer), 400) << request;
    EXPECT_TRUE(closed) << request;
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(2500)) << request;
  }
}

// review #4: endless header lines get 431 once the block passes 16 KB, and
// the server's memory does not follow what the client sends.
TEST_F(ServerRobustnessTest, HeaderFloodGets431AndBoundedMemory) {
  StartServer();
  const size_t before_kb = ResidentKb();
  Socket s(port());
  ASSERT_TRUE(s.Send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  std::atomic<bool> done{false};
  std::thread flood([&] {
    std::string lines;
    while (lines.size() < 64 * 1024) lines += "a:b\r\n";
    for (size_t sent = 0; sent < (8u << 20) && !done; sent += lines.size()) {
      if (!s.Send(lines)) break;  // the server closed: it stopped reading
    }
    shutdown(s.fd(), SHUT_WR);
  });
  const auto answers = s.ReadAnswers(1, std::chrono::seconds(5));
  done = true;
  flood.join();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(StatusOf(answers[0]), 431) << answers[0];
  EXPECT_NE(answers[0].find("Connection: close"), std::string::npos);
  EXPECT_LT(ResidentKb(), before_kb + 32 * 1024) << "from " << before_kb << " KB";
  EXPECT_TRUE(Searchable(std::chrono::seconds(2)));
}

// review #5: three requests in one write get three answers, in order.
TEST_F(ServerRobustnessTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  Socket s(port());
  ASSERT_TRUE(s.Send(Get("/search?q=kidney") + Get("/search?q=tumor") +
                     Get("/health", "Connection: close\r\n")));
  const auto answers = s.ReadAnswers(3, std::chrono::seconds(5));
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(BodyOf(answers[0])["query"], "kidney");
  EXPECT_EQ(BodyOf(answers[1])["query"], "tumor");
  EXPECT_EQ(BodyOf(answers[2])["status"], "ok");
  bool closed = false;
  s.ReadUntilClosed(std::chrono::seconds(3), &closed);
  EXPECT_TRUE(closed);
}

// review #6: a client that half-closes (shutdown(SHUT_WR)) after its
// request still gets the answer.
TEST_F(ServerRobustnessTest, HalfClosedClientsGetTheirAnswer) {
  StartServer();
  for (int i = 0; i < 20; ++i) {
    const std::string target = i % 2 == 0 ? "/health" : "/search?q=freeze+tumor";
    Socket s(port());
    ASSERT_TRUE(s.Send(Get(target)));
    shutdown(s.fd(), SHUT_WR);
    bool closed = false;
    const std::string answer = s.ReadUntilClosed(std::chrono::seconds(5), &closed);
    EXPECT_EQ(StatusOf(answer), 200) << target;
    EXPECT_TRUE(closed);
  }
}

// review #7: malformed percent-encoding, a GET with a body and HTTP/1.1
// without Host are refused with 400; the last two close the connection.
TEST_F(ServerRobustnessTest, LenientRequestsAreRefused) {
  StartServer();
  for (const char* target : {"/search?q=%zz", "/search?q=abc%", "/search?q=abc%4"}) {
    const std::string answer = Ask(Get(target));
    EXPECT_EQ(StatusOf(answer), 400) << target;
    EXPECT_TRUE(BodyOf(answer)["error"].is_string());
  }
  for (const std::string& request :
       {Get("/search?q=tumor", "Content-Length: 5\r\n") + "hello",
        Get("/search?q=tumor", "Content-Length: 1048576\r\n") + std::string(65536, 'x'),
        std::string("GET /search?q=tumor HTTP/1.1\r\n\r\n")}) {
    Socket s(port());
    ASSERT_TRUE(s.Send(request));
    bool closed = false;
    const std::string answer = s.ReadUntilClosed(std::chrono::seconds(4), &closed);
    EXPECT_EQ(StatusOf(answer), 400) << request.substr(0, 80);
    EXPECT_TRUE(closed);
  }
}

// review #8 (odd case) and §1.7: OPTIONS on an unknown path is 404; an
// HTTP/1.0 answer carries no Keep-Alive header unless keep-alive was asked.
TEST_F(ServerRobustnessTest, OptionsUnknownPathAndHttp10) {
  StartServer();
  EXPECT_EQ(StatusOf(Ask("OPTIONS /no-such-path HTTP/1.1\r\nHost: x\r\n\r\n")), 404);
  EXPECT_EQ(StatusOf(Ask("OPTIONS /search HTTP/1.1\r\nHost: x\r\n\r\n")), 204);
  Socket s(port());
  ASSERT_TRUE(s.Send("GET /health HTTP/1.0\r\n\r\n"));
  bool closed = false;
  const std::string answer = s.ReadUntilClosed(std::chrono::seconds(4), &closed);
  EXPECT_EQ(StatusOf(answer), 200);
  EXPECT_TRUE(closed);
  EXPECT_EQ(answer.find("Keep-Alive"), std::string::npos) << answer;
}

// The tables of every generation of the index at `db` cut to `size`
// bytes (Xapian reads them lazily: a server already running then fails
// its reads), or given `saved` contents back. Returns the contents before.
std::vector<std::pair<fs::path, std::string>> CutTables(const std::string& db, size_t size) {
  std::vector<std::pair<fs::path, std::string>> saved;
  for (const auto& entry : fs::recursive_directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (name != "postlist.glass" && name != "docdata.glass") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    saved.emplace_back(entry.path(), std::string(std::istreambuf_iterator<char>(in), {}));
    fs::resize_file(entry.path(), size);
  }
  return saved;
}
void Restore(const std::vector<std::pair<fs::path, std::string>>& saved) {
  for (const auto& [path, bytes] : saved) {
    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
}

// A 503 that names neither the index folder nor the library's error.
void ExpectGenericIndexError(const std::string& answer, const std::string& folder) {
  EXPECT_EQ(StatusOf(answer), 503) << answer;
  EXPECT_EQ(answer.find(folder), std::string::npos) << answer;
  EXPECT_EQ(answer.find("glass"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("Error"), std::string::npos) << answer;
  EXPECT_EQ(BodyOf(answer)["error"], "the index could not be read; try again") << answer;
}

// review #30: while reads of the index fail, /health says so (503), and
// no error body shows a file path or the library's message; once a read
// succeeds again, /health is back to ok.
TEST_F(ServerRobustnessTest, IndexFailuresShowInHealthButNotInBodies) {
  TempDir dir;
  const std::string db = dir / "index";
  fs::copy(SharedCorpusIndex().path(), db, fs::copy_options::recursive);
  ServerOptions options;
  options.searcher.check_index = false;
  options.reopen_interval_ms = 60000;
  StartServer(options, db);
  ASSERT_EQ(StatusOf(Ask(Get("/health"))), 200);
  const auto saved = CutTables(db, 0);
  ASSERT_FALSE(saved.empty());
  for (const char* target : {"/search?q=tumor", "/search?q=kidney+stones", "/doc/some-doc"}) {
    ExpectGenericIndexError(Ask(Get(target)), dir.path());
  }
  const std::string health = Ask(Get("/health"));
  EXPECT_EQ(StatusOf(health), 503) << health;
  EXPECT_EQ(BodyOf(health)["status"], "unavailable");
  Restore(saved);
  EXPECT_EQ(StatusOf(Ask(Get("/search?q=tumor"))), 200);
  EXPECT_EQ(StatusOf(Ask(Get("/health"))), 200);
}

// Beyond max_connections, a new connection is refused at once, and served
// again once others closed.
TEST_F(ServerRobustnessTest, ConnectionsBeyondTheCapAreRefused) {
  ServerOptions options;
  options.max_connections = 20;
  StartServer(options);
  {
    std::vector<Socket> held;
    for (int i = 0; i < 20; ++i) held.emplace_back(port());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all accepted
    Socket extra(port());
    bool closed = false;
    const std::string answer = extra.ReadUntilClosed(std::chrono::seconds(3), &closed);
    EXPECT_TRUE(closed);
    EXPECT_TRUE(answer.empty() || StatusOf(answer) == 503) << answer;
  }
  bool served = false;
  for (int i = 0; i < 20 && !served; ++i) {
    served = Searchable(std::chrono::seconds(2));
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(served);
}

// Stop() returns promptly with idle and half-sent connections open.
TEST_F(ServerRobustnessTest, StopClosesOpenConnections) {
  StartServer();
  std::vector<Socket> open;
  for (int i = 0; i < 20; ++i) {
    open.emplace_back(port());
    if (i % 2 == 0) open.back().Send("GET /health HTTP/1.1\r\n");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = Clock::now();
  StopServer();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  bool closed = false;
  open.front().ReadUntilClosed(std::chrono::seconds(2), &closed);
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace clinsearch
