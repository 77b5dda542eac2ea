// SPDX-License-Identifier: GPL-2.0-or-later
// The server's connections: one Asio io_context on one thread (the I/O
// thread) accepts, reads, parses and writes; searches go to worker threads
// and their answers come back to the I/O thread. What a request asks for is
// decided in server/http_protocol.cc, searches run in server/endpoints.cc.
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/json_writer.h"
#include "base/log.h"
#include "server/endpoints.h"
#include "server/http_protocol.h"
#include "server/searcher_pool.h"
#include "server/server.h"

namespace clinsearch {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr size_t kMaxLingerBytes = 64 * 1024;

// Threads that run jobs from a bounded queue, first in, first out.
class WorkerPool {
 public:
  using Job = std::function<void()>;

  ~WorkerPool() { Stop(); }

  void Start(size_t threads) {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  }

  // Queues `job` unless `max_queued` jobs already wait; `job` is moved from
  // only when it was queued.
  bool TrySubmit(Job&& job, size_t max_queued) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ || queue_.size() >= max_queued) return false;
      queue_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
  }

  // Drops the jobs that wait; the running ones go on.
  void DropQueued() {
    std::deque<Job> dropped;
    std::lock_guard<std::mutex> lock(mu_);
    dropped.swap(queue_);
  }

  // Lets the running jobs end, drops the others, and joins the threads.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    DropQueued();
  }

 private:
  void Work() {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Job> queue_;  // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

// Raises the soft limit on open files to the hard one (connections are
// file descriptors) and returns the soft limit now in force.
size_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = std::min<rlim_t>(limit.rlim_max, rlim_t{1} << 20);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<size_t>(limit.rlim_cur);
}

class Connection;

// Everything a connection needs from the server, and the accept loop.
class HttpService {
 public:
  HttpService(std::string db_path, const ServerOptions& options, std::unique_ptr<SearcherPool> pool)
      : db_path_(std::move(db_path)),
        options_(options),
        pool_(std::move(pool)),
        acceptor_(io_),
        retry_(io_) {
    if (options_.max_queued_searches == 0) options_.max_queued_searches = 64 * pool_->size();
    pool_->With([&](Searcher& searcher) { passages_ = searcher.passage_count(); });
  }

  Status Bind();
  int port() const { return bound_port_; }
  Status Run();
  void Stop() {
    stopping_ = true;
    asio::post(io_, [this] { BeginShutdown(); });
  }

  const ServerOptions& options() const { return options_; }
  asio::io_context& io() { return io_; }
  bool stopping() const { return stopping_; }
  asio::mutable_buffer drain_buffer() { return asio::buffer(drain_); }

  void Register(Connection* connection) {
    std::lock_guard<std::mutex> lock(connections_mu_);
    connections_.insert(connection);
  }
  void Unregister(Connection* connection) {
    std::lock_guard<std::mutex> lock(connections_mu_);
    connections_.erase(connection);
  }

  // Counts an answer and logs it at debug level (the path, never the query).
  void Count(const http::Decision& d) {
    ++requests_;
    if (d.reply.status >= 400) ++errors_;
    Log()->debug("{} {} -> {}", d.method.empty() ? "-" : d.method, d.path, d.reply.status);
  }

  http::Reply Health() const;

  // Queues the search `connection` holds (Connection::pending()) for a
  // worker; false when too many wait or the server stops.
  bool Submit(const std::shared_ptr<Connection>& connection);

 private:
  void Accept();
  void OnAccept(error_code ec, tcp::socket socket);
  void Refuse(tcp::socket& socket);
  void BeginShutdown();
  size_t ConnectionCap(size_t file_limit) const;
  http::EndpointResult RunSearch(const http::Decision& d);
  size_t open_connections() {
    std::lock_guard<std::mutex> lock(connections_mu_);
    return connections_.size();
  }

  const std::string db_path_;
  ServerOptions options_;
  std::unique_ptr<SearcherPool> pool_;
  const Clock::time_point started_ = Clock::now();
  std::atomic<uint64_t> requests_{0}, errors_{0}, passages_{0};
  // The most recent endpoint that read the index failed, and none has
  // succeeded since: /health answers 503.
  std::atomic<bool> index_failing_{false};
  std::atomic<bool> stopping_{false};
  std::mutex connections_mu_;
  std::unordered_set<Connection*> connections_;  // guarded by connections_mu_
  // Declared after what the connections use: destroying the io_context
  // destroys the handlers that hold the last connections.
  asio::io_context io_{1};
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;  // accepting again after running out of files
  Clock::time_point last_accept_warning_{};
  size_t max_connections_ = 0;
  int bound_port_ = 0;
  std::array<char, 16384> drain_{};  // what lingering connections read, thrown away
  WorkerPool workers_;               // last: its jobs hold connections
};

