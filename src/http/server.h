#pragma once

// Server: the HTTP/1.1 listener (Boost.Beast) in front of a pure handler. Persistent connections,
// one strand per connection, a pool of threads running one io_context. The handler never touches
// a socket.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/message.h"

namespace fulcrum::http {

using RequestHandler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  // 0 picks a free port.
  std::uint16_t port = 4566;
  unsigned threads = 0;  // 0: one per core
  // Bodies above this get 413.
  std::size_t body_limit = std::size_t{4} * 1024 * 1024;
};

class Server {
 public:
  // REQUIRES: `handler` is thread-safe.
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. On success the bound port (useful with port 0).
  [[nodiscard]] Result<std::uint16_t> Listen();
  // Serves until Stop() or SIGINT/SIGTERM, then returns. REQUIRES: Listen() succeeded.
  void Run();
  // Stops accepting and ends Run(). Thread-safe, async-signal-unsafe.
  void Stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace fulcrum::http
