// fulcrum_load: a load client for the account plane. N keep-alive HTTP/1.1 connections, one
// thread each (Boost.Beast, synchronous); every request is signed with Fulcrum's own SigV4 signer
// (sigv4/signer.h) at the moment it is sent.
//
// Modes (see bench/README.md):
//   create-users         IAM CreateUser for PREFIX + a zero-padded index, each request unique.
//                        https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
//   list-users           IAM ListUsers: one connection walks every page from the start (collecting
//                        the markers), then --pages pages are fetched over --connections
//                        connections, each from a random collected marker or from the start.
//                        https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
//   get-caller-identity  STS GetCallerIdentity for --duration seconds (cross-checks the wrk run).
//                        https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
//   call                 One IAM or STS query action (--service, --action, --param NAME=VALUE...)
//                        repeated for --duration seconds, e.g. IAM GetUser or ListUsers as a
//                        given caller (bench/authorization.sh).
//
// Credentials come from --key/--secret or FULCRUM_LOAD_KEY/FULCRUM_LOAD_SECRET; the secret is never
// printed. Exit code: 0 when every response was 2xx, 1 otherwise, 2 on a usage error.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/encoding.h"
#include "common/result.h"
#include "protocol/wire_text.h"
#include "sigv4/request.h"
#include "sigv4/signer.h"

namespace fulcrum::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded; charset=utf-8";
constexpr std::string_view kIamVersion = "2010-05-08";
constexpr std::string_view kStsVersion = "2011-06-15";
constexpr std::size_t kMaxErrorBodyChars = 2000;

struct Options {
  std::string mode;
  std::string endpoint;
  std::string key;
  std::string secret;
  std::string region = "us-east-1";
  int connections = 0;  // 0: the mode's default.
  std::int64_t count = 1000;
  std::int64_t start = 0;
  std::string prefix = "u";
  int pages = 200;
  int max_items = 100;
  double duration_seconds = 10;
  std::uint64_t seed = 1;
  std::string output = "text";
  bool quiet = false;
  // call mode:
  std::string service = "iam";
  std::string action;
  std::vector<std::string> params;  // "NAME=VALUE"
};

// Host and port of an "http://host:port" endpoint.
struct Endpoint {
  std::string host;
  std::string port;
  std::string host_header;  // "host:port", as sent and signed.
};

Result<Endpoint> ParseEndpoint(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (!text.starts_with(kScheme)) {
    return Fail("InvalidEndpoint", "the endpoint must start with http://");
  }
  std::string_view rest = text.substr(kScheme.size());
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    rest = rest.substr(0, slash);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    return Fail("InvalidEndpoint", "the endpoint must be http://HOST:PORT");
  }
  return Endpoint{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1)),
                  std::string(rest)};
}

// One signed form POST to "/" for `service` ("iam" or "sts").
struct Call {
  std::string_view service;
  std::string body;
};

struct Response {
  unsigned status = 0;
  std::string body;
};

// One keep-alive connection. Not thread-safe: each worker thread owns one.
class Connection {
 public:
  Connection(const Endpoint& endpoint, const sigv4::Credentials& credentials,
             std::string_view region)
      : endpoint_(endpoint), credentials_(credentials), region_(region), socket_(io_) {}

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  ~Connection() { Close(); }

