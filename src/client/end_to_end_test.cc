// End to end: the real `fulcrum` binary on a loopback port, called through Session, IamClient and
// StsClient exactly as the CLI calls it.

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "client/client_test_support.h"
#include "client/session.h"

extern char** environ;

namespace fulcrum::client {
namespace {

using namespace std::chrono_literals;

// A child process with its stdout on a pipe and its stderr in a file.
struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
};

Child Spawn(const std::vector<std::string>& args, const std::filesystem::path& stderr_file) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return {};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> argv;
  for (const auto& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    return {};
  }
  return Child{pid, pipe_fds[0]};
}

// Reads from `fd` until `done(text)` or EOF or the deadline; returns what was read.
std::string ReadUntil(int fd, std::chrono::steady_clock::duration timeout,
                      const std::function<bool(const std::string&)>& done) {
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done(text)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      break;
    }
    pollfd poll_fd{fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) {
      break;
    }
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n <= 0) {
      break;
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

// Sends SIGTERM, waits up to 10 s, then SIGKILL.
void Stop(pid_t pid) {
  if (pid <= 0) {
    return;
  }
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return;
    }
    std::this_thread::sleep_for(100ms);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const auto data_dir = (dir_->path() / "data").string();
    const auto log = dir_->path() / "fulcrum.log";

    // The account first, while no server holds the data dir.
    Child create =
        Spawn({FULCRUM_BINARY, "account", "create", "--name", "t-management", "--email",
               "t@example.com", "--root-access-key", "--output", "json", "--data-dir", data_dir},
              log);
    ASSERT_GT(create.pid, 0);
    const std::string json = ReadUntil(create.stdout_fd, 60s, [](const std::string&) {
      return false;  // Until EOF.
    });
    ::close(create.stdout_fd);
    int status = 0;
    ::waitpid(create.pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << json;
    const auto account = boost::json::parse(json).as_object();
    account_id_ = new std::string(account.at("AccountId").as_string());
    const auto& key = account.at("RootAccessKey").as_object();
    root_key_ =
        new sigv4::Credentials{std::string(key.at("AccessKeyId").as_string()),
                               std::string(key.at("SecretAccessKey").as_string()), std::nullopt};

    Child server = Spawn({FULCRUM_BINARY, "server", "--listen", "127.0.0.1:0", "--data-dir",
                          data_dir, "--access-log", "off"},
                         log);
    ASSERT_GT(server.pid, 0);
    server_pid_ = server.pid;
    server_stdout_ = server.stdout_fd;
    const std::regex listening("fulcrum: listening on (http://127\\.0\\.0\\.1:[0-9]+)\n");
    std::smatch match;
    const std::string out = ReadUntil(server.stdout_fd, 60s, [&](const std::string& text) {
      return std::regex_search(text, match, listening);
    });
    ASSERT_TRUE(std::regex_search(out, match, listening)) << "server said: " << out;
    endpoint_url_ = new std::string(match[1].str());
  }

  static void TearDownTestSuite() {
    Stop(server_pid_);
    server_pid_ = -1;
    if (server_stdout_ >= 0) {
      ::close(server_stdout_);
      server_stdout_ = -1;
    }
    delete endpoint_url_;
    delete account_id_;
    delete root_key_;
    delete dir_;
  }

  void SetUp() override {
    if (endpoint_url_ == nullptr || root_key_ == nullptr) {
      GTEST_SKIP() << "the server did not start";
    }
  }

  // A session against the server with `credentials`; HOME is an empty directory, so no file
  // of the user's interferes.
  std::unique_ptr<Session> Open(const sigv4::Credentials& credentials, DebugSink debug = {}) {
    const Environment environment{{"HOME", dir_->path().string()}};
    auto session = Session::Open(
        ClientOverrides{
            .region = "eu-west-1", .endpoint_url = *endpoint_url_, .credentials = credentials},
        environment, clock_, TransportOptions{.debug = std::move(debug)},
        RetryPolicy{.sleep = [](std::chrono::milliseconds) {}});
    EXPECT_TRUE(session.has_value()) << session.error().message;
    return session ? std::move(*session) : nullptr;
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::string* endpoint_url_ = nullptr;
  static inline std::string* account_id_ = nullptr;
  static inline sigv4::Credentials* root_key_ = nullptr;
  static inline pid_t server_pid_ = -1;
  static inline int server_stdout_ = -1;
  SystemClock clock_;
};

TEST_F(EndToEndTest, BootstrapsAnAdminUserAsTheRootUser) {
  std::vector<std::string> debug_lines;
  auto session = Open(*root_key_, [&](std::string_view line) { debug_lines.emplace_back(line); });
  ASSERT_NE(session, nullptr);
  auto sts = session->Sts();
  auto iam = session->Iam();
  ASSERT_TRUE(sts.has_value() && iam.has_value());

  const auto identity = (*sts)->GetCallerIdentity();
  ASSERT_TRUE(identity.has_value()) << identity.error().code << ": " << identity.error().message;
  EXPECT_EQ(identity->account, *account_id_);
  EXPECT_EQ(identity->arn, fmt::format("arn:aws:iam::{}:root", *account_id_));

  const auto user = (*iam)->CreateUser("mgmt-org-admin");
  ASSERT_TRUE(user.has_value()) << user.error().code << ": " << user.error().message;
  EXPECT_EQ(user->arn, fmt::format("arn:aws:iam::{}:user/mgmt-org-admin", *account_id_));
  EXPECT_TRUE(user->user_id.starts_with("AIDA")) << user->user_id;

  const auto attached =
      (*iam)->AttachUserPolicy("mgmt-org-admin", "arn:aws:iam::aws:policy/AdministratorAccess");
  ASSERT_TRUE(attached.has_value()) << attached.error().code << ": " << attached.error().message;
  const auto policies = (*iam)->ListAttachedUserPolicies("mgmt-org-admin");
  ASSERT_TRUE(policies.has_value()) << policies.error().message;
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ((*policies)[0].policy_name, "AdministratorAccess");

  const auto key = (*iam)->CreateAccessKey("mgmt-org-admin");
  ASSERT_TRUE(key.has_value()) << key.error().code << ": " << key.error().message;
  EXPECT_TRUE(key->access_key_id.starts_with("AKIA"));
  EXPECT_EQ(key->secret_access_key.size(), 40u);
  EXPECT_EQ(key->status, "Active");

  const auto keys = (*iam)->ListAccessKeys("mgmt-org-admin");
  ASSERT_TRUE(keys.has_value()) << keys.error().message;
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].access_key_id, key->access_key_id);

  const auto groups = (*iam)->ListGroupsForUser("mgmt-org-admin");
  ASSERT_TRUE(groups.has_value()) << groups.error().message;
  EXPECT_TRUE(groups->empty());
  const auto login = (*iam)->GetLoginProfile("mgmt-org-admin");
  ASSERT_TRUE(login.has_value()) << login.error().message;
  EXPECT_FALSE(login->has_value());

  // The new user's key works, and the user is who it says.
  auto admin = Open(sigv4::Credentials{key->access_key_id, key->secret_access_key, std::nullopt});
  ASSERT_NE(admin, nullptr);
  const auto admin_identity = (*admin->Sts())->GetCallerIdentity();
  ASSERT_TRUE(admin_identity.has_value()) << admin_identity.error().message;
  EXPECT_EQ(admin_identity->arn, user->arn);

  // Debug output shows requests and statuses, never a secret.
  EXPECT_NE(std::find(debug_lines.begin(), debug_lines.end(),
                      fmt::format("< 200 POST {}/", *endpoint_url_)),
            debug_lines.end());
  for (const auto& line : debug_lines) {
    EXPECT_EQ(line.find(root_key_->secret_access_key), std::string::npos) << line;
    EXPECT_EQ(line.find(key->secret_access_key), std::string::npos) << line;
    EXPECT_EQ(line.find("Signature="), std::string::npos) << line;
  }
}

