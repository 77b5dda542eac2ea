// SPDX-License-Identifier: GPL-2.0-or-later
// Loopback TCP for tests: a free port, a probe, and xapian-tcpsrv serving a
// database (remote shards) in a child process.
#ifndef CLINSEARCH_TESTS_SUPPORT_TCP_SERVER_H_
#define CLINSEARCH_TESTS_SUPPORT_TCP_SERVER_H_

#include <sys/types.h>

#include <string>

namespace clinsearch::testing_support {

// A port of 127.0.0.1 nobody listens on now (the kernel's pick for port 0);
// 0 if none could be had. Another process may take it before it is used.
int FreePort();

// True if something accepts connections on 127.0.0.1:`port`.
bool Accepts(int port);

// True if xapian-tcpsrv is on the PATH (Debian's xapian-tools;
// scripts/install-deps.sh installs it).
bool HaveTcpServer();

// xapian-tcpsrv serving one database on 127.0.0.1, in its own process
// group: stopped (with the connections it forked) by Stop() or the
// destructor, and killed by the kernel if the test process dies first.
class TcpServer {
 public:
  explicit TcpServer(std::string db);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  // Starts the server (on `port`, or a free one); false if it never
  // accepted a connection within 10 s.
  bool Start(int port = 0);
  // Stops the server and waits for it; nothing if it is not running.
  void Stop();

  int port() const { return port_; }

 private:
  // Forks and execs xapian-tcpsrv on port_; the child's pid.
  pid_t Spawn() const;
  // Waits up to 10 s for the server to accept; false if it did not, or
  // exited (its port was taken).
  bool WaitUntilAccepting();

  std::string db_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace clinsearch::testing_support

#endif  // CLINSEARCH_TESTS_SUPPORT_TCP_SERVER_H_
