#include "http/server.h"

#include <fmt/format.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <vector>

namespace fulcrum::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(120);

Request ToRequest(beast::http::request<beast::http::string_body>&& message,
                  const tcp::endpoint& peer) {
  Request request;
  request.message.method = std::string(message.method_string());
  request.message.target = std::string(message.target());
  request.message.headers.reserve(16);
  for (const auto& field : message) {
    request.message.headers.emplace_back(std::string(field.name_string()),
                                         std::string(field.value()));
  }
  request.message.body = std::move(message.body());
  request.remote_address = peer.address().to_string();
  request.remote_is_loopback = peer.address().is_loopback();
  return request;
}

// One connection: read a request, hand it to the handler, write the response, repeat while the
// client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const RequestHandler& handler, std::size_t body_limit)
      : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(body_limit_);
    stream_.expires_after(kIdleTimeout);
    beast::http::async_read(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == beast::http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset) {
      Close();
      return;
    }
    if (ec == beast::http::error::body_limit) {
      WriteError(413, "request body too large");
      return;
    }
    if (ec) {
      WriteError(400, "malformed HTTP request");
      return;
    }
    auto message = parser_->release();
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    beast::error_code peer_error;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(peer_error);
    Response response = handler_(ToRequest(std::move(message), peer));

    auto reply = std::make_shared<beast::http::response<beast::http::string_body>>();
    reply->version(version);
    reply->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) {
      reply->insert(name, value);
    }
    reply->body() = std::move(response.body);
    reply->keep_alive(keep_alive);
    reply->prepare_payload();
    Write(reply);
  }

  void WriteError(int status, std::string_view message) {
    auto reply = std::make_shared<beast::http::response<beast::http::string_body>>();
    reply->version(11);
    reply->result(static_cast<unsigned>(status));
    reply->set(beast::http::field::content_type, "application/json");
    reply->body() = fmt::format(R"({{"error":{{"code":"BadRequest","message":"{}"}}}})", message);
    reply->keep_alive(false);
    reply->prepare_payload();
    Write(reply);
  }

  void Write(const std::shared_ptr<beast::http::response<beast::http::string_body>>& reply) {
    const bool close = !reply->keep_alive();
    beast::http::async_write(
        stream_, *reply,
        [self = shared_from_this(), reply, close](beast::error_code ec, std::size_t /*bytes*/) {
          if (ec || close) {
            self->Close();
            return;
          }
          self->Read();
        });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  const RequestHandler& handler_;
  std::size_t body_limit_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
};

}  // namespace

struct Server::State {
  ServerOptions options;
  RequestHandler handler;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io, SIGINT, SIGTERM};

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
          return;
        }
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), handler, options.body_limit)->Start();
      }
      Accept();
    });
  }

  void Shutdown() {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    io.stop();
  }
};

Server::Server(ServerOptions options, RequestHandler handler) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  state_->handler = std::move(handler);
}

Server::~Server() = default;

Result<std::uint16_t> Server::Listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(state_->options.address, ec);
  if (ec) {
    return Fail("InvalidInput", fmt::format("'{}' is not an IP address", state_->options.address));
  }
  const tcp::endpoint endpoint(address, state_->options.port);
  auto& acceptor = state_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return Fail("ServiceFailure", fmt::format("cannot open a socket: {}", ec.message()));
  }
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    return Fail("ServiceFailure", fmt::format("cannot listen on {}:{}: {}", state_->options.address,
                                              state_->options.port, ec.message()));
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Fail("ServiceFailure", fmt::format("cannot listen: {}", ec.message()));
  }
  return acceptor.local_endpoint().port();
}

void Server::Run() {
  state_->signals.async_wait([this](beast::error_code ec, int /*signal*/) {
    if (!ec) {
      state_->Shutdown();
    }
  });
  state_->Accept();
  unsigned threads = state_->options.threads;
  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i) {
    pool.emplace_back([this] { state_->io.run(); });
  }
  state_->io.run();
  for (auto& thread : pool) {
    thread.join();
  }
}

void Server::Stop() {
  asio::post(state_->io, [this] { state_->Shutdown(); });
}

}  // namespace fulcrum::http
