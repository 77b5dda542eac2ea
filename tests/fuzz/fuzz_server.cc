// libFuzzer target: raw bytes sent to the HTTP server as a request, over
// loopback, to a Server over an index of corpus/ started once. Covers the
// HTTP parsing (cpp-httplib is compiled into clinsearch, so it is
// instrumented too), routing, parameter checks and every endpoint. The
// server must answer with a well-formed status line and never a 500.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "server/server.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

int StartServer() {
  clinsearch::ServerOptions options;
  options.port = 0;
  options.threads = 4;
  options.searchers = 1;
  options.time_limit_ms = 200;
  auto created = clinsearch::Server::Create(clinsearch::fuzz::BuildCorpusIndex(), options);
  FUZZ_CHECK(created.ok());
  static clinsearch::Server server = std::move(*created);
  FUZZ_CHECK(server.Bind().ok());
  std::thread([] { (void)server.Run(); }).detach();
  return server.port();
}

// Sends `request`, closes the sending side, and returns what came back.
std::string Exchange(int port, const uint8_t* data, size_t size) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  FUZZ_CHECK(fd >= 0);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Closing resets the connection: no TIME_WAIT left per input.
  const linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  // libFuzzer's timer signal interrupts system calls: retry them.
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    pollfd p{fd, POLLOUT, 0};
    int error = errno;
    if (error == EINTR && poll(&p, 1, 10000) == 1) {
      socklen_t len = sizeof error;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    }
    if (error != 0 && error != EINTR) {
      std::fprintf(stderr, "connect: %s\n", std::strerror(error));
      FUZZ_CHECK(false);
    }
  }
  for (size_t sent = 0; sent < size;) {
    const ssize_t n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server may close early on a bad request
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string reply;
  char buffer[65536];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return reply;
}

int g_port = 0;

}  // namespace

// Set-up outside the timed inputs: index corpus/ and start the server.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clinsearch::fuzz::QuietLogs();
  g_port = StartServer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int port = g_port;
  const std::string reply = Exchange(port, data, size);
  if (reply.empty()) return 0;  // closed without an answer (no request line)
  FUZZ_CHECK(reply.rfind("HTTP/1.1 ", 0) == 0);
  FUZZ_CHECK(reply.size() >= 12);
  FUZZ_CHECK(reply.compare(9, 3, "500") != 0);
  return 0;
}
