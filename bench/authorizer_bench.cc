// fulcrum_authorizer_bench: the CPU cost of one authorization decision, in process (Google
// Benchmark), over a SQLite store in a temporary directory, for the callers of
// bench/authorization.sh:
//   admin  an IAM user with AdministratorAccess (1 policy, 1 statement);
//   heavy  an IAM user with 10 attached customer managed policies of 20 statements each, only
//          the last of which allows; conditions on aws:ResourceTag make the decision compute the
//          request's keys, reading the target user's tags from the store.
// Each benchmark runs Authorizer::Authorize as the router does, request keys included, with the
// policy cache warm (as it is between IAM writes). Compare with the server's CPU time per
// request from bench/authorization.sh.

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "auth/authorizer.h"
#include "common/random.h"
#include "common/secret_box.h"
#include "services/iam/condition_keys.h"
#include "services/iam/operations.h"
#include "services/iam/policies.h"
#include "services/iam/users.h"
#include "storage/sqlite/sqlite_store.h"

namespace fulcrum::bench {
namespace {

namespace iam = services::iam;

constexpr std::string_view kAccount = "123456789012";

// Statement `s` of heavy policy `p`: never allows iam:GetUser or iam:ListUsers.
std::string HeavyStatement(int p, int s) {
  switch ((p * 20 + s) % 8) {
    case 0:
      return fmt::format(
          R"({{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::bucket-{0}-{1}","arn:aws:s3:::bucket-{0}-{1}/*"]}})",
          p, s);
    case 1:
      return fmt::format(
          R"({{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{{"StringEquals":{{"aws:RequestedRegion":"eu-west-{}"}}}}}})",
          s % 3 + 1);
    case 2:
      return fmt::format(
          R"({{"Effect":"Allow","Action":["iam:GetRole","iam:ListRole*"],"Resource":"arn:aws:iam::*:role/team-{}-*"}})",
          s);
    case 3:
      return fmt::format(
          R"({{"Effect":"Allow","Action":"iam:Get*","Resource":"*","Condition":{{"StringEquals":{{"aws:ResourceTag/team":"team-{}-{}"}}}}}})",
          p, s);
    case 4:
      return fmt::format(
          R"({{"Effect":"Allow","Action":"iam:List*","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"10.{}.{}.0/24"}}}}}})",
          p, s);
    case 5:
      return fmt::format(
          R"({{"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*","Condition":{{"StringLike":{{"aws:PrincipalTag/project":"p{}-*"}}}}}})",
          s);
    case 6:
      return fmt::format(
          R"({{"Effect":"Deny","Action":"iam:Delete*","Resource":"arn:aws:iam::*:user/protected-{}-*"}})",
          p);
    default:
      return fmt::format(
          R"({{"Effect":"Allow","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"arn:aws:sqs:*:*:queue-{}-{}"}})",
          p, s);
  }
}

class Fixture {
 public:
  Fixture() {
    Must(db_->CreateAccount(storage::Account{.id = std::string(kAccount),
                                             .name = "bench-management",
                                             .email = "bench@example.com",
                                             .created = clock_.Now(),
                                             .root_password_hash = {}},
                            {}));
    Must(service_.InstallAwsManagedPolicies());
    admin_ = MakeUser("bench-admin", {"arn:aws:iam::aws:policy/AdministratorAccess"});
    std::vector<std::string> heavy_policies;
    for (int p = 0; p < 10; ++p) {
      std::string statements;
      for (int s = 0; s < 20; ++s) {
        if (!statements.empty()) statements += ",";
        statements +=
            (p == 9 && s == 19)
                ? R"({"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers"],"Resource":"*"})"
                : HeavyStatement(p, s);
      }
      const auto created = Must(policies_.CreatePolicy(
          root_,
          iam::CreatePolicyRequest{
              .policy_name = fmt::format("bench-heavy-{}", p),
              .path = "/",
              .policy_document = R"({"Version":"2012-10-17","Statement":[)" + statements + "]}",
              .description = {},
              .tags = {}}));
      heavy_policies.push_back(created.arn);
    }
    heavy_ = MakeUser("bench-heavy", heavy_policies);
  }

