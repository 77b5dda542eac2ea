// SPDX-License-Identifier: GPL-2.0-or-later
#include "tests/support/tcp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>

namespace clinsearch::testing_support {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in addr = Loopback(port);
  const bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool HaveTcpServer() { return std::system("command -v xapian-tcpsrv >/dev/null 2>&1") == 0; }

TcpServer::TcpServer(std::string db) : db_(std::move(db)) {}

TcpServer::~TcpServer() { Stop(); }

bool TcpServer::Start(int port) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = port > 0 ? port : FreePort();
    pid_ = Spawn();
    if (pid_ < 0) return false;
    setpgid(pid_, pid_);
    if (WaitUntilAccepting()) return true;
    Stop();
    SleepMs(200);
  }
  return false;
}

pid_t TcpServer::Spawn() const {
  const std::string port_text = std::to_string(port_);
  const pid_t pid = fork();
  if (pid != 0) return pid;
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  // Its complaints about clients that went away are expected here.
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, STDERR_FILENO);
  execlp("xapian-tcpsrv", "xapian-tcpsrv", "--port", port_text.c_str(), "--interface", "127.0.0.1",
         "--quiet", "--timeout", "20000", db_.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

bool TcpServer::WaitUntilAccepting() {
  for (int wait = 0; wait < 200; ++wait) {
    if (Accepts(port_)) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // the port was taken: another one
      pid_ = -1;
      return false;
    }
    SleepMs(50);
  }
  return false;
}

void TcpServer::Stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  kill(pid_, SIGTERM);
  int status = 0;
  for (int wait = 0; wait < 40 && waitpid(pid_, &status, WNOHANG) == 0; ++wait) SleepMs(50);
  kill(-pid_, SIGKILL);
  if (waitpid(pid_, &status, WNOHANG) == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace clinsearch::testing_support
