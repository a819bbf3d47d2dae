#!/usr/bin/env bash
# Authorization overhead: the cost of IAM read requests for callers whose policies the authorizer
# must evaluate, against the root user (whom IAM policies do not restrict: no evaluation).
#
# Usage: bench/authorization.sh [PATH_TO_FULCRUM [PATH_TO_FULCRUM_LOAD]]
#   defaults: build/release/src/server/fulcrum and build/release/bench/fulcrum_load.
# Environment:
#   DURATION=4            seconds per run
#   ROUNDS=3              rounds; the callers are interleaved and the medians reported
#   CONNECTIONS="1 16"    connection counts measured
#   SERVER_ARGS=...       extra `fulcrum server` arguments (default "--access-log off")
#
# Callers, all in one account:
#   root        the account's root user: authorization is skipped, as on AWS;
#   admin       an IAM user with AdministratorAccess (1 policy, 1 statement);
#   heavy       an IAM user with 10 attached customer managed policies of 20 statements each
#               (wildcard actions over several services, ARN resources, conditions on
#               aws:ResourceTag, aws:SourceIp and aws:PrincipalTag, two Deny statements); only the
#               last statement of the last policy allows the measured actions, so every
#               statement is evaluated, and the conditions make the authorizer compute the
#               request's keys (reading the target's tags).
# Operations: IAM GetUser (the caller itself), IAM ListUsers (MaxItems 10), and STS
# GetCallerIdentity (never authorized: the control, it should not move).
# Prints requests/s, p50/p99 and the server's CPU time per request (user + system time of the
# server process from /proc, divided by the requests served: unlike wall-clock figures it does not
# move when other work shares the machine) per caller, operation and connection count, then the
# added CPU cost per request of each caller over root.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fulcrum="${1:-$repo_root/build/release/src/server/fulcrum}"
load="${2:-$repo_root/build/release/bench/fulcrum_load}"
duration="${DURATION:-4}"
rounds="${ROUNDS:-3}"
connection_counts="${CONNECTIONS:-1 16}"
export SERVER_ARGS="${SERVER_ARGS:---access-log off}"
python=/usr/bin/python3

for binary in "$fulcrum" "$load"; do
  if [[ ! -x "$binary" ]]; then
    echo "bench: no binary at $binary (build the targets fulcrum and fulcrum_load)" >&2
    exit 2
  fi
done

work="$(mktemp -d -t fulcrum-bench-authz-XXXXXX)"
# shellcheck source=bench/server.sh
source "$repo_root/bench/server.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
bench_start_server

name="bench-$(date +%s)-$$"
"$fulcrum" account create --data-dir "$work/data" --name "$name" --email "$name@example.com" \
  --root-access-key --output json >"$work/account.json" 2>"$work/account.stderr" \
  || { cat "$work/account.stderr" >&2; echo "bench: account create failed" >&2; exit 1; }

# Makes the callers with boto3 and writes their keys (0600) to $work/callers.json.
(umask 077 && "$python" - "$endpoint" "$work/account.json" "$work/callers.json" <<'PY'
import json, sys
import boto3
from botocore.config import Config

endpoint, account_file, out_file = sys.argv[1:]
account = json.load(open(account_file))
root_key = account["RootAccessKey"]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=root_key["AccessKeyId"],
                   aws_secret_access_key=root_key["SecretAccessKey"],
                   config=Config(retries={"max_attempts": 1}))

def statement(p, s):
    """Statement s of policy p: never matches iam:GetUser or iam:ListUsers."""
    shapes = [
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"],
         "Resource": ["arn:aws:s3:::bucket-%d-%d" % (p, s), "arn:aws:s3:::bucket-%d-%d/*" % (p, s)]},
        {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-%d" % (s % 3 + 1)}}},
        {"Effect": "Allow", "Action": ["iam:GetRole", "iam:ListRole*"],
         "Resource": "arn:aws:iam::*:role/team-%d-*" % s},
        {"Effect": "Allow", "Action": "iam:Get*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "team-%d-%d" % (p, s)}}},
        {"Effect": "Allow", "Action": "iam:List*", "Resource": "*",
         "Condition": {"IpAddress": {"aws:SourceIp": "10.%d.%d.0/24" % (p, s)}}},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*",
         "Condition": {"StringLike": {"aws:PrincipalTag/project": "p%d-*" % s}}},
        {"Effect": "Deny", "Action": "iam:Delete*",
         "Resource": "arn:aws:iam::*:user/protected-%d-*" % p},
        {"Effect": "Allow", "NotAction": ["iam:*", "sts:*", "organizations:*"],
         "Resource": "arn:aws:sqs:*:*:queue-%d-%d" % (p, s)},
    ]
    one = dict(shapes[(p * 20 + s) % len(shapes)])
    one["Sid"] = "P%dS%d" % (p, s)
    return one

callers = {"root": [root_key["AccessKeyId"], root_key["SecretAccessKey"]]}