  // Signs `call` now and sends it, reconnecting first when the connection is closed. On success,
  // the response. Fails with TransportError when the server cannot be reached or closes the
  // connection mid-request; the connection is then closed and the next Send reconnects.
  [[nodiscard]] Result<Response> Send(const Call& call) {
    if (!socket_.is_open()) {
      if (auto connected = Connect(); !connected) return Fail(connected.error());
    }
    sigv4::HttpRequest signable;
    signable.method = "POST";
    signable.target = "/";
    signable.headers = {{"Host", endpoint_.host_header},
                        {"Content-Type", std::string(kFormContentType)}};
    signable.body = call.body;
    auto signed_state =
        sigv4::Sign(signable, credentials_, region_, call.service, SystemClock().Now());
    if (!signed_state) return Fail(signed_state.error());

    http::request<http::string_body> request{http::verb::post, "/", 11};
    for (const auto& [name, value] : signable.headers) request.set(name, value);
    request.body() = std::move(signable.body);
    request.keep_alive(true);
    request.prepare_payload();

    beast::error_code error;
    http::write(socket_, request, error);
    if (error) return Fail(TransportFailure("write", error));
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response, error);
    if (error) return Fail(TransportFailure("read", error));
    if (!response.keep_alive()) Close();
    return Response{response.result_int(), std::move(response.body())};
  }

 private:
  // On success, a connected socket with an empty read buffer.
  [[nodiscard]] Result<void> Connect() {
    beast::error_code error;
    tcp::resolver resolver(io_);
    const auto addresses = resolver.resolve(endpoint_.host, endpoint_.port, error);
    if (error) return Fail(TransportFailure("resolve", error));
    asio::connect(socket_, addresses, error);
    if (error) return Fail(TransportFailure("connect", error));
    socket_.set_option(tcp::no_delay(true), error);
    buffer_.clear();
    return {};
  }

  Error TransportFailure(std::string_view step, const beast::error_code& error) {
    Close();
    return Error{"TransportError", fmt::format("{}: {}", step, error.message()), {}};
  }

  void Close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  const Endpoint& endpoint_;
  const sigv4::Credentials& credentials_;
  std::string region_;
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// Latencies and outcomes of a run; merged from every worker. Thread-safe.
class Tally {
 public:
  void Record(double latency_ms, const Result<Response>& outcome) {
    std::lock_guard lock(mutex_);
    if (!outcome) {
      ++transport_errors_;
      if (first_error_.empty()) first_error_ = outcome.error().message;
      return;
    }
    latencies_ms_.push_back(latency_ms);
    if (outcome->status < 200 || outcome->status > 299) {
      ++non_2xx_;
      if (first_error_.empty()) {
        first_error_ = fmt::format("HTTP {}: {}", outcome->status,
                                   outcome->body.substr(0, kMaxErrorBodyChars));
      }
    }
  }

  [[nodiscard]] std::int64_t Completed() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(latencies_ms_.size()) + transport_errors_;
  }

  struct Summary {
    std::int64_t requests = 0;
    std::int64_t non_2xx = 0;
    std::int64_t transport_errors = 0;
    double seconds = 0;
    double per_second = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
    std::string first_error;
  };

  [[nodiscard]] Summary Summarize(double seconds) const {
    std::lock_guard lock(mutex_);
    Summary summary;
    summary.requests = static_cast<std::int64_t>(latencies_ms_.size()) + transport_errors_;
    summary.non_2xx = non_2xx_;
    summary.transport_errors = transport_errors_;
    summary.seconds = seconds;
    summary.per_second = seconds > 0 ? static_cast<double>(summary.requests) / seconds : 0;
    summary.first_error = first_error_;
    if (!latencies_ms_.empty()) {
      std::vector<double> sorted = latencies_ms_;
      std::sort(sorted.begin(), sorted.end());
      const auto at = [&sorted](double quantile) {
        const auto index = static_cast<std::size_t>(quantile * static_cast<double>(sorted.size()));
        return sorted[std::min(index, sorted.size() - 1)];
      };
      summary.p50_ms = at(0.50);
      summary.p99_ms = at(0.99);
      summary.max_ms = sorted.back();
    }
    return summary;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<double> latencies_ms_;
  std::int64_t non_2xx_ = 0;
  std::int64_t transport_errors_ = 0;
  std::string first_error_;
};

double MillisecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// Runs `worker(connection)` on `connections` threads, each with its own connection, until every
// worker returns; prints `tally`'s progress to stderr every 10 s unless options.quiet. Returns the
// wall-clock seconds the workers took.
double RunWorkers(const Options& options, const Endpoint& endpoint,
                  const sigv4::Credentials& credentials, int connections, const Tally& tally,
                  const std::function<void(Connection&)>& worker) {
  std::atomic<int> running = connections;
  const auto start = SteadyClock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&] {
      Connection connection(endpoint, credentials, options.region);
      worker(connection);
      running.fetch_sub(1);
    });
  }
  auto next_report = start + std::chrono::seconds(10);
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!options.quiet && SteadyClock::now() >= next_report) {
      std::cerr << fmt::format("  ... {} requests after {:.0f} s\n", tally.Completed(),
                               MillisecondsSince(start) / 1000);
      next_report += std::chrono::seconds(10);
    }
  }
  for (std::thread& thread : threads) thread.join();
  return MillisecondsSince(start) / 1000;
}

std::string FormBody(std::string_view action, std::string_view version,
                     const std::vector<std::pair<std::string, std::string>>& params) {
  std::string body = fmt::format("Action={}&Version={}", action, version);
  for (const auto& [name, value] : params) {
    body += fmt::format("&{}={}", PercentEncode(name), PercentEncode(value));
  }
  return body;
}

// --- output ---------------------------------------------------------------------------------

// `text` as a quoted JSON string.
std::string JsonString(std::string_view text) {
  std::string out;
  protocol::AppendJsonString(out, text);
  return out;
}

