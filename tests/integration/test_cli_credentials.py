"""`fulcrum credentials configure` and `fulcrum aws` with the real binary and a real server.

Each test gets its own HOME (a temporary directory) and project directory; the account plane
and the mgmt-org-admin key it checks are shared by the class. The written profile is used with
Debian's AWS CLI (/usr/bin/aws), which ignores endpoint_url in the config file, so --endpoint-url
is passed to it as well.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
HEADER = "Access key ID,Secret access key"
OLD_HEADER = "User name,Password,Access key ID,Secret access key,Console login link"


class CredentialsConfigureTest(harness.ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = harness.boto3_client("iam", cls.endpoint, cls.account.access_key_id,
                                   cls.account.secret_access_key)
        iam.create_user(UserName="mgmt-org-admin")
        iam.attach_user_policy(UserName="mgmt-org-admin", PolicyArn=ADMIN_POLICY)
        key = iam.create_access_key(UserName="mgmt-org-admin")["AccessKey"]
        cls.key_id = key["AccessKeyId"]
        cls.secret = key["SecretAccessKey"]
        harness.remember_sensitive(cls.secret)


    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="fulcrum-it-cred-")
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        self.home = os.path.join(self.root, "home")
        self.project = os.path.join(self.root, "project")
        self.keys = os.path.join(self.root, "keys")
        os.makedirs(self.home)
        os.makedirs(self.keys)
        result = self.fulcrum("project", "init", "--project-name", "myexample", "--short-name",
                              "me", "--domain", "example.com", "--dir", self.project)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.aws_dir = os.path.join(self.home, ".aws", "me")

    # --- helpers ---------------------------------------------------------------------------------

    def env(self, extra=None):
        env = harness.client_env({"HOME": self.home})
        env.update(extra or {})
        return env

    def fulcrum(self, *args, extra_env=None):
        return subprocess.run([harness.fulcrum_bin()] + list(args), capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL,
                              env=self.env(extra_env))

    def write_csv(self, name, content):
        path = os.path.join(self.keys, name)
        with open(path, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def configure(self, csv, *extra):
        return self.fulcrum("credentials", "configure", "--type", "bootstrap",
                            "--credentials-file", csv, "--project-dir", self.project,
                            "--endpoint-url", self.endpoint, *extra)

    def aws_with_profile(self, *args):
        env = self.env({
            "AWS_CONFIG_FILE": os.path.join(self.aws_dir, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.aws_dir, "credentials"),
        })
        return subprocess.run([harness.AWS_CLI, "--endpoint-url", self.endpoint] + list(args),
                              capture_output=True, text=True, timeout=60, env=env)

    def snapshot(self):
        """Every file under HOME and the project directory, with its bytes."""
        files = {}
        for top in (self.home, self.project):
            for dirpath, _, names in os.walk(top):
                for name in names:
                    path = os.path.join(dirpath, name)
                    with open(path, "rb") as f:
                        files[path] = f.read()
        return files

    def assert_profile_works(self):
        result = self.aws_with_profile("--profile", "me-bootstrap", "sts", "get-caller-identity")
        self.assertEqual(result.returncode, 0, result.stderr)
        identity = json.loads(result.stdout)
        self.assertEqual(identity["Account"], self.account.account_id)
        self.assertTrue(identity["Arn"].endswith(":user/mgmt-org-admin"), identity)

    # --- the CSV variants ------------------------------------------------------------------------

    def test_each_csv_variant_gives_a_working_profile(self):
        variants = {
            "bom": "\ufeff%s\n%s,%s\n" % (HEADER, self.key_id, self.secret),
            "crlf": "%s\r\n%s,%s\r\n" % (HEADER, self.key_id, self.secret),
            "old layout": "%s\nmgmt-org-admin,,%s,%s,https://%s.signin.aws.amazon.com/console\n"
                          % (OLD_HEADER, self.key_id, self.secret, self.account.account_id),
            "spaces": " Access key ID , Secret access key \n %s , %s \n" % (self.key_id,
                                                                        self.secret),
        }
        for i, (name, content) in enumerate(variants.items()):
            with self.subTest(name):
                csv = self.write_csv("mgmt-org-admin_accessKeys.csv", content)
                args = ["--overwrite-existing-credentials"] if i else []
                result = self.configure(csv, *args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertNotIn(self.secret, result.stdout + result.stderr)
                self.assert_profile_works()
        self.assertEqual(os.stat(self.aws_dir).st_mode & 0o777, 0o700)
        self.assertIn("credentials", os.listdir(self.aws_dir))
        for name in os.listdir(self.aws_dir):
            self.assertEqual(os.stat(os.path.join(self.aws_dir, name)).st_mode & 0o777, 0o600,
                             name)
        with open(os.path.join(self.project, "project.yaml")) as f:
            self.assertIn("'%s'" % self.account.account_id, f.read())

    def test_fulcrum_aws_runs_the_cli_on_the_project_files(self):
        csv = self.write_csv("k.csv", "%s\n%s,%s\n" % (HEADER, self.key_id, self.secret))
        self.assertEqual(self.configure(csv).returncode, 0)
        result = self.fulcrum("aws", "--project-dir", self.project, "--endpoint-url",
                              self.endpoint, "--", "sts", "get-caller-identity", "--profile",
                              "me-bootstrap", extra_env={"FULCRUM_AWS_CLI": harness.AWS_CLI})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["Account"], self.account.account_id)
        # The AWS CLI's exit code is passed through.
        result = self.fulcrum("aws", "--project-dir", self.project, "--endpoint-url",
                              self.endpoint, "--", "sts", "get-caller-identity", "--profile",
                              "no-such-profile", extra_env={"FULCRUM_AWS_CLI": harness.AWS_CLI})
        self.assertEqual(result.returncode, 255, result.stderr)

    # --- failures leave every file as it was -----------------------------------------------------

    def test_failures_give_a_clear_error_and_change_no_file(self):
        good = self.write_csv("good.csv", "%s\n%s,%s\n" % (HEADER, self.key_id, self.secret))
        self.assertEqual(self.configure(good).returncode, 0)
        cases = [
            ("missing column", "Access key ID\n%s\n" % self.key_id, ["Secret access key"]),
            ("empty file", "", ["empty file.csv"]),
            ("wrong secret", "%s\n%s,%s\n" % (HEADER, self.key_id, "x" * 40),
             ["SignatureDoesNotMatch", "line 2 does not match the key id", "GetCallerIdentity"]),
        ]
        for name, content, messages in cases:
            with self.subTest(name):
                csv = self.write_csv(name + ".csv", content)
                before = self.snapshot()
                result = self.configure(csv, "--overwrite-existing-credentials")
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                for message in messages:
                    self.assertIn(message, result.stderr)
                self.assertEqual(self.snapshot(), before)
        self.assert_profile_works()

    def test_an_existing_profile_needs_the_overwrite_flag(self):
        csv = self.write_csv("k.csv", "%s\n%s,%s\n" % (HEADER, self.key_id, self.secret))
        self.assertEqual(self.configure(csv).returncode, 0)
        before = self.snapshot()
        result = self.configure(csv)
        self.assertEqual(result.returncode, 1)
        self.assertIn("--overwrite-existing-credentials", result.stderr)
        self.assertEqual(self.snapshot(), before)

    def test_no_file_on_a_non_terminal_is_a_usage_error(self):
        result = self.fulcrum("credentials", "configure", "--type", "bootstrap", "--project-dir",
                              self.project, "--endpoint-url", self.endpoint)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--credentials-file", result.stderr)

    def test_a_csv_in_the_project_is_flagged_and_deleted_on_request(self):
        csv = os.path.join(self.project, "mgmt-org-admin_accessKeys.csv")
        with open(csv, "w") as f:
            f.write("%s\n%s,%s\n" % (HEADER, self.key_id, self.secret))
        result = self.configure(csv, "--delete-csv")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("inside the project directory", result.stderr)
        self.assertFalse(os.path.exists(csv))


if __name__ == "__main__":
    unittest.main()
