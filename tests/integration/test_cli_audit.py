"""`fulcrum audit` with the real binary and a real server, HOME in a temporary directory.

The account starts as sign-up leaves it with root access keys and no root MFA, plus mgmt-org-admin
configured as profile me-bootstrap: the audit fails. Turning root MFA on (through the admin
endpoint, as the console does) and deleting the root keys (through IAM) makes it pass.
"""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


class AuditTest(harness.ServerTestCase):

    CREATE_ACCOUNT = False  # Each test signs up an account of its own.

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = cls.work
        cls.home = os.path.join(cls.root, "home")
        cls.project = os.path.join(cls.root, "project")
        cls.keys = os.path.join(cls.root, "keys")
        os.makedirs(cls.home)
        os.makedirs(cls.keys)


    def fulcrum(self, *args):
        return subprocess.run([harness.fulcrum_bin()] + list(args), capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL,
                              env=harness.client_env({"HOME": self.home}))

    def audit(self, *extra):
        result = self.fulcrum("audit", "--project-dir", self.project, "--output", "json", *extra)
        try:
            doc = json.loads(result.stdout)
        except ValueError:
            self.fail("audit printed no JSON (%d): %s%s" % (result.returncode, result.stdout,
                                                             result.stderr))
        return result.returncode, {c["id"]: c for c in doc["checks"]}, doc

    def enable_root_mfa(self, account_id):
        base = "/_fulcrum/admin/accounts/%s/root-mfa" % account_id
        status, _, device = self.server.admin_request("POST", base)
        self.assertEqual(status, 201, device)
        seed = device["Base32StringSeed"]
        harness.remember_sensitive(seed, device["OtpauthUri"])
        first, second = harness.consecutive_codes(seed)
        status, _, done = self.server.admin_request(
            "POST", base + "/enable", {"AuthenticationCode1": first, "AuthenticationCode2": second})
        self.assertEqual(status, 200, done)

    def test_fails_until_root_is_secured_then_passes(self):
        account = self.server.create_account()
        root_iam = harness.boto3_client("iam", self.endpoint, account.access_key_id,
                                        account.secret_access_key)
        root_iam.create_user(UserName="mgmt-org-admin")
        root_iam.attach_user_policy(UserName="mgmt-org-admin", PolicyArn=ADMIN_POLICY)
        key = root_iam.create_access_key(UserName="mgmt-org-admin")["AccessKey"]
        harness.remember_sensitive(key["SecretAccessKey"])
        csv = os.path.join(self.keys, "mgmt-org-admin_accessKeys.csv")
        with open(csv, "w") as f:
            f.write("Access key ID,Secret access key\n%s,%s\n" % (key["AccessKeyId"],
                                                                key["SecretAccessKey"]))
        result = self.fulcrum("project", "init", "--project-name", "myexample", "--short-name",
                              "me", "--domain", "example.com", "--dir", self.project)
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.fulcrum("credentials", "configure", "--type", "bootstrap",
                              "--credentials-file", csv, "--project-dir", self.project,
                              "--endpoint-url", self.endpoint)
        self.assertEqual(result.returncode, 0, result.stderr)

        # Sign-up left root keys and no MFA. (The endpoint comes from the profile.)
        code, checks, doc = self.audit()
        self.assertEqual(code, 1, doc)
        self.assertEqual(checks["root-mfa"]["status"], "fail")
        self.assertEqual(checks["root-access-keys"]["status"], "fail")
        self.assertTrue(checks["root-mfa"]["fix"])
        for check_id in ("admin-user", "admin-policy", "admin-console-password", "admin-groups",
                         "admin-key-age", "credential-files", "leftover-csv"):
            self.assertEqual(checks[check_id]["status"], "pass", checks[check_id])
        self.assertEqual(doc["summary"]["fail"], 2, doc)
        self.assertEqual(doc["profile"], "me-bootstrap")

        # A leftover CSV in a searched directory fails too; the text table names the fix.
        result = self.fulcrum("audit", "--project-dir", self.project, "--csv-search-dir",
                              self.keys)
        self.assertEqual(result.returncode, 1)
        self.assertIn("leftover-csv", result.stdout)
        self.assertIn("fix: ", result.stdout)
        self.assertNotIn("\033[", result.stdout)  # no colour when stdout is not a terminal
        os.remove(csv)

        # Root MFA on alone is not enough.
        self.enable_root_mfa(account.account_id)
        code, checks, _ = self.audit()
        self.assertEqual(code, 1)
        self.assertEqual(checks["root-mfa"]["status"], "pass")
        self.assertEqual(checks["root-access-keys"]["status"], "fail")

        # Deleting the root keys through the API makes it pass (warnings allowed).
        root_iam.delete_access_key(AccessKeyId=account.access_key_id)
        code, checks, doc = self.audit("--csv-search-dir", self.keys)
        self.assertEqual(code, 0, doc)
        self.assertEqual(doc["summary"]["fail"], 0, doc)
        self.assertEqual(checks["root-access-keys"]["status"], "pass")
        self.assertIn(checks["password-policy"]["status"], ("warn", "pass"))

        # Loose permissions on the credentials file fail.
        credentials = os.path.join(self.home, ".aws", "me", "credentials")
        os.chmod(credentials, 0o644)
        code, checks, _ = self.audit()
        self.assertEqual(code, 1)
        self.assertEqual(checks["credential-files"]["status"], "fail")
        self.assertIn("chmod 600", checks["credential-files"]["fix"])
        os.chmod(credentials, 0o600)


if __name__ == "__main__":
    unittest.main()
