"""`fulcrum management bootstrap` (and `fulcrum quickstart`) against a real account plane.

Run with /usr/bin/python3 -m unittest test_cli_bootstrap. HOME is a temporary directory.
"""

import http.server
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import unittest

import harness

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
USER = "mgmt-org-admin"
# IAM operations that change state, as the access log names them ("iam.CreateUser").
IAM_WRITE = re.compile(r"\biam\.(Create|Delete|Attach|Detach|Put|Update|Enable|Add|Remove)\w*")


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class BootstrapTest(unittest.TestCase):

    def setUp(self):
        self.server = harness.Server()
        self.addCleanup(self.server.cleanup)
        self.endpoint = self.server.start()
        self.account = self.server.create_account(name="myexample-management",
                                                  email="myexample-aws@example.com")
        self.root = tempfile.mkdtemp(prefix="fulcrum-it-bootstrap-")
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        self.home = os.path.join(self.root, "home")
        self.project_dir = os.path.join(self.root, "project")
        self.seed_file = os.path.join(self.root, "root-mfa-seed")
        os.makedirs(self.home)
        result = self.fulcrum(["project", "init", "--project-name", "myexample", "--short-name",
                               "me", "--domain", "example.com", "--dir", self.project_dir])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.iam = harness.boto3_client("iam", self.endpoint, self.account.access_key_id,
                                        self.account.secret_access_key)
        self.csv = os.path.join(self.home, ".aws", "me", "mgmt-org-admin_accessKeys.csv")

    def fulcrum(self, args, extra_env=None, timeout=60):
        env = harness.client_env({"HOME": self.home})
        env.update(extra_env or {})
        return subprocess.run([harness.fulcrum_bin()] + args, capture_output=True, text=True,
                              timeout=timeout, env=env, stdin=subprocess.DEVNULL)

    def bootstrap(self, *extra):
        result = self.fulcrum(
            ["management", "bootstrap", "--project-dir", self.project_dir, "--endpoint-url",
             self.endpoint, "--region", "us-east-1", "--admin-token-file",
             os.path.join(self.server.data_dir, "admin-token"), "--mfa-seed-file",
             self.seed_file] + list(extra),
            {"AWS_ACCESS_KEY_ID": self.account.access_key_id,
             "AWS_SECRET_ACCESS_KEY": self.account.secret_access_key})
        return result

    def bootstrap_json(self, *extra):
        result = self.bootstrap("--output", "json", *extra)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return json.loads(result.stdout)

    def keys(self):
        return [k["AccessKeyId"] for k in
                self.iam.list_access_keys(UserName=USER)["AccessKeyMetadata"]]

    def end_state(self):
        """What an uninterrupted bootstrap leaves, in comparable form."""
        users = [u["UserName"] for u in self.iam.list_users()["Users"]]
        policies = [p["PolicyArn"] for p in
                    self.iam.list_attached_user_policies(UserName=USER)["AttachedPolicies"]]
        groups = self.iam.list_groups_for_user(UserName=USER)["Groups"]
        with self.assertRaises(self.iam.exceptions.NoSuchEntityException):
            self.iam.get_login_profile(UserName=USER)
        summary = self.iam.get_account_summary()["SummaryMap"]
        with open(self.csv) as f:
            csv_key = f.read().splitlines()[1].split(",")[0]
        return {"users": users, "policies": policies, "groups": groups,
                "mfa": summary["AccountMFAEnabled"], "keys": len(self.keys()),
                "csv_key_is_the_key": self.keys() == [csv_key]}

    def iam_writes(self):
        return len(IAM_WRITE.findall(self.server.output()))

    def test_bootstrap_creates_admin_user_csv_and_root_mfa(self):
        doc = self.bootstrap_json()
        self.assertEqual(doc["csv"], self.csv)
        self.assertTrue(doc["changed"])
        self.assertEqual(self.end_state(), {
            "users": [USER], "policies": [ADMIN_ARN], "groups": [], "mfa": 1, "keys": 1,
            "csv_key_is_the_key": True})
        self.assertEqual(mode(self.csv), 0o600)
        with open(self.csv, "rb") as f:
            self.assertTrue(f.read().startswith(b"Access key ID,Secret access key\r\n"))
        self.assertEqual(mode(self.seed_file), 0o600)
        pngs = [n for n in os.listdir(os.path.dirname(self.csv)) if n.endswith(".png")]
        self.assertEqual(len(pngs), 1)
        self.assertEqual(mode(os.path.join(os.path.dirname(self.csv), pngs[0])), 0o600)
        self.assertEqual(self.server.find_leaks(), [])

    def test_text_output_ends_with_csv_line(self):
        result = self.bootstrap()
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[-1], "csv: " + self.csv)
        self.assertIn("\u2192 Create IAM user mgmt-org-admin", lines)
        self.assertTrue(any("Alternate contacts" in line for line in lines))

    def test_second_run_makes_no_write_call(self):
        self.bootstrap_json()
        before_state = self.end_state()
        before_writes = self.iam_writes()
        doc = self.bootstrap_json()
        self.assertFalse(doc["changed"])
        self.assertTrue(all(step["status"] == "ok" for step in doc["steps"]))
        self.assertEqual(self.iam_writes(), before_writes)
        self.assertEqual(self.end_state(), before_state)
        text = self.bootstrap()
        self.assertIn("Nothing to change.", text.stdout)

    def test_run_cut_off_after_create_user_is_completed(self):
        self.iam.create_user(UserName=USER)  # what a run killed after CreateUser leaves
        self.bootstrap_json()
        self.assertEqual(self.end_state(), {
            "users": [USER], "policies": [ADMIN_ARN], "groups": [], "mfa": 1, "keys": 1,
            "csv_key_is_the_key": True})

    def test_run_killed_at_each_write_is_completed_by_the_next(self):
        """kill -9 the bootstrap at each IAM write, before the account plane sees it or after
        the plane made it but before the answer arrives; restart it and compare with an
        uninterrupted run."""
        writes = ("CreateUser", "AttachUserPolicy", "CreateAccessKey")
        for victim, after in [(w, False) for w in writes] + [(w, True) for w in writes]:
            with self.subTest(killed_at=victim, after_the_write=after):
                self.setUp_fresh_account()
                proxy = KillingProxy(self.endpoint, victim, after)
                self.addCleanup(proxy.close)
                process = subprocess.Popen(
                    [harness.fulcrum_bin(), "management", "bootstrap", "--project-dir",
                     self.project_dir, "--endpoint-url", proxy.endpoint, "--region",
                     "us-east-1", "--admin-token-file",
                     os.path.join(self.server.data_dir, "admin-token"), "--mfa-seed-file",
                     self.seed_file],
                    env=dict(harness.client_env({"HOME": self.home}),
                             AWS_ACCESS_KEY_ID=self.account.access_key_id,
                             AWS_SECRET_ACCESS_KEY=self.account.secret_access_key),
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    text=True)
                proxy.victim_pid = process.pid
                out, err = process.communicate(timeout=60)
                self.assertEqual(process.returncode, -signal.SIGKILL,
                                 "the bootstrap was not killed at %s: %s%s" % (victim, out, err))
                proxy.close()
                if victim == "CreateAccessKey" and after:
                    # The key exists but its secret died with the process: the next run says
                    # so and makes no second key; --rotate-key replaces it.
                    self.assertEqual(len(self.keys()), 1)
                    refused = self.bootstrap()
                    self.assertEqual(refused.returncode, 1, refused.stdout + refused.stderr)
                    self.assertIn("--rotate-key", refused.stderr)
                    self.assertEqual(len(self.keys()), 1)
                    self.bootstrap_json("--rotate-key")
                else:
                    self.bootstrap_json()
                self.assertEqual(self.end_state(), UNINTERRUPTED)
                self.assertEqual(self.bootstrap_json()["changed"], False)

    def setUp_fresh_account(self):
        """A new account and home for one more run inside the same test."""
        self.account = self.server.create_account()
        self.home = tempfile.mkdtemp(prefix="fulcrum-it-home-", dir=self.root)
        self.csv = os.path.join(self.home, ".aws", "me", "mgmt-org-admin_accessKeys.csv")
        self.seed_file = os.path.join(self.home, "root-mfa-seed")
        self.iam = harness.boto3_client("iam", self.endpoint, self.account.access_key_id,
                                        self.account.secret_access_key)

    def test_lost_csv_needs_rotate_key(self):
        self.bootstrap_json()
        old = self.keys()
        os.remove(self.csv)
        result = self.bootstrap()
        self.assertEqual(result.returncode, 1)
        self.assertIn("--rotate-key", result.stderr)
        self.assertEqual(self.keys(), old)
        self.bootstrap_json("--rotate-key")
        new = self.keys()
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new, old)
        self.assertTrue(self.end_state()["csv_key_is_the_key"])