  ~Fixture() {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // One decision for `caller` on `action` against the caller itself, as the router makes it.
  bool Decide(const services::Principal& caller, std::string_view action,
              std::string_view resource) {
    const services::RequestContext context{.principal = caller,
                                           .region = "us-east-1",
                                           .request_id = "bench",
                                           .now = clock_.Now(),
                                           .source_ip = "127.0.0.1",
                                           .iam_action = action};
    const boost::json::object input;
    auth::AuthorizationRequest request{
        .action = action,
        .resource = resource,
        .region = "us-east-1",
        .source_ip = "127.0.0.1",
        .request_keys = [&] { return request_keys_(context, input); },
        .resource_keys = [&] { return resource_keys_(context, resource); }};
    return authorizer_.Authorize(caller, request).has_value();
  }

  const services::Principal& admin() const { return admin_; }
  const services::Principal& heavy() const { return heavy_; }

 private:
  template <class T>
  static T Must(Result<T> result) {
    if (!result) {
      fmt::print(stderr, "setup failed: {}: {}\n", result.error().code, result.error().message);
      std::exit(1);
    }
    return std::move(*result);
  }
  static void Must(Result<void> result) {
    if (!result) {
      fmt::print(stderr, "setup failed: {}: {}\n", result.error().code, result.error().message);
      std::exit(1);
    }
  }

  services::Principal MakeUser(const std::string& name, const std::vector<std::string>& policies) {
    const storage::User user = Must(users_.CreateUser(
        root_, iam::CreateUserRequest{
                   .user_name = name, .path = "/", .permissions_boundary = {}, .tags = {}}));
    for (const std::string& arn : policies) {
      Must(policies_.AttachPolicy(
          root_, iam::PrincipalName{.kind = storage::PrincipalKind::kUser, .name = name}, arn));
    }
    return services::Principal{.kind = services::PrincipalKind::kIamUser,
                               .account_id = std::string(kAccount),
                               .arn = user.arn,
                               .user_id = user.user_id,
                               .user_name = name,
                               .access_key_id = "AKIABENCHBENCHBENCH0"};
  }

  static std::filesystem::path MakeDirectory() {
    auto dir = std::filesystem::temp_directory_path() /
               fmt::format("fulcrum-authz-bench-{}",
                           std::chrono::steady_clock::now().time_since_epoch().count());
    std::filesystem::create_directories(dir);
    return dir;
  }

  std::filesystem::path dir_ = MakeDirectory();
  SystemClock clock_;
  SecureRandom random_;
  std::unique_ptr<storage::Database> db_ = Must(storage::OpenSqliteDatabase(
      dir_ / "fulcrum.db", SecretBox(std::string(SecretBox::kKeySize, 'k'))));
  iam::IamContext context_{*db_, *db_, random_, clock_, {}};
  iam::IamService service_{context_};
  iam::UsersService users_{context_};
  iam::PoliciesService policies_{context_};
  services::ConditionKeysResolver request_keys_ = iam::IamRequestKeys();
  services::ResourceKeysResolver resource_keys_ = iam::IamResourceKeys(context_);
  // A long cache life: the benchmark measures decisions between IAM writes.
  auth::Authorizer authorizer_{*db_, clock_, std::chrono::hours(1)};
  services::Principal root_{.kind = services::PrincipalKind::kRoot,
                            .account_id = std::string(kAccount),
                            .arn = "arn:aws:iam::123456789012:root",
                            .user_id = std::string(kAccount),
                            .user_name = {},
                            .access_key_id = "AKIAROOTROOTROOTROOT"};
  services::Principal admin_;
  services::Principal heavy_;
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

void Run(benchmark::State& state, bool heavy, std::string_view action, bool on_self) {
  Fixture& fixture = Shared();
  const services::Principal& caller = heavy ? fixture.heavy() : fixture.admin();
  const std::string resource = on_self ? caller.arn : "arn:aws:iam::123456789012:user/";
  if (!fixture.Decide(caller, action, resource)) {
    state.SkipWithError("the caller was denied");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(fixture.Decide(caller, action, resource));
  }
}

void BM_AdminGetUser(benchmark::State& state) { Run(state, false, "iam:GetUser", true); }
void BM_HeavyGetUser(benchmark::State& state) { Run(state, true, "iam:GetUser", true); }
void BM_AdminListUsers(benchmark::State& state) { Run(state, false, "iam:ListUsers", false); }
void BM_HeavyListUsers(benchmark::State& state) { Run(state, true, "iam:ListUsers", false); }

BENCHMARK(BM_AdminGetUser);
BENCHMARK(BM_HeavyGetUser);
BENCHMARK(BM_AdminListUsers);
BENCHMARK(BM_HeavyListUsers);

}  // namespace
}  // namespace fulcrum::bench

BENCHMARK_MAIN();