// One client connection, driven by the I/O thread: wait for a request,
// read its header, answer (here or after a worker's search), and again.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(HttpService& service, tcp::socket socket)
      : service_(service),
        options_(service.options()),
        socket_(std::move(socket)),
        deadline_(service.io()),
        buffer_(options_.max_header_bytes + 4096) {}
  ~Connection() { service_.Unregister(this); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Start() {
    service_.Register(this);
    WaitForRequest();
  }

  // The server stops: close now unless a search is under way, whose answer
  // is still written (and then the connection closed).
  void Shutdown() {
    keep_alive_ = false;
    if (state_ != State::kSearching && state_ != State::kWriting) CloseNow();
  }

  // The request a worker answers; the worker's between Submit and
  // SendFromWorker, when the I/O thread leaves it alone.
  const http::Decision& pending() const { return pending_; }

  // On the worker, the search done: the answer goes out at once if the
  // socket takes it, without waiting for the I/O thread to be scheduled (a
  // wake-up less per request on a busy machine); the I/O thread carries on
  // from there. Safe because while a search runs the I/O thread neither
  // uses nor closes the socket (Shutdown() and deadlines leave it alone).
  void SendFromWorker(http::Reply reply) {
    pending_.reply = std::move(reply);
    pending_.keep_alive = pending_.keep_alive && !service_.stopping();
    std::string bytes = http::Serialize(pending_.reply, pending_, options_);
    const ssize_t n =
        ::send(socket_.native_handle(), bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    const bool failed = n < 0 && errno != EAGAIN && errno != EWOULDBLOCK;
    const size_t sent = n > 0 ? static_cast<size_t>(n) : 0;
    asio::post(service_.io(),
               [self = shared_from_this(), bytes = std::move(bytes), sent, failed]() mutable {
                 self->OnSentFromWorker(std::move(bytes), sent, failed);
               });
  }

 private:
  enum class State { kIdle, kReading, kSearching, kWriting, kLingering };

  // Waits for the first byte of a request without holding a buffer for it.
  void WaitForRequest() {
    state_ = State::kIdle;
    if (service_.stopping()) return CloseNow();
    if (buffer_.size() > 0) return ReadRequest();  // pipelined: already here
    // Arrived already (or the client closed)? Asio's epoll reactor is
    // edge-triggered and a wait is not tried at once: an edge spent before
    // the wait is queued would leave it waiting for bytes that are here.
    // Only this thread collects edges, so none is lost after this look.
    pollfd ready{socket_.native_handle(), POLLIN, 0};
    if (::poll(&ready, 1, 0) > 0) return ReadRequest();
    Arm(options_.idle_timeout_ms);
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
      if (ec || self->closed_) return self->CloseNow();
      self->ReadRequest();
    });
  }

  // Reads one request's header, all of it within request_timeout_ms.
  void ReadRequest() {
    state_ = State::kReading;
    timed_out_ = false;
    parser_.emplace();
    http::ConfigureParser(*parser_, options_);
    Arm(options_.request_timeout_ms);
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    if (closed_) return;
    if (ec == asio::error::operation_aborted && timed_out_) {
      http::Decision late;
      late.reply = http::ErrorReply(408, "the request took too long to arrive");
      return Send(late);
    }
    // The client went away, or closed before a whole request: nothing to answer.
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        (ec && ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()))
      return CloseNow();
    const auto* data = static_cast<const char*>(buffer_.data().data());
    Answer(http::Decide(*parser_, ec, std::string_view(data, buffer_.size()), options_));
  }

  void Answer(http::Decision d) {
    if (d.endpoint == http::Endpoint::kHealth) {
      d.reply = service_.Health();
      d.endpoint = http::Endpoint::kNone;
    }
    if (d.endpoint == http::Endpoint::kNone) return Send(d);
    pending_ = std::move(d);
    state_ = State::kSearching;
    Disarm();
    if (service_.Submit(shared_from_this())) return;
    pending_.reply = http::ErrorReply(503, "the server is busy; try again");
    pending_.reply.headers.emplace_back("Retry-After", "1");
    Send(pending_);
  }

  void Send(http::Decision& d) {
    service_.Count(d);
    d.keep_alive = d.keep_alive && keep_alive_ && !service_.stopping();
    keep_alive_ = d.keep_alive;
    out_ = http::Serialize(d.reply, d, options_);
    state_ = State::kWriting;
    Arm(options_.write_timeout_ms);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](error_code ec, size_t) { self->OnWritten(ec); });
  }

  // Back on the I/O thread after SendFromWorker: writes what the socket
  // did not take, then goes on as after any answer.
  void OnSentFromWorker(std::string bytes, size_t sent, bool failed) {
    service_.Count(pending_);
    keep_alive_ = keep_alive_ && pending_.keep_alive;
    if (closed_ || failed) return CloseNow();
    out_ = std::move(bytes);
    if (sent == out_.size()) return OnWritten({});
    state_ = State::kWriting;
    Arm(options_.write_timeout_ms);
    asio::async_write(socket_, asio::buffer(out_) + sent,
                      [self = shared_from_this()](error_code ec, size_t) { self->OnWritten(ec); });
  }

  void OnWritten(error_code ec) {
    if (ec || closed_) return CloseNow();
    if (out_.capacity() > 65536) out_ = std::string();  // a large answer's memory goes back
    out_.clear();
    if (keep_alive_) return WaitForRequest();
    CloseGracefully();
  }

  // Stops sending and reads (throwing away) what the client still sends,
  // for close_linger_ms and kMaxLingerBytes at most: closing a socket with
  // unread bytes resets the connection, and the client could lose the
  // answer before reading it. A client still sending after that many bytes
  // is not reading (a flood): the reset is what it gets.
  void CloseGracefully() {
    state_ = State::kLingering;
    if (service_.stopping() || options_.close_linger_ms == 0) return CloseNow();
    buffer_ = boost::beast::flat_buffer(0);
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    Arm(options_.close_linger_ms);
    Drain();
  }

  void Drain() {
    socket_.async_read_some(service_.drain_buffer(),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->lingered_ += n;
                              if (ec || self->closed_ || self->lingered_ > kMaxLingerBytes)
                                return self->CloseNow();
                              self->Drain();
                            });
  }

  void CloseNow() {
    if (closed_) return;
    closed_ = true;
    Disarm();
    error_code ignored;
    socket_.close(ignored);
  }

  // One deadline at a time: arming replaces the previous one.
  void Arm(unsigned ms) {
    const uint64_t generation = ++deadline_generation_;
    deadline_.expires_after(std::chrono::milliseconds(ms));
    deadline_.async_wait([self = shared_from_this(), generation](error_code ec) {
      if (!ec && generation == self->deadline_generation_) self->OnDeadline();
    });
  }
  void Disarm() {
    ++deadline_generation_;
    deadline_.cancel();
  }

  void OnDeadline() {
    if (closed_) return;
    if (state_ == State::kReading) {  // OnHeader answers 408
      timed_out_ = true;
      error_code ignored;
      socket_.cancel(ignored);
      return;
    }
    if (state_ != State::kSearching) CloseNow();  // idle, a stalled write, lingering
  }

  HttpService& service_;
  const ServerOptions& options_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  uint64_t deadline_generation_ = 0;
  boost::beast::flat_buffer buffer_;
  std::optional<http::RequestParser> parser_;
  http::Decision pending_;
  std::string out_;
  State state_ = State::kIdle;
  size_t lingered_ = 0;  // bytes read while lingering
  bool keep_alive_ = true;
  bool timed_out_ = false;
  bool closed_ = false;
};

