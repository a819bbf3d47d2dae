#pragma once

// Helpers for the client's tests only: canned responses from tests/data/client, a scripted
// Transport, and a temporary directory. Not part of fulcrum_client's API.

#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "client/http_transport.h"

namespace fulcrum::client::testing {

inline std::string ReadTestFile(std::string_view relative) {
  const std::filesystem::path path =
      std::filesystem::path(FULCRUM_TESTDATA_DIR) / "client" / relative;
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// A canned response: "<svc>/<Op>.xml" is a 200 with that body; a ".txt" file is the
// reference format "STATUS n" / "H Name: value" lines, a blank line, then the body.
inline HttpResponse CannedResponse(std::string_view relative) {
  std::string text = ReadTestFile(relative);
  ReplaceAll(text, "{{RequestId}}", "c0ffee00-0000-4000-8000-000000000001");
  HttpResponse response;
  if (!relative.ends_with(".txt")) {
    response.status = 200;
    response.headers.emplace_back("Content-Type", "text/xml");
    response.body = std::move(text);
    return response;
  }
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    const std::string_view line =
        std::string_view(text).substr(at, end == std::string::npos ? end : end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) {
      break;
    }
    if (line.starts_with("STATUS ")) {
      response.status = std::stol(std::string(line.substr(7)));
    } else if (line.starts_with("H ")) {
      const auto colon = line.find(':');
      response.headers.emplace_back(std::string(line.substr(2, colon - 2)),
                                    std::string(line.substr(colon + 2)));
    }
  }
  response.body = text.substr(at);
  return response;
}

inline HttpResponse XmlResponse(long status, std::string body) {
  return HttpResponse{status, {{"Content-Type", "text/xml"}}, std::move(body)};
}

// Answers each Send with the next scripted result and keeps every request it was given.
class FakeTransport final : public Transport {
 public:
  void Push(Result<HttpResponse> next) { script_.push_back(std::move(next)); }
  void Push(std::string_view canned) { script_.push_back(CannedResponse(canned)); }

  Result<HttpResponse> Send(const EndpointUrl& endpoint,
                            const sigv4::HttpRequest& request) override {
    endpoints.push_back(endpoint);
    requests.push_back(request);
    if (script_.empty()) {
      return Fail("TestScriptExhausted", "no scripted response left");
    }
    auto next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::vector<EndpointUrl> endpoints;
  std::vector<sigv4::HttpRequest> requests;

 private:
  std::deque<Result<HttpResponse>> script_;
};

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fulcrum-client-XXXXXX");
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Writes `content` to `relative`, creating parent directories.
  void Write(const std::filesystem::path& relative, std::string_view content) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace fulcrum::client::testing
