"""The IAM policy simulator agrees with enforcement on every evaluation vector that maps to an
implemented operation.

For each vector of tests/data/policy/ whose policies are identity policies and permission
boundaries, whose action is an implemented IAM operation, whose resource is one that operation
acts on in the caller's own account, and whose context keys the account plane fills the same way
for a real request, the test signs up a fresh account, makes the caller (an IAM user with the
vector's policies as inline policies and its boundary as a customer managed policy), then:
- runs `aws iam simulate-principal-policy` and `aws iam simulate-custom-policy` (Debian's AWS CLI)
  with the vector's action, resource and the context the server would fill;
- makes the real request as the caller with boto3;
and asserts that both simulations and the real request give the vector's decision.

Run with Debian's Python: /usr/bin/python3 -m unittest test_simulator_agreement.
"""

import concurrent.futures
import glob
import json
import os
import re
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.exceptions  # noqa: E402

import harness  # noqa: E402

VECTOR_DIR = os.path.join(harness.REPO_ROOT, "tests", "data", "policy")
TRUST_EC2 = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow",
                                       "Principal": {"Service": "ec2.amazonaws.com"},
                                       "Action": "sts:AssumeRole"}]})
SMALL_POLICY = json.dumps({"Version": "2012-10-17",
                           "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket",
                                          "Resource": "*"}]})
SIMULATOR_DECISION = {"Allow": "allowed", "ImplicitDeny": "implicitDeny",
                      "ExplicitDeny": "explicitDeny"}
ENTITY_ARN = re.compile(r"^arn:aws:iam::(\d{12}):(user|role)(/(?:[\x21-\x7e]*/)?)([\w+=,.@-]+)$")
LISTING_ARN = re.compile(r"^arn:aws:iam::(\d{12}):(user|role)/$")
VARIABLE = re.compile(r"\$\{([^}]*)\}")

# Implemented operations, by lower-case action: (resource kind, call(iam, target)). `target`
# has name, path and tags (the request tags, for the Create operations).
OPERATIONS = {
    "iam:getuser": ("user", lambda iam, t: iam.get_user(UserName=t["name"])),
    "iam:createuser": ("user", lambda iam, t: iam.create_user(
        UserName=t["name"], Path=t["path"], **({"Tags": t["tags"]} if t["tags"] else {}))),
    "iam:deleteuser": ("user", lambda iam, t: iam.delete_user(UserName=t["name"])),
    "iam:createaccesskey": ("user", lambda iam, t: iam.create_access_key(UserName=t["name"])),
    "iam:deleteuserpermissionsboundary": (
        "user", lambda iam, t: iam.delete_user_permissions_boundary(UserName=t["name"])),
    "iam:getrole": ("role", lambda iam, t: iam.get_role(RoleName=t["name"])),
    "iam:deleterole": ("role", lambda iam, t: iam.delete_role(RoleName=t["name"])),
    "iam:createrole": ("role", lambda iam, t: iam.create_role(
        RoleName=t["name"], Path=t["path"], AssumeRolePolicyDocument=TRUST_EC2,
        **({"Tags": t["tags"]} if t["tags"] else {}))),
    "iam:putrolepolicy": ("role", lambda iam, t: iam.put_role_policy(
        RoleName=t["name"], PolicyName="agreement", PolicyDocument=SMALL_POLICY)),
    "iam:listusers": ("user-listing", lambda iam, t: iam.list_users()),
    "iam:listroles": ("role-listing", lambda iam, t: iam.list_roles()),
}
CREATES = {"iam:createuser", "iam:createrole"}
# Keys whose values change from one request to the next.
TIME_KEYS = {"aws:currenttime", "aws:epochtime"}


def load_vectors():
    vectors = []
    for path in sorted(glob.glob(os.path.join(VECTOR_DIR, "*.json"))):
        with open(path) as f:
            suite = json.load(f)
        for case in suite["cases"]:
            case = dict(case)
            case.setdefault("policies", suite.get("policies", []))
            case["file"] = os.path.basename(path)
            vectors.append(case)
    return vectors


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