std::string SummaryJson(const Tally::Summary& summary) {
  return fmt::format(
      "{{\"requests\": {}, \"non_2xx\": {}, \"transport_errors\": {}, \"seconds\": {:.3f}, "
      "\"per_second\": {:.1f}, \"p50_ms\": {:.3f}, \"p99_ms\": {:.3f}, \"max_ms\": {:.3f}, "
      "\"first_error\": {}}}",
      summary.requests, summary.non_2xx, summary.transport_errors, summary.seconds,
      summary.per_second, summary.p50_ms, summary.p99_ms, summary.max_ms,
      JsonString(summary.first_error));
}

void PrintSummaryText(std::string_view title, std::string_view unit,
                      const Tally::Summary& summary) {
  std::cout << fmt::format(
      "{}: {} {} in {:.2f} s\n  {}/s: {:.1f}\n  latency ms: p50 {:.3f}  p99 {:.3f}  max {:.3f}\n"
      "  non-2xx: {}  transport errors: {}\n",
      title, summary.requests, unit, summary.seconds, unit, summary.per_second, summary.p50_ms,
      summary.p99_ms, summary.max_ms, summary.non_2xx, summary.transport_errors);
  if (!summary.first_error.empty()) {
    std::cout << "  first error: " << summary.first_error << "\n";
  }
}

bool AllOk(const Tally::Summary& summary) {
  return summary.non_2xx == 0 && summary.transport_errors == 0;
}

// --- create-users ---------------------------------------------------------------------------

int RunCreateUsers(const Options& options, const Endpoint& endpoint,
                   const sigv4::Credentials& credentials) {
  const int connections = options.connections > 0 ? options.connections : 8;
  const std::int64_t last = options.start + options.count - 1;
  const int width =
      std::max<int>(6, static_cast<int>(std::to_string(std::max<std::int64_t>(last, 0)).size()));
  std::atomic<std::int64_t> next = options.start;
  Tally tally;
  const double seconds =
      RunWorkers(options, endpoint, credentials, connections, tally, [&](Connection& connection) {
        for (std::int64_t i = next.fetch_add(1); i <= last; i = next.fetch_add(1)) {
          const std::string name = fmt::format("{}{:0{}}", options.prefix, i, width);
          const Call call{"iam", FormBody("CreateUser", kIamVersion, {{"UserName", name}})};
          const auto start = SteadyClock::now();
          const auto response = connection.Send(call);
          tally.Record(MillisecondsSince(start), response);
        }
      });
  const auto summary = tally.Summarize(seconds);
  if (options.output == "json") {
    std::cout << fmt::format(
        "{{\"mode\": \"create-users\", \"connections\": {}, \"first_user\": {}, "
        "\"last_user\": {}, \"result\": {}}}\n",
        connections, JsonString(fmt::format("{}{:0{}}", options.prefix, options.start, width)),
        JsonString(fmt::format("{}{:0{}}", options.prefix, last, width)), SummaryJson(summary));
  } else {
    PrintSummaryText(fmt::format("create-users ({} connections)", connections), "requests",
                     summary);
  }
  return AllOk(summary) ? 0 : 1;
}

// --- list-users -----------------------------------------------------------------------------

// Replaces the five predefined XML entities and numeric character references.
std::string XmlUnescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.starts_with('#')) {
      const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      const std::string digits(entity.substr(hex ? 2 : 1));
      const unsigned long code = std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10);
      if (code < 0x80) {
        out += static_cast<char>(code);
      } else {
        out += text.substr(i, semicolon - i + 1);  // Markers are ASCII; keep anything else.
      }
    } else {
      out += text.substr(i, semicolon - i + 1);
    }
    i = semicolon;
  }
  return out;
}

// The text of the first <tag>...</tag> in `xml`, unescaped, if any.
std::optional<std::string> ElementText(std::string_view xml, std::string_view tag) {
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  const auto begin = xml.find(open);
  if (begin == std::string_view::npos) return std::nullopt;
  const auto text_begin = begin + open.size();
  const auto end = xml.find(close, text_begin);
  if (end == std::string_view::npos) return std::nullopt;
  return XmlUnescape(xml.substr(text_begin, end - text_begin));
}