UNINTERRUPTED = {"users": [USER], "policies": [ADMIN_ARN], "groups": [], "mfa": 1, "keys": 1,
                 "csv_key_is_the_key": True}


class KillingProxy:
    """Forwards HTTP requests to `upstream` and SIGKILLs `victim_pid` when a request for the
    IAM action `action` arrives: before forwarding it (the account plane never sees it) or, with
    `after`, once the plane has answered it (the write is made, the killed process never learns
    the answer)."""

    def __init__(self, upstream, action, after=False):
        self.upstream = upstream
        self.action = action
        self.after = after
        self.victim_pid = None
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                victim = ("Action=%s&" % proxy.action).encode() in body + b"&"
                if victim and not proxy.after:
                    os.kill(proxy.victim_pid, signal.SIGKILL)
                    self.close_connection = True
                    return
                # The Host header is signed: forward it as the client sent it.
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "content-length")}
                status, response_headers, answer = harness.http_request(
                    proxy.upstream, "POST", self.path, body=body, headers=headers)
                if victim:
                    os.kill(proxy.victim_pid, signal.SIGKILL)
                    self.close_connection = True
                    return
                self.send_response(status)
                for name, value in response_headers.items():
                    if name.lower() not in ("content-length", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_GET(self):
                status, _, answer = harness.http_request(proxy.upstream, "GET", self.path)
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuickstartTest(unittest.TestCase):

    def test_quickstart_twice(self):
        root = tempfile.mkdtemp(prefix="fulcrum-it-quickstart-")
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        env = harness.client_env({"HOME": os.path.join(root, "home")})
        os.makedirs(env["HOME"])
        listen = "127.0.0.1:%d" % free_port()
        args = [harness.fulcrum_bin(), "quickstart", "--dir", os.path.join(root, "qs"),
                "--listen", listen]
        first = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120,
                               stdin=subprocess.DEVNULL)
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        self.assertFalse(os.path.exists(os.path.join(root, "qs", "root-access-key.json")))
        self.assertEqual(os.listdir(env["HOME"]), [])
        second = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120,
                                stdin=subprocess.DEVNULL)
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        self.assertIn("Nothing to change.", second.stdout)

        # The account plane again, over the data quickstart left; then the profile and the audit.
        qs = os.path.join(root, "qs")
        aws_dir = os.path.join(qs, "aws", ".aws", "me")
        for name in ("config", "credentials"):
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(aws_dir, name)).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(aws_dir).st_mode), 0o700)
        server = subprocess.Popen([harness.fulcrum_bin(), "server", "--data-dir",
                                   os.path.join(qs, "data"), "--listen", listen,
                                   "--access-log", "off"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertTrue(server.stdout.readline().startswith("fulcrum: listening on"))
            endpoint = "http://" + listen
            cli_env = dict(env, AWS_CONFIG_FILE=os.path.join(aws_dir, "config"),
                           AWS_SHARED_CREDENTIALS_FILE=os.path.join(aws_dir, "credentials"))
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
                cli_env.pop(name, None)
            who = subprocess.run([harness.AWS_CLI, "--profile", "me-bootstrap", "--endpoint-url",
                                  endpoint, "sts", "get-caller-identity", "--output", "json"],
                                 capture_output=True, text=True, env=cli_env, timeout=60)
            self.assertEqual(who.returncode, 0, who.stderr)
            self.assertTrue(json.loads(who.stdout)["Arn"].endswith(":user/mgmt-org-admin"))

            audit = subprocess.run(
                [harness.fulcrum_bin(), "audit", "--project-dir", os.path.join(qs, "project"),
                 "--endpoint-url", endpoint, "--output", "json"],
                capture_output=True, text=True, env=dict(env, HOME=os.path.join(qs, "aws")),
                timeout=60)
            self.assertEqual(audit.returncode, 0, audit.stdout + audit.stderr)
            checks = {c["id"]: c["status"] for c in json.loads(audit.stdout)["checks"]}
            # The documented warnings: a key that was never used, no password policy yet.
            warned = {k for k, v in checks.items() if v == "warn"}
            self.assertLessEqual(warned, {"admin-key-last-used", "password-policy"}, checks)
            self.assertEqual({k for k, v in checks.items() if v == "fail"}, set(), checks)
            for must_pass in ("root-mfa", "root-access-keys", "admin-user", "admin-policy",
                              "admin-console-password", "admin-groups", "credential-files",
                              "leftover-csv"):
                self.assertEqual(checks[must_pass], "pass", must_pass)
        finally:
            server.terminate()
            server.wait(timeout=15)
            server.stdout.close()


if __name__ == "__main__":
    unittest.main()