TEST_F(EndToEndTest, AMissingUserIsNoSuchEntity) {
  auto session = Open(*root_key_);
  ASSERT_NE(session, nullptr);
  const auto user = (*session->Iam())->GetUser("nobody");
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error().code, "NoSuchEntity");
  EXPECT_EQ(user.error().message, "The user with name nobody cannot be found.");
}

TEST_F(EndToEndTest, AWrongSecretIsSignatureDoesNotMatch) {
  sigv4::Credentials wrong = *root_key_;
  wrong.secret_access_key.back() = wrong.secret_access_key.back() == 'A' ? 'B' : 'A';
  auto session = Open(wrong);
  ASSERT_NE(session, nullptr);
  const auto identity = (*session->Sts())->GetCallerIdentity();
  ASSERT_FALSE(identity.has_value());
  EXPECT_EQ(identity.error().code, "SignatureDoesNotMatch") << identity.error().message;

  const auto unknown =
      Open(sigv4::Credentials{"AKIAUNKNOWNKEY000000", root_key_->secret_access_key, std::nullopt});
  ASSERT_NE(unknown, nullptr);
  const auto rejected = (*unknown->Iam())->GetAccountSummary();
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().code, "InvalidClientTokenId") << rejected.error().message;
}

TEST(EndToEndUnreachableTest, AClosedPortGivesAClearConnectionError) {
  testing::TempDir home;
  const SystemClock clock;
  // Port 1 on loopback: nothing listens there without root.
  auto session = Session::Open(
      ClientOverrides{.region = "us-east-1",
                      .endpoint_url = "http://127.0.0.1:1",
                      .credentials = sigv4::Credentials{"AKIAEXAMPLE", "secret", std::nullopt}},
      Environment{{"HOME", home.path().string()}}, clock, TransportOptions{},
      RetryPolicy{.sleep = [](std::chrono::milliseconds) {}});
  ASSERT_TRUE(session.has_value()) << session.error().message;
  const auto identity = (*(*session)->Sts())->GetCallerIdentity();
  ASSERT_FALSE(identity.has_value());
  EXPECT_EQ(identity.error().code, "EndpointConnectionError");
  EXPECT_EQ(identity.error().message, "could not reach http://127.0.0.1:1/: Connection refused");
}

}  // namespace
}  // namespace fulcrum::client