std::int64_t CountOf(std::string_view xml, std::string_view needle) {
  std::int64_t count = 0;
  for (auto at = xml.find(needle); at != std::string_view::npos;
       at = xml.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// A ListUsers page as this client reads it.
struct Page {
  std::int64_t users = 0;
  std::optional<std::string> next_marker;  // Set when IsTruncated is true.
};

Page ReadPage(std::string_view xml) {
  Page page;
  page.users = CountOf(xml, "<UserName>");
  if (ElementText(xml, "IsTruncated") == "true") page.next_marker = ElementText(xml, "Marker");
  return page;
}

Call ListUsersCall(const std::string& marker, int max_items) {
  std::vector<std::pair<std::string, std::string>> params = {
      {"MaxItems", std::to_string(max_items)}};
  if (!marker.empty()) params.emplace_back("Marker", marker);
  return Call{"iam", FormBody("ListUsers", kIamVersion, params)};
}

int RunListUsers(const Options& options, const Endpoint& endpoint,
                 const sigv4::Credentials& credentials) {
  const int connections = options.connections > 0 ? options.connections : 4;

  // Phase 1: one connection walks every page from the start; the markers seen are the start
  // points of phase 2 ("" is the first page).
  std::vector<std::string> markers = {""};
  std::int64_t users_seen = 0;
  Tally walk_tally;
  bool walk_failed = false;
  const double walk_seconds =
      RunWorkers(options, endpoint, credentials, 1, walk_tally, [&](Connection& connection) {
        std::string marker;
        while (true) {
          const auto start = SteadyClock::now();
          const auto response = connection.Send(ListUsersCall(marker, options.max_items));
          walk_tally.Record(MillisecondsSince(start), response);
          if (!response || response->status != 200) {
            walk_failed = true;
            return;
          }
          const Page page = ReadPage(response->body);
          users_seen += page.users;
          if (!page.next_marker.has_value()) return;
          if (page.next_marker->empty() || *page.next_marker == marker) {
            walk_failed = true;  // A truncated page must carry a new marker.
            return;
          }
          marker = *page.next_marker;
          markers.push_back(marker);
        }
      });
  const auto walk = walk_tally.Summarize(walk_seconds);

  // Phase 2: --pages page requests over --connections connections, each from a random marker.
  Tally tally;
  std::atomic<int> remaining = options.pages;
  std::atomic<std::uint64_t> thread_seed = options.seed;
  const double seconds =
      walk_failed
          ? 0
          : RunWorkers(
                options, endpoint, credentials, connections, tally, [&](Connection& connection) {
                  std::mt19937_64 random(thread_seed.fetch_add(1));
                  std::uniform_int_distribution<std::size_t> pick(0, markers.size() - 1);
                  while (remaining.fetch_sub(1) > 0) {
                    const std::string& marker = markers[pick(random)];
                    const auto start = SteadyClock::now();
                    const auto response = connection.Send(ListUsersCall(marker, options.max_items));
                    tally.Record(MillisecondsSince(start), response);
                  }
                });
  const auto random_pages = tally.Summarize(seconds);

  if (options.output == "json") {
    std::cout << fmt::format(
        "{{\"mode\": \"list-users\", \"connections\": {}, \"max_items\": {}, "
        "\"users_seen\": {}, \"walk_pages\": {}, \"walk_complete\": {}, \"walk\": {}, "
        "\"random\": {}}}\n",
        connections, options.max_items, users_seen, markers.size(), !walk_failed, SummaryJson(walk),
        SummaryJson(random_pages));
  } else {
    PrintSummaryText(fmt::format("list-users walk from the start (1 connection, MaxItems {})",
                                 options.max_items),
                     "pages", walk);
    std::cout << fmt::format("  users seen: {} on {} pages{}\n", users_seen, markers.size(),
                             walk_failed ? " (walk stopped early)" : "");
    if (!walk_failed) {
      PrintSummaryText(fmt::format("list-users from random markers ({} connections)", connections),
                       "pages", random_pages);
    }
  }
  return !walk_failed && AllOk(walk) && AllOk(random_pages) ? 0 : 1;
}

// --- get-caller-identity --------------------------------------------------------------------

// Sends `call` on every connection until `duration_seconds` have passed; prints the summary
// titled `title`.
int RunRepeated(const Options& options, const Endpoint& endpoint,
                const sigv4::Credentials& credentials, const Call& call, std::string_view title) {
  const int connections = options.connections > 0 ? options.connections : 64;
  const auto deadline =
      SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                               std::chrono::duration<double>(options.duration_seconds));
  Tally tally;
  const double seconds =
      RunWorkers(options, endpoint, credentials, connections, tally, [&](Connection& connection) {
        while (SteadyClock::now() < deadline) {
          const auto start = SteadyClock::now();
          const auto response = connection.Send(call);
          tally.Record(MillisecondsSince(start), response);
        }
      });
  const auto summary = tally.Summarize(seconds);
  if (options.output == "json") {
    std::cout << fmt::format("{{\"mode\": {}, \"connections\": {}, \"result\": {}}}\n",
                             JsonString(title), connections, SummaryJson(summary));
  } else {
    PrintSummaryText(fmt::format("{} ({} connections)", title, connections), "requests", summary);
  }
  return AllOk(summary) ? 0 : 1;
}

int RunGetCallerIdentity(const Options& options, const Endpoint& endpoint,
                         const sigv4::Credentials& credentials) {
  return RunRepeated(options, endpoint, credentials,
                     Call{"sts", FormBody("GetCallerIdentity", kStsVersion, {})},
                     "get-caller-identity");
}

int RunCall(const Options& options, const Endpoint& endpoint,
            const sigv4::Credentials& credentials) {
  if (options.action.empty()) {
    std::cerr << "fulcrum_load: call needs --action\n";
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> params;
  for (const std::string& param : options.params) {
    const auto equals = param.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::cerr << "fulcrum_load: --param must be NAME=VALUE, got " << param << "\n";
      return 2;
    }
    params.emplace_back(param.substr(0, equals), param.substr(equals + 1));
  }
  const std::string_view version = options.service == "sts" ? kStsVersion : kIamVersion;
  return RunRepeated(options, endpoint, credentials,
                     Call{options.service, FormBody(options.action, version, params)},
                     fmt::format("{}:{}", options.service, options.action));
}

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

int Run(const Options& options) {
  auto endpoint = ParseEndpoint(options.endpoint);
  if (!endpoint) {
    std::cerr << "fulcrum_load: " << endpoint.error().message << "\n";
    return 2;
  }
  const sigv4::Credentials credentials{EnvOr("FULCRUM_LOAD_KEY", options.key),
                                       EnvOr("FULCRUM_LOAD_SECRET", options.secret), std::nullopt};
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    std::cerr << "fulcrum_load: no credentials (--key/--secret or "
                 "FULCRUM_LOAD_KEY/FULCRUM_LOAD_SECRET)\n";
    return 2;
  }
  if (options.mode == "create-users") return RunCreateUsers(options, *endpoint, credentials);
  if (options.mode == "list-users") return RunListUsers(options, *endpoint, credentials);
  if (options.mode == "call") return RunCall(options, *endpoint, credentials);
  return RunGetCallerIdentity(options, *endpoint, credentials);
}

}  // namespace
}  // namespace fulcrum::bench