http::Reply HttpService::Health() const {
  if (index_failing_) {
    JsonWriter w;
    w.BeginObject();
    w.Member("status", "unavailable");
    w.Member("error", http::kIndexUnavailable);
    w.EndObject();
    http::Reply reply{503, "application/json; charset=utf-8", w.Take(), {{"Retry-After", "1"}}};
    return reply;
  }
  JsonWriter w;
  w.BeginObject();
  w.Member("status", "ok");
  w.Key("passages");
  w.Uint(passages_.load());
  w.EndObject();
  return http::Reply{200, "application/json; charset=utf-8", w.Take(), {}};
}

http::EndpointResult HttpService::RunSearch(const http::Decision& d) {
  http::EndpointResult result;
  const http::ServerFigures figures{
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count(),
      requests_.load(), errors_.load()};
  pool_->With([&](Searcher& searcher) {
    result = http::RunEndpoint(d, searcher, figures);
    if (result.index_read == http::IndexRead::kOk) passages_ = searcher.passage_count();
  });
  if (result.index_read != http::IndexRead::kNone)
    index_failing_ = result.index_read == http::IndexRead::kFailed;
  return result;
}

bool HttpService::Submit(const std::shared_ptr<Connection>& connection) {
  if (stopping_) return false;
  // The guard keeps Run() going until the answer is handed back to the I/O
  // thread.
  WorkerPool::Job job = [this, self = connection, guard = asio::make_work_guard(io_)]() mutable {
    http::EndpointResult result;
    try {
      result = RunSearch(self->pending());
    } catch (...) {  // passage_count() after the search: Xapian's errors are no std::exception
      result.reply = http::ErrorReply(500, "internal error");
    }
    self->SendFromWorker(std::move(result.reply));
  };
  return workers_.TrySubmit(std::move(job), options_.max_queued_searches);
}

