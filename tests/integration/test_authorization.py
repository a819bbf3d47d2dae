"""Acceptance tests of Fulcrum's authorization: identity policies enforced on every request.

Run with Debian's Python: /usr/bin/python3 -m unittest test_authorization (from this folder).
Clients: Debian's AWS CLI v2, boto3 and the AWS SDK for JavaScript v3.
"""

import json
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.exceptions  # noqa: E402

import harness  # noqa: E402

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


class AuthorizationTest(harness.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = harness.boto3_client("iam", cls.endpoint, cls.account.access_key_id,
                                        cls.account.secret_access_key)

    def user_with_key(self, name, managed=(), inline=None):
        self.root.create_user(UserName=name)
        for arn in managed:
            self.root.attach_user_policy(UserName=name, PolicyArn=arn)
        if inline is not None:
            self.root.put_user_policy(UserName=name, PolicyName="inline",
                                      PolicyDocument=json.dumps(inline))
        key = self.root.create_access_key(UserName=name)["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])
        return key["AccessKeyId"], key["SecretAccessKey"]

    def assert_denied(self, call, action, message_part):
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call()
        error = caught.exception.response["Error"]
        self.assertEqual(error["Code"], "AccessDenied")
        self.assertIn("is not authorized to perform: %s on resource: " % action, error["Message"])
        self.assertIn(message_part, error["Message"])
        self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_no_policy_denies_create_user_but_not_get_caller_identity(self):
        key = self.user_with_key("nobody-allowed")
        iam = harness.boto3_client("iam", self.endpoint, *key)
        self.assert_denied(lambda: iam.create_user(UserName="x"), "iam:CreateUser",
                           "because no identity-based policy allows the iam:CreateUser action")
        sts = harness.boto3_client("sts", self.endpoint, *key)
        self.assertTrue(sts.get_caller_identity()["Arn"].endswith(":user/nobody-allowed"))
        result = harness.run_aws_cli(self.endpoint, ["iam", "create-user", "--user-name", "y"],
                                     *key)
        code, operation, message = harness.parse_cli_error(result.stderr)
        self.assertEqual((code, operation), ("AccessDenied", "CreateUser"))
        self.assertIn("arn:aws:iam::%s:user/nobody-allowed" % self.account.account_id, message)

    def test_read_only_lists_but_does_not_create(self):
        key = self.user_with_key("reader", managed=[READ_ONLY])
        iam = harness.boto3_client("iam", self.endpoint, *key)
        names = [u["UserName"] for u in iam.list_users()["Users"]]
        self.assertIn("reader", names)
        self.assertEqual(iam.get_user(UserName="reader")["User"]["UserName"], "reader")
        self.assert_denied(lambda: iam.create_user(UserName="x"), "iam:CreateUser",
                           "no identity-based policy allows")

    def test_explicit_deny_beats_administrator_access(self):
        deny = {"Version": "2012-10-17",
                "Statement": [{"Sid": "NoUserCreation", "Effect": "Deny",
                               "Action": "iam:CreateUser", "Resource": "*"}]}
        key = self.user_with_key("almost-admin", managed=[ADMIN], inline=deny)
        iam = harness.boto3_client("iam", self.endpoint, *key)
        self.assertTrue(iam.list_users()["Users"])
        self.assert_denied(lambda: iam.create_user(UserName="x"), "iam:CreateUser",
                           "with an explicit deny in an identity-based policy")

    def test_username_variable_scopes_access_keys_to_self(self):
        own_keys = {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow",
                                   "Action": ["iam:ListAccessKeys", "iam:CreateAccessKey",
                                              "iam:DeleteAccessKey"],
                                   "Resource": "arn:aws:iam::*:user/${aws:username}"}]}
        key = self.user_with_key("self-service", inline=own_keys)
        self.root.create_user(UserName="someone-else")
        iam = harness.boto3_client("iam", self.endpoint, *key)
        own = iam.list_access_keys(UserName="self-service")["AccessKeyMetadata"]
        self.assertEqual([k["AccessKeyId"] for k in own], [key[0]])
        self.assert_denied(lambda: iam.list_access_keys(UserName="someone-else"),
                           "iam:ListAccessKeys", "no identity-based policy allows")
        self.assert_denied(lambda: iam.create_access_key(UserName="someone-else"),
                           "iam:CreateAccessKey", "no identity-based policy allows")

    def test_permissions_boundary_caps_administrator_access(self):
        key = self.user_with_key("bounded-admin", managed=[ADMIN])
        self.root.put_user_permissions_boundary(UserName="bounded-admin",
                                                PermissionsBoundary=READ_ONLY)
        user = self.root.get_user(UserName="bounded-admin")["User"]
        self.assertEqual(user["PermissionsBoundary"]["PermissionsBoundaryArn"], READ_ONLY)
        iam = harness.boto3_client("iam", self.endpoint, *key)
        self.assertTrue(iam.list_users()["Users"])
        self.assert_denied(lambda: iam.create_user(UserName="x"), "iam:CreateUser",
                           "because no permissions boundary allows the iam:CreateUser action")
        result = harness.run_aws_cli(self.endpoint, ["iam", "create-user", "--user-name", "y"],
                                     *key)
        code, _, message = harness.parse_cli_error(result.stderr)
        self.assertEqual(code, "AccessDenied")
        self.assertIn("no permissions boundary allows", message)
        self.root.delete_user_permissions_boundary(UserName="bounded-admin")
        iam.create_user(UserName="created-once-unbounded")

    def test_detached_policy_stops_counting_at_once(self):
        key = self.user_with_key("temporary-admin", managed=[ADMIN])
        iam = harness.boto3_client("iam", self.endpoint, *key)
        self.assertTrue(iam.list_users()["Users"])
        self.root.detach_user_policy(UserName="temporary-admin", PolicyArn=ADMIN)
        self.assert_denied(lambda: iam.list_users(), "iam:ListUsers",
                           "no identity-based policy allows")

    def test_group_policies_count(self):
        key = self.user_with_key("grouped")
        self.root.create_group(GroupName="readers")
        self.root.attach_group_policy(GroupName="readers", PolicyArn=READ_ONLY)
        iam = harness.boto3_client("iam", self.endpoint, *key)
        self.assert_denied(lambda: iam.list_users(), "iam:ListUsers", "no identity-based")
        self.root.add_user_to_group(GroupName="readers", UserName="grouped")
        self.assertTrue(iam.list_users()["Users"])

    def test_condition_keys_of_the_request_its_resource_and_the_peer(self):
        tagged_only = {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "CreateOnlyTeamTagged", "Effect": "Allow", "Action": "iam:CreateUser",
                 "Resource": "*",
                 "Condition": {"StringEquals": {"aws:RequestTag/team": "platform"},
                               "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}},
                {"Sid": "ReadDevUsers", "Effect": "Allow", "Action": "iam:GetUser",
                 "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "dev"}}},
                {"Sid": "AttachReadOnlyOnly", "Effect": "Allow", "Action": "iam:AttachUserPolicy",
                 "Resource": "*", "Condition": {"ArnEquals": {"iam:PolicyARN": READ_ONLY}}},
                {"Sid": "ListFromLoopback", "Effect": "Allow", "Action": "iam:ListUsers",
                 "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}},
                {"Sid": "ListRolesFromTheOffice", "Effect": "Allow", "Action": "iam:ListRoles",
                 "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
            ]}
        key = self.user_with_key("conditional", inline=tagged_only)
        self.root.create_user(UserName="dev-user", Tags=[{"Key": "env", "Value": "dev"}])
        self.root.create_user(UserName="prod-user", Tags=[{"Key": "env", "Value": "prod"}])
        iam = harness.boto3_client("iam", self.endpoint, *key)

        iam.create_user(UserName="tagged", Tags=[{"Key": "team", "Value": "platform"}])
        self.assert_denied(lambda: iam.create_user(UserName="untagged"), "iam:CreateUser",
                           "no identity-based policy allows")
        self.assert_denied(
            lambda: iam.create_user(UserName="finance", Tags=[{"Key": "team", "Value": "finance"}]),
            "iam:CreateUser", "no identity-based policy allows")
        self.assert_denied(
            lambda: iam.create_user(UserName="extra", Tags=[{"Key": "team", "Value": "platform"},
                                                            {"Key": "cost", "Value": "x"}]),
            "iam:CreateUser", "no identity-based policy allows")

        self.assertEqual(iam.get_user(UserName="dev-user")["User"]["UserName"], "dev-user")
        self.assert_denied(lambda: iam.get_user(UserName="prod-user"), "iam:GetUser",
                           "no identity-based policy allows")

        iam.attach_user_policy(UserName="dev-user", PolicyArn=READ_ONLY)
        self.assert_denied(lambda: iam.attach_user_policy(UserName="dev-user", PolicyArn=ADMIN),
                           "iam:AttachUserPolicy", "no identity-based policy allows")

        self.assertTrue(iam.list_users()["Users"])
        self.assert_denied(lambda: iam.list_roles(), "iam:ListRoles",
                           "no identity-based policy allows")

    def test_javascript_v3_sees_the_same_decisions(self):
        account = self.account.account_id
        nobody = self.user_with_key("js-nobody")
        reader = self.user_with_key("js-reader", managed=[READ_ONLY])
        deny = {"Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}
        almost = self.user_with_key("js-almost-admin", managed=[ADMIN], inline=deny)
        bounded = self.user_with_key("js-bounded", managed=[ADMIN])
        self.root.put_user_permissions_boundary(UserName="js-bounded",
                                                PermissionsBoundary=READ_ONLY)
        own_keys = {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "iam:ListAccessKeys",
                                   "Resource": "arn:aws:iam::*:user/${aws:username}"}]}
        selfish = self.user_with_key("js-self", inline=own_keys)
        admin = self.user_with_key("js-org-admin", managed=[ADMIN])
        root = (self.account.access_key_id, self.account.secret_access_key)

        def call(name, key, command, service="iam", **given):
            return {"name": name, "accessKeyId": key[0], "secretAccessKey": key[1],
                    "service": service, "command": command, "input": given}

        calls = [
            call("nobody creates", nobody, "CreateUser", UserName="js-x1"),
            call("nobody identity", nobody, "GetCallerIdentity", service="sts"),
            call("reader lists", reader, "ListUsers"),
            call("reader creates", reader, "CreateUser", UserName="js-x2"),
            call("denied admin lists", almost, "ListUsers"),
            call("denied admin creates", almost, "CreateUser", UserName="js-x3"),
            call("bounded admin lists", bounded, "ListUsers"),
            call("bounded admin creates", bounded, "CreateUser", UserName="js-x4"),
            call("own keys", selfish, "ListAccessKeys", UserName="js-self"),
            call("other keys", selfish, "ListAccessKeys", UserName="js-reader"),
            call("root creates", root, "CreateUser", UserName="js-by-root"),
            call("admin creates", admin, "CreateUser", UserName="js-by-admin"),
        ]
        results = {r["name"]: r for r in harness.run_js_calls(self.endpoint, calls)}
        for allowed in ("nobody identity", "reader lists", "denied admin lists",
                        "bounded admin lists", "own keys", "root creates", "admin creates"):
            self.assertTrue(results[allowed]["ok"], results[allowed])
        self.assertEqual(results["nobody identity"]["output"]["Arn"],
                         "arn:aws:iam::%s:user/js-nobody" % account)
        denied = {
            "nobody creates": ("js-nobody", "iam:CreateUser",
                               "because no identity-based policy allows the iam:CreateUser action"),
            "reader creates": ("js-reader", "iam:CreateUser",
                               "because no identity-based policy allows the iam:CreateUser action"),
            "denied admin creates": ("js-almost-admin", "iam:CreateUser",
                                     "with an explicit deny in an identity-based policy"),
            "bounded admin creates": ("js-bounded", "iam:CreateUser",
                                      "because no permissions boundary allows the iam:CreateUser "
                                      "action"),
            "other keys": ("js-self", "iam:ListAccessKeys",
                           "because no identity-based policy allows the iam:ListAccessKeys action"),
        }
        for name, (user, action, why) in denied.items():
            result = results[name]
            self.assertFalse(result["ok"], name)
            self.assertEqual(result["error"]["name"], "AccessDenied", name)
            self.assertEqual(result["error"]["status"], 403, name)
            self.assertTrue(result["error"]["message"].startswith(
                "User: arn:aws:iam::%s:user/%s is not authorized to perform: %s on resource: "
                % (account, user, action)), result["error"]["message"])
            self.assertTrue(result["error"]["message"].endswith(why), result["error"]["message"])


if __name__ == "__main__":
    unittest.main()