int main(int argc, char** argv) {
  fulcrum::bench::Options options;
  CLI::App app{"fulcrum_load: signed IAM/STS load against a Fulcrum account plane"};
  app.add_option("mode", options.mode, "create-users, list-users, get-caller-identity or call")
      ->required()
      ->check(CLI::IsMember({"create-users", "list-users", "get-caller-identity", "call"}));
  app.add_option("--endpoint", options.endpoint, "http://HOST:PORT")->required();
  app.add_option("--key", options.key, "Access key id (default: $FULCRUM_LOAD_KEY)");
  app.add_option("--secret", options.secret, "Secret access key (default: $FULCRUM_LOAD_SECRET)");
  app.add_option("--region", options.region, "SigV4 region")->capture_default_str();
  app.add_option("--connections", options.connections,
                 "Keep-alive connections, one thread each (default 8, 4, 64 by mode)")
      ->check(CLI::Range(1, 4096));
  app.add_option("--count", options.count, "create-users: how many users")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--start", options.start, "create-users: index of the first user")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--prefix", options.prefix, "create-users: user name prefix")
      ->capture_default_str();
  app.add_option("--pages", options.pages, "list-users: pages fetched from random markers")
      ->check(CLI::Range(0, 100'000'000))
      ->capture_default_str();
  app.add_option("--max-items", options.max_items, "list-users: MaxItems per page")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--service", options.service, "call: iam or sts")
      ->check(CLI::IsMember({"iam", "sts"}))
      ->capture_default_str();
  app.add_option("--action", options.action, "call: the query action, e.g. GetUser");
  app.add_option("--param", options.params, "call: NAME=VALUE, repeatable");
  app.add_option("--duration", options.duration_seconds, "get-caller-identity, call: seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seed", options.seed, "list-users: random seed")->capture_default_str();
  app.add_option("--output", options.output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_flag("--quiet", options.quiet, "No progress lines on stderr");
  CLI11_PARSE(app, argc, argv);
  try {
    return fulcrum::bench::Run(options);
  } catch (const std::exception& error) {
    std::cerr << "fulcrum_load: " << error.what() << "\n";
    return 1;
  }
}