iam.create_user(UserName="bench-admin")
iam.attach_user_policy(UserName="bench-admin",
                       PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
key = iam.create_access_key(UserName="bench-admin")["AccessKey"]
callers["admin"] = [key["AccessKeyId"], key["SecretAccessKey"]]

iam.create_user(UserName="bench-heavy", Tags=[{"Key": "project", "Value": "fulcrum"}])
for p in range(10):
    statements = [statement(p, s) for s in range(20)]
    if p == 9:
        statements[-1] = {"Sid": "TheOneThatAllows", "Effect": "Allow",
                          "Action": ["iam:GetUser", "iam:ListUsers"], "Resource": "*"}
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    arn = iam.create_policy(PolicyName="bench-heavy-%d" % p, PolicyDocument=document)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="bench-heavy", PolicyArn=arn)
attached = iam.list_attached_user_policies(UserName="bench-heavy")["AttachedPolicies"]
assert len(attached) == 10, attached
key = iam.create_access_key(UserName="bench-heavy")["AccessKey"]
callers["heavy"] = [key["AccessKeyId"], key["SecretAccessKey"]]
json.dump(callers, open(out_file, "w"))
PY
) || { echo "bench: setting up the callers failed" >&2; exit 1; }

field() {
  "$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

ticks_per_second="$(getconf CLK_TCK)"
server_cpu_ticks() {  # user + system clock ticks of the server process so far
  awk '{print $14 + $15}' "/proc/$server_pid/stat"
}

run() {  # run ROUND CALLER CONNECTIONS LABEL fulcrum_load-args...
  local round="$1" caller="$2" connections="$3" label="$4"
  shift 4
  local out="$work/$caller-$label-$connections-$round.json"
  local ticks_before
  ticks_before="$(server_cpu_ticks)"
  FULCRUM_LOAD_KEY="$(field "$work/callers.json" "d['$caller'][0]")" \
  FULCRUM_LOAD_SECRET="$(field "$work/callers.json" "d['$caller'][1]")" \
    "$load" call --endpoint "$endpoint" --connections "$connections" --duration "$duration" \
    --output json --quiet "$@" >"$out" \
    || { cat "$out" >&2; echo "bench: $caller $label failed" >&2; exit 1; }
  local ticks=$(($(server_cpu_ticks) - ticks_before))
  "$python" - "$out" "$ticks" "$ticks_per_second" <<'PY'
import json, sys
path, ticks, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
d = json.load(open(path))
d["server_cpu_us"] = ticks / hz / d["result"]["requests"] * 1e6
json.dump(d, open(path, "w"))
PY
}

echo "$rounds rounds of $duration s per caller, operation and connection count, callers"
echo "interleaved; server flags: $SERVER_ARGS"
for round in $(seq 1 "$rounds"); do
  for connections in $connection_counts; do
    for caller in root admin heavy; do
      run "$round" "$caller" "$connections" GetUser --service iam --action GetUser
      run "$round" "$caller" "$connections" ListUsers --service iam --action ListUsers \
        --param MaxItems=10
      run "$round" "$caller" "$connections" GetCallerIdentity --service sts \
        --action GetCallerIdentity
    done
  done
  echo "  round $round done"
done

# Medians over the rounds; the added cost is against root (IAM policies do not apply to it) and
# against admin (one statement: a decision costs well under a microsecond). GetUser without a
# UserName is the caller itself, which for root is answered without a store read, so for it
# admin is the fairer baseline.
"$python" - "$work" "$rounds" "$connection_counts" <<'PY'
import json, statistics, sys
work, rounds, counts = sys.argv[1], int(sys.argv[2]), [int(c) for c in sys.argv[3].split()]
def median(caller, label, connections, pick):
    return statistics.median(pick(json.load(open("%s/%s-%s-%d-%d.json" % (
        work, caller, label, connections, r)))) for r in range(1, rounds + 1))
labels = ["GetUser", "ListUsers", "GetCallerIdentity"]
print("\n%-6s %-18s %5s %10s %9s %9s %13s" % ("caller", "operation", "conn", "req/s", "p50 ms",
                                                "p99 ms", "CPU us/req"))
cpu = {}
for connections in counts:
    for caller in ("root", "admin", "heavy"):
        for label in labels:
            c = median(caller, label, connections, lambda d: d["server_cpu_us"])
            cpu[caller, label, connections] = c
            print("%-6s %-18s %5d %10.0f %9.3f %9.3f %13.2f" % (
                caller, label, connections,
                median(caller, label, connections, lambda d: d["result"]["per_second"]),
                median(caller, label, connections, lambda d: d["result"]["p50_ms"]),
                median(caller, label, connections, lambda d: d["result"]["p99_ms"]), c))
print("\nadded server CPU per request (medians):")
for connections in counts:
    for label in labels:
        root, admin, heavy = (cpu[c, label, connections] for c in ("root", "admin", "heavy"))
        print("  %-18s %3d conn  admin vs root %+6.1f %%  heavy vs root %+6.1f %%  "
              "heavy vs admin %+6.1f %%" % (label, connections, (admin / root - 1) * 100,
                                           (heavy / root - 1) * 100, (heavy / admin - 1) * 100))
PY