def referenced_keys(policies):
    """Lower-case names of every condition key and policy variable the documents use."""
    keys = set()
    for policy in policies:
        statements = policy["document"].get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        for statement in statements:
            for block in (statement.get("Condition") or {}).values():
                keys.update(name.lower() for name in block)
        for text in strings_in(policy["document"]):
            for variable in VARIABLE.findall(text):
                name = variable.split(",")[0].strip().lower()
                if name not in ("*", "?", "$", ""):
                    keys.add(name)
    return keys


def as_list(value):
    return value if isinstance(value, list) else [value]


class Plan:
    """How one vector maps to a real request, or why it does not (`skip`)."""

    def __init__(self, vector):
        self.vector = vector
        self.skip = None
        self.plan()

    def refuse(self, why):
        if self.skip is None:
            self.skip = why

    def plan(self):
        vector = self.vector
        request = vector["request"]
        kinds = {p["kind"] for p in vector["policies"]}
        if not kinds <= {"identity", "boundary"}:
            return self.refuse("policies of kind %s" % sorted(kinds - {"identity", "boundary"}))
        if vector.get("principal_is_root") or vector.get("require_resource_allow"):
            return self.refuse("root or resource-policy vector")
        if vector.get("same_account") is False:
            return self.refuse("cross-account vector")
        self.action = request["action"].lower()
        if self.action not in OPERATIONS:
            return self.refuse("action %s not implemented" % request["action"])
        kind, self.call = OPERATIONS[self.action]
        context = {k.lower(): as_list(v) for k, v in request.get("context", {}).items()}
        self.context = context

        # The caller: an IAM user of the vector's account.
        caller_arn = request.get("principal") or (context.get("aws:principalarn") or [None])[0]
        caller_name, caller_path, account = "vector-caller", "/", None
        if caller_arn:
            match = ENTITY_ARN.match(caller_arn)
            if not match or match.group(2) != "user":
                return self.refuse("caller %s is not an IAM user" % caller_arn)
            account, _, caller_path, caller_name = match.groups()
        if "aws:username" in context:
            if caller_arn and context["aws:username"] != [caller_name]:
                return self.refuse("aws:username does not name the caller")
            caller_name = context["aws:username"][0]
            if not re.fullmatch(r"[\w+=,.@-]+", caller_name):
                return self.refuse("aws:username is not a user name")
        self.caller = {"name": caller_name, "path": caller_path}

        # The resource: what the operation acts on.
        resource = request["resource"]
        self.target = None
        if kind.endswith("-listing"):
            match = LISTING_ARN.match(resource)
            if not match or match.group(2) != kind.split("-")[0]:
                return self.refuse("resource %s is not what %s acts on" % (resource, self.action))
            resource_account = match.group(1)
        else:
            match = ENTITY_ARN.match(resource)
            if not match or match.group(2) != kind:
                return self.refuse("resource %s is not what %s acts on" % (resource, self.action))
            resource_account, _, path, name = match.groups()
            self.target = {"kind": kind, "name": name, "path": path, "tags": []}
            if kind == "user" and name == caller_name and path != caller_path:
                return self.refuse("the target and the caller differ only by path")
        if account and account != resource_account:
            return self.refuse("cross-account request")
        self.account = resource_account
        if "aws:principalaccount" in context and context["aws:principalaccount"] != [self.account]:
            return self.refuse("aws:PrincipalAccount is another account")

        # Tags that make the server fill the vector's tag keys.
        self.caller["tags"] = [
            {"Key": k.split("/", 1)[1], "Value": v[0]}
            for k, v in request.get("context", {}).items() if k.lower().startswith(
                "aws:principaltag/")
            for v in [as_list(v)]]
        request_tags = [{"Key": k.split("/", 1)[1], "Value": as_list(v)[0]}
                        for k, v in request.get("context", {}).items()
                        if k.lower().startswith("aws:requesttag/")]
        resource_tags = [{"Key": k.split("/", 1)[1], "Value": as_list(v)[0]}
                         for k, v in request.get("context", {}).items()
                         if k.lower().startswith(("aws:resourcetag/", "iam:resourcetag/"))]
        if request_tags and self.action not in CREATES:
            return self.refuse("request tags on an operation that takes none")
        if resource_tags and (self.target is None or self.action in CREATES):
            return self.refuse("resource tags on a resource that does not exist yet")
        if self.target is not None:
            self.target["tags"] = request_tags if self.action in CREATES else resource_tags

        self.keys = referenced_keys(vector["policies"])
        if self.keys & TIME_KEYS:
            return self.refuse("time-dependent keys")
        for key in sorted(self.keys):
            server = self.server_value(key)
            if server != context.get(key):
                return self.refuse("key %s: the server fills %r, the vector has %r"
                                   % (key, server, context.get(key)))

    def server_value(self, key):
        """What the account plane puts in the request context for `key` (None: absent)."""
        caller_arn = "arn:aws:iam::%s:user%s%s" % (self.account, self.caller["path"],
                                                   self.caller["name"])
        fixed = {"aws:username": [self.caller["name"]],
                 "aws:principalarn": [caller_arn],
                 "aws:principalaccount": [self.account],
                 "aws:principaltype": ["User"],
                 "aws:sourceip": ["127.0.0.1"],
                 "aws:securetransport": ["false"],
                 "aws:requestedregion": ["us-east-1"]}
        if key in fixed:
            return fixed[key]
        if key == "aws:userid":
            return ["<the caller's unique id>"]
        tag_prefixes = {"aws:principaltag/": self.caller["tags"]}
        if self.target is not None:
            if self.action in CREATES:
                tag_prefixes["aws:requesttag/"] = self.target["tags"]
                if key == "aws:tagkeys" and self.target["tags"]:
                    return [t["Key"] for t in self.target["tags"]]
            else:
                tag_prefixes["aws:resourcetag/"] = self.target["tags"]
                tag_prefixes["iam:resourcetag/"] = self.target["tags"]
        for prefix, tags in tag_prefixes.items():
            if key.startswith(prefix):
                for tag in tags:
                    if tag["Key"].lower() == key[len(prefix):]:
                        return [tag["Value"]]
                return None
        return None

    def context_entries(self):
        """The simulator's ContextEntries for the keys the policies use."""
        entries = []
        for key in sorted(self.keys):
            value = self.server_value(key)
            if value is None:
                continue
            kind = {"aws:sourceip": "ip", "aws:securetransport": "boolean",
                    "aws:tagkeys": "stringList"}.get(key, "string")
            entries.append({"ContextKeyName": key, "ContextKeyValues": value,
                            "ContextKeyType": kind})
        return entries