Status HttpService::Bind() {
  if (bound_port_ > 0) return Status::Ok();
  error_code ec;
  tcp::resolver resolver(io_);
  const auto endpoints =
      resolver.resolve(options_.host, std::to_string(options_.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  for (const auto& entry : endpoints) {
    if (ec) break;
    error_code e;
    acceptor_.open(entry.endpoint().protocol(), e);
    if (!e) acceptor_.set_option(tcp::acceptor::reuse_address(true), e);
    if (!e) acceptor_.bind(entry.endpoint(), e);
    if (!e) acceptor_.listen(asio::socket_base::max_listen_connections, e);
    if (!e) {
      bound_port_ = acceptor_.local_endpoint().port();
      return Status::Ok();
    }
    acceptor_.close(e);
  }
  return Status::IoError("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                         " (in use, or not an address of this machine)");
}

// The configured cap, held below the open-file limit less what the
// searchers' index files and the process need.
size_t HttpService::ConnectionCap(size_t file_limit) const {
  const size_t reserve = 128 + 32 * pool_->size();
  const size_t room = file_limit > reserve + 16 ? file_limit - reserve : 16;
  return std::min(options_.max_connections, room);
}

Status HttpService::Run() {
  if (Status s = Bind(); !s.ok()) return s;
  max_connections_ = ConnectionCap(RaiseFileLimit());
  Log()->info("serving {} on http://{}:{}/ ({} searchers, at most {} connections)", db_path_,
              options_.host, bound_port_, pool_->size(), max_connections_);
  workers_.Start(pool_->size());
  Accept();
  for (;;) {
    try {
      io_.run();
      break;
    } catch (const std::exception& e) {  // a handler ran out of memory, say: serve on
      Log()->error("connection handling failed: {}", e.what());
    }
  }
  workers_.Stop();
  return Status::Ok();
}

void HttpService::Accept() {
  acceptor_.async_accept(
      [this](error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void HttpService::OnAccept(error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {  // out of file descriptors, most likely: try again shortly
    if (Clock::now() - last_accept_warning_ > std::chrono::seconds(10)) {
      last_accept_warning_ = Clock::now();
      Log()->warn("cannot accept connections: {}", ec.message());
    }
    retry_.expires_after(std::chrono::milliseconds(50));
    retry_.async_wait([this](error_code e) {
      if (!e && acceptor_.is_open()) Accept();
    });
    return;
  }
  if (open_connections() >= max_connections_) {
    Refuse(socket);
  } else {
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // small JSON answers: no Nagle delay
    std::make_shared<Connection>(*this, std::move(socket))->Start();
  }
  Accept();
}

// A connection beyond the cap: a 503 if the socket takes it at once, then closed.
void HttpService::Refuse(tcp::socket& socket) {
  ++requests_;
  ++errors_;
  http::Decision d;
  d.reply = http::ErrorReply(503, "too many connections; try again");
  d.reply.headers.emplace_back("Retry-After", "1");
  const std::string bytes = http::Serialize(d.reply, d, options_);
  error_code ignored;
  socket.non_blocking(true, ignored);
  socket.send(asio::buffer(bytes), 0, ignored);
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

void HttpService::BeginShutdown() {
  error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  {
    std::lock_guard<std::mutex> lock(connections_mu_);
    for (Connection* connection : connections_) connection->Shutdown();
  }
  workers_.DropQueued();
}

}  // namespace

struct Server::Impl : HttpService {
  using HttpService::HttpService;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::Server(Server&&) noexcept = default;
Server& Server::operator=(Server&&) noexcept = default;
Server::~Server() = default;

Result<Server> Server::Create(const std::string& db_path, const ServerOptions& options) {
  // The searchers, opened now: a broken index fails here, with its message.
  auto pool = SearcherPool::Open(db_path, options.searchers, options.searcher,
                                 std::chrono::milliseconds(options.reopen_interval_ms));
  if (!pool.ok()) return pool.status();
  return Server(std::make_unique<Impl>(db_path, options, std::move(*pool)));
}

Status Server::Bind() { return impl_->Bind(); }
int Server::port() const { return impl_->port(); }
Status Server::Run() { return impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace clinsearch
