"""Acceptance tests of Fulcrum's IAM: the seed page's steps through real AWS clients.

Run with Debian's Python: /usr/bin/python3 -m unittest test_iam (from this folder). FULCRUM_BIN
names the binary under test. Clients: Debian's AWS CLI v2 (/usr/bin/aws), Debian boto3, the AWS
SDK for JavaScript v3 (@aws-sdk/client-iam, client-sts), aws-nuke 2.16 (Debian); zbarimg and
oathtool (Debian) read the QR code and compute TOTP codes as an authenticator app would.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import unittest
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.exceptions  # noqa: E402

import harness  # noqa: E402

CLI_ERROR_EXIT_CODE = 254
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
ZBARIMG = shutil.which("zbarimg") or "/usr/bin/zbarimg"
AWS_NUKE = shutil.which("aws-nuke") or "/usr/bin/aws-nuke"


def seed_from_uri(uri):
    query = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)
    return query["secret"][0]


class IamServer(harness.ServerTestCase):
    """One server and one root account for the whole class."""

    def cli(self, *args, key=None, secret=None):
        """Runs the AWS CLI as root (or with the given key); returns the CompletedProcess."""
        return harness.run_aws_cli(self.endpoint, list(args) + ["--output", "json"],
                                   key or self.account.access_key_id,
                                   secret or self.account.secret_access_key)

    def cli_json(self, *args, key=None, secret=None):
        result = self.cli(*args, key=key, secret=secret)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else {}

    def cli_error(self, *args, key=None, secret=None):
        result = self.cli(*args, key=key, secret=secret)
        self.assertEqual(result.returncode, CLI_ERROR_EXIT_CODE, result.stdout + result.stderr)
        parsed = harness.parse_cli_error(result.stderr)
        self.assertIsNotNone(parsed, result.stderr)
        return parsed

    def iam(self, key=None, secret=None):
        return harness.boto3_client("iam", self.endpoint, key or self.account.access_key_id,
                                    secret or self.account.secret_access_key)


class SeedPageCliTest(IamServer):
    """The seed page, step by step, with Debian's AWS CLI as the root user."""

    def test_management_admin_user(self):
        user = self.cli_json("iam", "create-user", "--user-name", "mgmt-org-admin")["User"]
        self.assertEqual(user["UserName"], "mgmt-org-admin")
        self.assertEqual(user["Arn"], "arn:aws:iam::%s:user/mgmt-org-admin" % self.account.account_id)
        self.assertTrue(user["UserId"].startswith("AIDA"), user)

        self.cli_json("iam", "attach-user-policy", "--user-name", "mgmt-org-admin",
                      "--policy-arn", ADMIN_POLICY)
        key = self.cli_json("iam", "create-access-key", "--user-name", "mgmt-org-admin")["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])
        self.assertTrue(key["AccessKeyId"].startswith("AKIA"), key)
        self.assertEqual(len(key["SecretAccessKey"]), 40)
        self.assertEqual(key["Status"], "Active")

        as_admin = {"key": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
        identity = self.cli_json("sts", "get-caller-identity", **as_admin)
        self.assertEqual(identity["Arn"], user["Arn"])
        self.assertEqual(identity["Account"], self.account.account_id)
        self.assertEqual(identity["UserId"], user["UserId"])

        attached = self.cli_json("iam", "list-attached-user-policies", "--user-name",
                                 "mgmt-org-admin", **as_admin)["AttachedPolicies"]
        self.assertEqual(attached, [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN_POLICY}])
        groups = self.cli_json("iam", "list-groups-for-user", "--user-name", "mgmt-org-admin",
                               **as_admin)
        self.assertEqual(groups["Groups"], [])
        code, operation, message = self.cli_error("iam", "get-login-profile", "--user-name",
                                                  "mgmt-org-admin", **as_admin)
        self.assertEqual((code, operation), ("NoSuchEntity", "GetLoginProfile"))
        self.assertIn("mgmt-org-admin", message)

    def test_user_without_policies_is_denied(self):
        self.cli_json("iam", "create-user", "--user-name", "no-policies")
        key = self.cli_json("iam", "create-access-key", "--user-name", "no-policies")["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])
        code, _, message = self.cli_error("iam", "list-users", key=key["AccessKeyId"],
                                          secret=key["SecretAccessKey"])
        self.assertEqual(code, "AccessDenied")
        self.assertIn("is not authorized to perform: iam:ListUsers", message)
        # GetCallerIdentity needs no permission, as on AWS.
        identity = self.cli_json("sts", "get-caller-identity", key=key["AccessKeyId"],
                                 secret=key["SecretAccessKey"])
        self.assertTrue(identity["Arn"].endswith(":user/no-policies"))

    def test_errors(self):
        code, _, _ = self.cli_error("iam", "get-user", "--user-name", "nobody-here")
        self.assertEqual(code, "NoSuchEntity")
        self.cli_json("iam", "create-user", "--user-name", "twice")
        code, _, _ = self.cli_error("iam", "create-user", "--user-name", "twice")
        self.assertEqual(code, "EntityAlreadyExists")
        self.cli_json("iam", "create-access-key", "--user-name", "twice")
        self.cli_json("iam", "create-access-key", "--user-name", "twice")
        code, _, message = self.cli_error("iam", "create-access-key", "--user-name", "twice")
        self.assertEqual(code, "LimitExceeded")
        self.assertIn("AccessKeysPerUser", message)
        code, _, _ = self.cli_error("iam", "delete-user", "--user-name", "twice")
        self.assertEqual(code, "DeleteConflict")
        code, _, _ = self.cli_error("iam", "create-policy", "--policy-name", "bad",
                                    "--policy-document", "{not json")
        self.assertEqual(code, "MalformedPolicyDocument")


class VirtualMfaTest(IamServer):
    """A virtual MFA device for mgmt-org-admin, as an authenticator app would see it."""

    def test_qr_code_and_enable(self):
        self.cli_json("iam", "create-user", "--user-name", "mfa-user")
        png = os.path.join(self.work, "qr.png")
        device = self.cli_json("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name",
                               "mfa-user", "--outfile", png, "--bootstrap-method",
                               "QRCodePNG")["VirtualMFADevice"]
        serial = device["SerialNumber"]
        self.assertEqual(serial, "arn:aws:iam::%s:mfa/mfa-user" % self.account.account_id)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        uri = subprocess.run([ZBARIMG, "-q", "--raw", png], capture_output=True, text=True,
                             check=True).stdout.strip()
        self.assertTrue(uri.startswith("otpauth://totp/"), uri)
        seed = seed_from_uri(uri)
        self.assertEqual(len(seed), 64)
        harness.remember_sensitive(seed)

        code, _, _ = self.cli_error("iam", "enable-mfa-device", "--user-name", "mfa-user",
                                    "--serial-number", serial, "--authentication-code1", "123456",
                                    "--authentication-code2", "654321")
        self.assertEqual(code, "InvalidAuthenticationCode")

        code1, code2 = harness.consecutive_codes(seed)
        self.cli_json("iam", "enable-mfa-device", "--user-name", "mfa-user", "--serial-number",
                      serial, "--authentication-code1", code1, "--authentication-code2", code2)
        devices = self.cli_json("iam", "list-mfa-devices", "--user-name", "mfa-user")["MFADevices"]
        self.assertEqual([d["SerialNumber"] for d in devices], [serial])

        # The same codes again are a replay.
        self.cli_json("iam", "deactivate-mfa-device", "--user-name", "mfa-user",
                      "--serial-number", serial)
        code, _, _ = self.cli_error("iam", "enable-mfa-device", "--user-name", "mfa-user",
                                    "--serial-number", serial, "--authentication-code1", code1,
                                    "--authentication-code2", code2)
        self.assertEqual(code, "InvalidAuthenticationCode")


class RootMfaTest(IamServer):
    """Root MFA is enabled the console's way (`fulcrum account mfa`), never through the API."""

    def test_root_mfa_through_fulcrum_account_mfa(self):
        summary = self.cli_json("iam", "get-account-summary")["SummaryMap"]
        self.assertEqual(summary["AccountMFAEnabled"], 0)
        self.assertEqual(summary["AccountAccessKeysPresent"], 1)

        png = os.path.join(self.work, "root-qr.png")
        process = subprocess.Popen(
            [harness.fulcrum_bin(), "account", "mfa", "--data-dir", self.server.data_dir,
             "--account-id", self.account.account_id, "--qr-png", png],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seed = None
        for line in process.stdout:
            match = re.search(r"otpauth://\S+", line)
            if match:
                seed = seed_from_uri(match.group(0))
                break
        self.assertIsNotNone(seed, "no otpauth URI printed")
        harness.remember_sensitive(seed)
        uri = subprocess.run([ZBARIMG, "-q", "--raw", png], capture_output=True, text=True,
                             check=True).stdout.strip()
        self.assertEqual(seed_from_uri(uri), seed)
        code1, code2 = harness.consecutive_codes(seed)
        out, err = process.communicate("%s\n%s\n" % (code1, code2), timeout=30)
        self.assertEqual(process.returncode, 0, out + err)

        summary = self.cli_json("iam", "get-account-summary")["SummaryMap"]
        self.assertEqual(summary["AccountMFAEnabled"], 1)

    def test_api_cannot_enable_mfa_for_root(self):
        # EnableMFADevice names an IAM user; the root user is none, so AWS answers NoSuchEntity.
        device = self.cli_json("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name",
                               "root-attempt", "--outfile", os.path.join(self.work, "r.png"),
                               "--bootstrap-method", "QRCodePNG")["VirtualMFADevice"]
        code, operation, _ = self.cli_error(
            "iam", "enable-mfa-device", "--user-name", "root", "--serial-number",
            device["SerialNumber"], "--authentication-code1", "123456",
            "--authentication-code2", "234567")
        self.assertEqual((code, operation), ("NoSuchEntity", "EnableMFADevice"))

    def test_root_mfa_through_the_admin_endpoint(self):
        other = self.server.create_account()
        base = "/_fulcrum/admin/accounts/%s/root-mfa" % other.account_id
        status, _, device = self.server.admin_request("POST", base)
        self.assertEqual(status, 201, device)
        harness.remember_sensitive(device["Base32StringSeed"], device["OtpauthUri"])
        self.assertEqual(seed_from_uri(device["OtpauthUri"]), device["Base32StringSeed"])
        status, _, error = self.server.admin_request(
            "POST", base + "/enable", {"AuthenticationCode1": "000000",
                                       "AuthenticationCode2": "000001"})
        self.assertEqual((status, error["error"]["code"]), (403, "InvalidAuthenticationCode"))
        code1, code2 = harness.consecutive_codes(device["Base32StringSeed"])
        status, _, done = self.server.admin_request(
            "POST", base + "/enable", {"AuthenticationCode1": code1, "AuthenticationCode2": code2})
        self.assertEqual((status, done["Enabled"]), (200, True), done)
        status, _, _ = self.server.admin_request("POST", base, use_token=False)
        self.assertEqual(status, 401)
        summary = self.iam(other.access_key_id, other.secret_access_key).get_account_summary()
        self.assertEqual(summary["SummaryMap"]["AccountMFAEnabled"], 1)


class Boto3FlowTest(IamServer):
    """The same flow with boto3."""

    def test_flow(self):
        iam = self.iam()
        user = iam.create_user(UserName="mgmt-org-admin")["User"]
        iam.attach_user_policy(UserName="mgmt-org-admin", PolicyArn=ADMIN_POLICY)
        key = iam.create_access_key(UserName="mgmt-org-admin")["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])
        sts = harness.boto3_client("sts", self.endpoint, key["AccessKeyId"],
                                   key["SecretAccessKey"])
        self.assertEqual(sts.get_caller_identity()["Arn"], user["Arn"])
        admin = self.iam(key["AccessKeyId"], key["SecretAccessKey"])
        attached = admin.list_attached_user_policies(UserName="mgmt-org-admin")["AttachedPolicies"]
        self.assertEqual([p["PolicyArn"] for p in attached], [ADMIN_POLICY])
        self.assertEqual(admin.list_groups_for_user(UserName="mgmt-org-admin")["Groups"], [])
        with self.assertRaises(admin.exceptions.NoSuchEntityException):
            admin.get_login_profile(UserName="mgmt-org-admin")

        device = admin.create_virtual_mfa_device(VirtualMFADeviceName="mgmt-org-admin")
        seed = device["VirtualMFADevice"]["Base32StringSeed"].decode("ascii")
        harness.remember_sensitive(seed)
        self.assertEqual(len(seed), 64)
        self.assertEqual(device["VirtualMFADevice"]["QRCodePNG"][:8], b"\x89PNG\r\n\x1a\n")
        code1, code2 = harness.consecutive_codes(seed)
        admin.enable_mfa_device(UserName="mgmt-org-admin",
                                SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
                                AuthenticationCode1=code1, AuthenticationCode2=code2)
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            admin.enable_mfa_device(UserName="mgmt-org-admin",
                                    SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
                                    AuthenticationCode1=code1, AuthenticationCode2=code2)
        self.assertIn(caught.exception.response["Error"]["Code"],
                      ("EntityAlreadyExists", "InvalidAuthenticationCode"))
        summary = admin.get_account_summary()["SummaryMap"]
        self.assertEqual(summary["Users"], 1)
        self.assertEqual(summary["MFADevicesInUse"], 1)


class JsFlowTest(IamServer):
    """The same flow with the AWS SDK for JavaScript v3."""

    def test_flow(self):
        env = harness.client_env({
            "AWS_REGION": "us-east-1",
            "NODE_PATH": os.path.join(harness.REPO_ROOT, "node_modules"),
            "NODE_NO_WARNINGS": "1",
        })
        spec = {"endpoint": self.endpoint, "accessKeyId": self.account.access_key_id,
                "secretAccessKey": self.account.secret_access_key}
        result = subprocess.run(["node", os.path.join(harness.JS_DIR, "iam_flow.js")],
                                input=json.dumps(spec), capture_output=True, text=True,
                                timeout=60, env=env, cwd=harness.REPO_ROOT)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        report = json.loads(result.stdout)
        harness.remember_sensitive(report.get("secret"), report.get("seed"))
        self.assertEqual(report["callerArn"],
                         "arn:aws:iam::%s:user/mgmt-org-admin" % self.account.account_id)
        self.assertEqual(report["attached"], [ADMIN_POLICY])
        self.assertEqual(report["groups"], [])
        self.assertEqual(report["loginProfileError"], "NoSuchEntityException")
        self.assertEqual(report["mfaDevices"], 1)


class AwsNukeTest(IamServer):
    """aws-nuke lists and deletes a user with keys and attachments."""

    def test_nuke_user(self):
        iam = self.iam()
        iam.create_account_alias(AccountAlias="fulcrum-nuke-test")
        iam.create_user(UserName="doomed")
        iam.attach_user_policy(UserName="doomed", PolicyArn=ADMIN_POLICY)
        key = iam.create_access_key(UserName="doomed")["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])

        config = os.path.join(self.work, "nuke-config.yaml")
        with open(os.path.join(harness.REPO_ROOT, "tests", "data", "aws-nuke",
                               "nuke-config.yaml")) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace("ACCOUNT_ID", self.account.account_id)
                    .replace("ENDPOINT", self.endpoint))
        result = subprocess.run(
            [AWS_NUKE, "-c", config, "--access-key-id", self.account.access_key_id,
             "--secret-access-key", self.account.secret_access_key, "--force", "--force-sleep",
             "3", "--no-dry-run", "--max-wait-retries", "10", "-t", "IAMUser", "-t",
             "IAMUserPolicyAttachment", "-t", "IAMUserAccessKey"],
            capture_output=True, text=True, timeout=120, env=harness.client_env())
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
        users = [u["UserName"] for u in iam.list_users()["Users"]]
        self.assertNotIn("doomed", users)
        with self.assertRaises(iam.exceptions.NoSuchEntityException):
            iam.list_access_keys(UserName="doomed")


if __name__ == "__main__":
    unittest.main()