def substitute(document, old, new):
    return json.loads(json.dumps(document).replace(old, new))


class SimulatorAgreementTest(harness.ServerTestCase):

    CREATE_ACCOUNT = False  # Each vector signs up an account of its own.

    def prepare(self, plan):
        """Signs up an account and makes the caller and the target. Returns what the checks
        need."""
        account = self.server.admin_create_account()
        root = harness.boto3_client("iam", self.endpoint, account.access_key_id,
                                    account.secret_access_key)
        real = lambda doc: substitute(doc, plan.account, account.account_id)  # noqa: E731
        identity = [json.dumps(real(p["document"])) for p in plan.vector["policies"]
                    if p["kind"] == "identity"]
        boundary = [json.dumps(real(p["document"])) for p in plan.vector["policies"]
                    if p["kind"] == "boundary"]
        caller = plan.caller
        created = root.create_user(UserName=caller["name"], Path=caller["path"],
                                   **({"Tags": caller["tags"]} if caller["tags"] else {}))
        for index, document in enumerate(identity):
            root.put_user_policy(UserName=caller["name"], PolicyName="vector-%d" % index,
                                 PolicyDocument=document)
        if boundary:
            self.assertEqual(len(boundary), 1, "one boundary per vector")
            arn = root.create_policy(PolicyName="vector-boundary",
                                     PolicyDocument=boundary[0])["Policy"]["Arn"]
            root.put_user_permissions_boundary(UserName=caller["name"], PermissionsBoundary=arn)
        key = root.create_access_key(UserName=caller["name"])["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])

        target = plan.target
        if target is not None and plan.action not in CREATES:
            exists = target["kind"] == "user" and target["name"] == caller["name"]
            if not exists and target["kind"] == "user":
                root.create_user(UserName=target["name"], Path=target["path"],
                                 **({"Tags": target["tags"]} if target["tags"] else {}))
            elif not exists:
                root.create_role(RoleName=target["name"], Path=target["path"],
                                 AssumeRolePolicyDocument=TRUST_EC2,
                                 **({"Tags": target["tags"]} if target["tags"] else {}))
            elif target["tags"]:
                root.tag_user(UserName=target["name"], Tags=target["tags"])
        resource = plan.vector["request"]["resource"].replace(plan.account, account.account_id)
        entries = [substitute(e, plan.account, account.account_id)
                   for e in plan.context_entries()]
        return {"account": account, "caller_arn": created["User"]["Arn"], "key": key,
                "identity": identity, "boundary": boundary, "resource": resource,
                "entries": entries}

    def simulate(self, plan, prepared):
        """(principal decision, custom decision) from Debian's AWS CLI."""
        account = prepared["account"]
        action = plan.vector["request"]["action"]
        principal = {"PolicySourceArn": prepared["caller_arn"], "ActionNames": [action],
                     "ResourceArns": [prepared["resource"]],
                     "ContextEntries": prepared["entries"]}
        custom = {"PolicyInputList": prepared["identity"], "ActionNames": [action],
                  "ResourceArns": [prepared["resource"]], "CallerArn": prepared["caller_arn"],
                  "ContextEntries": prepared["entries"]}
        if prepared["boundary"]:
            custom["PermissionsBoundaryPolicyInputList"] = prepared["boundary"]
        decisions = []
        for command, document in (("simulate-principal-policy", principal),
                                  ("simulate-custom-policy", custom)):
            result = harness.run_aws_cli(
                self.endpoint, ["iam", command, "--cli-input-json", json.dumps(document),
                                "--output", "json"],
                account.access_key_id, account.secret_access_key)
            if result.returncode != 0:
                decisions.append("error: " + result.stderr.strip())
                continue
            evaluation = json.loads(result.stdout)["EvaluationResults"]
            decisions.append(evaluation[0]["EvalDecision"] if len(evaluation) == 1
                             else "results: %r" % evaluation)
        return tuple(decisions)

    def enforce(self, plan, prepared):
        """The real request's decision: allowed, implicitDeny or explicitDeny."""
        key = prepared["key"]
        iam = harness.boto3_client("iam", self.endpoint, key["AccessKeyId"],
                                   key["SecretAccessKey"])
        try:
            plan.call(iam, plan.target or {})
        except botocore.exceptions.ClientError as e:
            error = e.response["Error"]
            if error["Code"] != "AccessDenied":
                return "allowed"  # Authorized; the operation itself failed (NoSuchEntity...).
            expected_start = "User: %s is not authorized to perform: %s on resource: %s " % (
                prepared["caller_arn"], plan.vector["request"]["action"], prepared["resource"])
            self.assertTrue(error["Message"].startswith(expected_start),
                            "%s: %s" % (plan.vector["name"], error["Message"]))
            return "explicitDeny" if "with an explicit deny" in error["Message"] else (
                "implicitDeny")
        return "allowed"

    def test_simulator_and_enforcement_agree_with_every_mappable_vector(self):
        plans = [Plan(v) for v in load_vectors()]
        mapped = [p for p in plans if p.skip is None]
        # The mapping is by rule, not by list: make sure it keeps covering a real share.
        self.assertGreaterEqual(len(mapped), 40, "\n".join(
            "%s / %s: %s" % (p.vector["file"], p.vector["name"], p.skip) for p in plans))
        prepared = [self.prepare(plan) for plan in mapped]
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            simulated = list(pool.map(self.simulate, mapped, prepared))
        failures = []
        for plan, ready, (by_principal, by_custom) in zip(mapped, prepared, simulated):
            expected = SIMULATOR_DECISION[plan.vector["decision"]]
            enforced = self.enforce(plan, ready)
            if (by_principal, by_custom, enforced) != (expected, expected, expected):
                failures.append("%s / %s: expected %s; simulate-principal-policy %s, "
                                "simulate-custom-policy %s, enforcement %s" % (
                                    plan.vector["file"], plan.vector["name"], expected,
                                    by_principal, by_custom, enforced))
        self.assertEqual(failures, [], "\n".join(failures))
        print("\n%d of %d vectors map to implemented operations; all agree"
              % (len(mapped), len(plans)), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
