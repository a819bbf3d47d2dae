"""Drives the real `fulcrum` binary and real AWS clients for the integration tests.

Run with Debian's /usr/bin/python3 (Python 3.11, boto3 1.26.27 / botocore 1.29.27). Only the
standard library and boto3/botocore are used.

The binary comes from the FULCRUM_BIN environment variable (CTest passes $<TARGET_FILE:fulcrum>);
without it, build/release/src/server/fulcrum under the repository root is used.

Every value that must never reach the server's output (secret keys, passwords, signatures) is
recorded in SENSITIVE_VALUES as the clients produce it; Server.find_leaks() looks for them in
everything the server printed.
"""

import atexit
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.session

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.environ.get("FULCRUM_REPO_ROOT") or os.path.dirname(os.path.dirname(HERE))
AWS_CLI = "/usr/bin/aws"
NODE = shutil.which("node") or "/usr/bin/node"
FAKETIME = shutil.which("faketime") or "/usr/bin/faketime"
CLI_PLUGIN_DIR = os.path.join(HERE, "cli_plugin")
JS_DIR = os.path.join(HERE, "js")

READY_LINE = re.compile(rb"^fulcrum: listening on (http://127\.0\.0\.1:(\d+))$", re.MULTILINE)
SIGNATURE_IN_AUTH = re.compile(r"Signature=([0-9a-f]{64})")

# Values that must never appear in the server's stdout or stderr.
SENSITIVE_VALUES = set()

# A scratch directory for client configuration shared by the whole test process.
_SCRATCH = tempfile.mkdtemp(prefix="fulcrum-it-clients-")
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
EMPTY_AWS_CONFIG = os.path.join(_SCRATCH, "empty-config")
EMPTY_AWS_CREDENTIALS = os.path.join(_SCRATCH, "empty-credentials")
TAMPER_AWS_CONFIG = os.path.join(_SCRATCH, "plugin-config")
SIGNATURE_LOG = os.path.join(_SCRATCH, "cli-signatures.log")
for _path in (EMPTY_AWS_CONFIG, EMPTY_AWS_CREDENTIALS):
    open(_path, "w").close()
with open(TAMPER_AWS_CONFIG, "w") as _f:
    _f.write("[plugins]\ncli_legacy_plugin_path = %s\nfulcrum_test = fulcrum_test_plugin\n"
             % CLI_PLUGIN_DIR)

# Keep the user's AWS configuration out of the in-process boto3 clients as well.
for _name in [n for n in os.environ if n.startswith("AWS_")]:
    del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = EMPTY_AWS_CONFIG
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = EMPTY_AWS_CREDENTIALS
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def fulcrum_bin():
    """The path of the fulcrum binary under test."""
    return os.environ.get("FULCRUM_BIN") or os.path.join(
        REPO_ROOT, "build", "release", "src", "server", "fulcrum")


def unique_name(prefix="acct"):
    """A fresh account name that is valid for AWS (letters, digits, dashes)."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def remember_sensitive(*values):
    for value in values:
        if value:
            SENSITIVE_VALUES.add(value)


def remember_authorization(value):
    """Records the signature carried by an Authorization header value."""
    if value:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        for signature in SIGNATURE_IN_AUTH.findall(value):
            remember_sensitive(signature)


def client_env(extra=None):
    """The environment for a client subprocess: no AWS_* from outside, empty config files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_CONFIG_FILE": EMPTY_AWS_CONFIG,
        "AWS_SHARED_CREDENTIALS_FILE": EMPTY_AWS_CREDENTIALS,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(extra or {})
    return env


class Account:
    """An account created through `fulcrum account create` or the admin endpoint."""

    def __init__(self, doc):
        self.doc = doc
        self.account_id = doc["AccountId"]
        self.name = doc.get("AccountName")
        self.email = doc.get("Email")
        self.root_arn = doc.get("RootUserArn")
        self.password = doc.get("RootPassword")
        key = doc.get("RootAccessKey") or {}
        self.access_key_id = key.get("AccessKeyId")
        self.secret_access_key = key.get("SecretAccessKey")
        remember_sensitive(self.password, self.secret_access_key)

    def __repr__(self):
        return "Account(%s, %s)" % (self.account_id, self.name)


class ServerError(Exception):
    pass


class Server:
    """One `fulcrum server` process on a random loopback port over a temporary data dir.

    The same data dir survives stop()/kill() and start() again; cleanup() removes everything.
    stdout and stderr of every run are appended to files under the temporary root.
    """

    def __init__(self, binary=None, data_dir=None):
        self.binary = binary or fulcrum_bin()
        self.root = tempfile.mkdtemp(prefix="fulcrum-it-")
        self.data_dir = data_dir or os.path.join(self.root, "data")
        self.stdout_path = os.path.join(self.root, "server.stdout")
        self.stderr_path = os.path.join(self.root, "server.stderr")
        self.process = None
        self.endpoint = None
        self.port = None
        self.exit_codes = []

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self, timeout=20.0):
        """Starts the server and waits for its ready line. Returns the endpoint URL."""
        if self.process is not None:
            raise ServerError("server already running")
        offset = os.path.getsize(self.stdout_path) if os.path.exists(self.stdout_path) else 0
        stdout = open(self.stdout_path, "ab")
        stderr = open(self.stderr_path, "ab")
        try:
            self.process = subprocess.Popen(
                [self.binary, "server", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir],
                stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=client_env())
        finally:
            stdout.close()
            stderr.close()
        deadline = time.monotonic() + timeout
        while True:
            with open(self.stdout_path, "rb") as f:
                f.seek(offset)
                printed = f.read()
            match = READY_LINE.search(printed)
            if match:
                first_line = printed.split(b"\n", 1)[0]
                if first_line != match.group(0):
                    self.kill()
                    raise ServerError("first stdout line is not the ready line: %r" % first_line)
                self.endpoint = match.group(1).decode()
                self.port = int(match.group(2))
                return self.endpoint
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                raise ServerError("server exited with %s before it was ready:\n%s" %
                                  (code, self.output()))
            if time.monotonic() > deadline:
                self.kill()
                raise ServerError("no ready line within %.0fs:\n%s" % (timeout, self.output()))
            time.sleep(0.02)

    def stop(self, timeout=15.0):
        """SIGTERM, then waits. Returns the exit code (None if it had to be killed)."""
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = None
        self.exit_codes.append(code)
        self.process = None
        self.endpoint = None
        return code

    def kill(self):
        """SIGKILL, then waits."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.exit_codes.append(-signal.SIGKILL)
        self.process = None
        self.endpoint = None

    def running(self):
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def cleanup(self):
        if self.process is not None:
            self.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- output ----------------------------------------------------------------------------------

    def output(self):
        """Everything the server printed so far, stdout then stderr, as text."""
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    parts.append(f.read().decode("utf-8", "replace"))
        return "\n".join(parts)

    def find_leaks(self):
        """The sensitive values (secrets, passwords, signatures) present in the server's output."""
        text = self.output()
        return sorted(v for v in SENSITIVE_VALUES if v in text)

    # --- accounts through the CLI ----------------------------------------------------------------

    def run_cli(self, args, stdin_text=None, timeout=30):
        """Runs `fulcrum <args>` and returns the CompletedProcess (text mode)."""
        return subprocess.run([self.binary] + list(args), input=stdin_text, capture_output=True,
                              text=True, timeout=timeout, env=client_env())

    def account_create_args(self, name, email, root_access_key=True, password_stdin=False):
        args = ["account", "create", "--data-dir", self.data_dir, "--name", name, "--email",
                email, "--output", "json"]
        if root_access_key:
            args.append("--root-access-key")
        if password_stdin:
            args.append("--password-stdin")
        return args

    def create_account(self, name=None, email=None, root_access_key=True, password=None):
        """Signs up an account with `fulcrum account create`; returns an Account."""
        name = name or unique_name()
        email = email or "%s@example.com" % name
        remember_sensitive(password)
        result = self.run_cli(
            self.account_create_args(name, email, root_access_key, password is not None),
            stdin_text=(password + "\n") if password is not None else None)
        if result.returncode != 0:
            raise ServerError("fulcrum account create failed (%d): %s%s" %
                              (result.returncode, result.stdout, result.stderr))
        try:
            doc = json.loads(result.stdout)
        except ValueError as e:
            raise ServerError("account create printed no JSON object (%s): %r" %
                              (e, result.stdout))
        return Account(doc)

    # --- admin endpoint --------------------------------------------------------------------------

    def admin_token(self):
        with open(os.path.join(self.data_dir, "admin-token")) as f:
            token = f.read().strip()
        remember_sensitive(token)
        return token

    def admin_request(self, method, path, body=None, token=None, use_token=True):
        """Calls /_fulcrum/admin/...; returns (status, headers, parsed JSON or raw text)."""
        headers = {}
        if use_token:
            headers["Authorization"] = "Bearer " + (token if token is not None
                                                    else self.admin_token())
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        status, response_headers, raw = http_request(self.endpoint, method, path, data, headers)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return status, response_headers, parsed

    def admin_create_account(self, name=None, email=None, root_access_key=True, password=None):
        name = name or unique_name()
        email = email or "%s@example.com" % name
        body = {"name": name, "email": email, "root_access_key": root_access_key}
        if password is not None:
            body["password"] = password
            remember_sensitive(password)
        status, _, doc = self.admin_request("POST", "/_fulcrum/admin/accounts", body)
        if status != 201:
            raise ServerError("admin sign-up answered %s: %r" % (status, doc))
        return Account(doc)


# --- raw HTTP ------------------------------------------------------------------------------------

def http_request(endpoint, method, path, body=None, headers=None, timeout=10):
    """One request on a fresh connection; returns (status, headers as lower-case dict, body)."""
    host, port = _host_port(endpoint)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        raw = response.read()
        return response.status, header_dict(response.getheaders()), raw
    finally:
        conn.close()


def header_dict(pairs):
    """Lower-case names; a repeated header's values joined with ", " (as botocore does)."""
    headers = {}
    for name, value in pairs:
        name = name.lower()
        headers[name] = headers[name] + ", " + value if name in headers else value
    return headers


def _host_port(endpoint):
    hostport = endpoint.split("://", 1)[1].rstrip("/")
    host, port = hostport.rsplit(":", 1)
    return host, int(port)


def sign(endpoint, service, region, body, access_key_id, secret_access_key, session_token=None,
         content_type="application/x-www-form-urlencoded; charset=utf-8", extra_headers=None,
         path="/", method="POST"):
    """Signs a request with botocore's SigV4 signer; returns the headers to send (a dict).

    The Host header is the endpoint's host:port, as the clients send it.
    """
    request = botocore.awsrequest.AWSRequest(method=method, url=endpoint.rstrip("/") + path,
                                             data=body)
    request.headers["Content-Type"] = content_type
    for name, value in (extra_headers or {}).items():
        request.headers[name] = value
    credentials = botocore.credentials.Credentials(access_key_id, secret_access_key,
                                                   session_token)
    botocore.auth.SigV4Auth(credentials, service, region).add_auth(request)
    headers = dict(request.headers.items())
    headers["Host"] = endpoint.split("://", 1)[1].rstrip("/")
    remember_authorization(headers.get("Authorization"))
    return headers


def signed_request(endpoint, service, region, body, account, **kwargs):
    """Signs with the account's root key and sends it; returns (status, headers, body)."""
    if isinstance(body, str):
        body = body.encode()
    headers = sign(endpoint, service, region, body, account.access_key_id,
                   account.secret_access_key, **kwargs)
    return http_request(endpoint, kwargs.get("method", "POST"), kwargs.get("path", "/"), body,
                        headers)


# --- boto3 ---------------------------------------------------------------------------------------

_BOTOCORE_SESSION = None
_OPEN_CLIENTS = []


def boto3_client(service, endpoint, access_key_id, secret_access_key, session_token=None,
                 region="us-east-1", unsigned=False):
    """A botocore client (the same object boto3.client returns) with one attempt and no config.

    Records every signature it sends in SENSITIVE_VALUES.
    """
    global _BOTOCORE_SESSION
    import boto3  # noqa: F401  (imported so a missing boto3 fails loudly)
    if _BOTOCORE_SESSION is None:
        _BOTOCORE_SESSION = boto3.session.Session()
    config = botocore.config.Config(retries={"total_max_attempts": 1})
    if unsigned:
        config = config.merge(botocore.config.Config(signature_version=botocore.UNSIGNED))
    client = _BOTOCORE_SESSION.client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key, aws_session_token=session_token, config=config)
    client.meta.events.register("before-send", _record_botocore_signature)
    remember_sensitive(secret_access_key)
    _OPEN_CLIENTS.append(client)
    return client


def close_clients():
    """Closes the connection pools of every client boto3_client made."""
    while _OPEN_CLIENTS:
        _OPEN_CLIENTS.pop().close()


def _record_botocore_signature(request, **kwargs):
    remember_authorization(request.headers.get("Authorization"))


def reorder_form_body(body):
    """The same form parameters in reverse order: same length, same meaning, different bytes."""
    text = body.decode() if isinstance(body, (bytes, bytearray)) else body
    reordered = "&".join(reversed(text.split("&")))
    if reordered == text:
        raise ValueError("cannot reorder a body with one parameter: %r" % text)
    return reordered.encode() if isinstance(body, (bytes, bytearray)) else reordered


# --- AWS CLI v2 (Debian) -------------------------------------------------------------------------

def run_aws_cli(endpoint, args, access_key_id=None, secret_access_key=None, session_token=None,
                region="us-east-1", faketime=None, tamper_body=False, timeout=60):
    """Runs /usr/bin/aws --endpoint-url ENDPOINT ARGS with only the given credentials.

    The CLI loads tests/integration/cli_plugin/fulcrum_test_plugin.py, which records each signature
    and, with tamper_body, reorders the body after signing. Returns the CompletedProcess.
    """
    env = client_env({
        "AWS_CONFIG_FILE": TAMPER_AWS_CONFIG,
        "AWS_DEFAULT_REGION": region,
        "FULCRUM_TEST_SIGNATURE_LOG": SIGNATURE_LOG,
    })
    if access_key_id is not None:
        env["AWS_ACCESS_KEY_ID"] = access_key_id
    if secret_access_key is not None:
        env["AWS_SECRET_ACCESS_KEY"] = secret_access_key
        remember_sensitive(secret_access_key)
    if session_token is not None:
        env["AWS_SESSION_TOKEN"] = session_token
    if tamper_body:
        env["FULCRUM_TEST_TAMPER_BODY"] = "1"
    command = [AWS_CLI, "--endpoint-url", endpoint] + list(args)
    if faketime:
        command = [FAKETIME, "-f", faketime] + command
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    _collect_cli_signatures()
    return result


def _collect_cli_signatures():
    if os.path.exists(SIGNATURE_LOG):
        with open(SIGNATURE_LOG) as f:
            for line in f:
                remember_sensitive(line.strip())


CLI_ERROR = re.compile(
    r"An error occurred \(([^)]+)\) when calling the (\w+) operation"
    r"(?: \(reached max retries: \d+\))?: (.*)")


def parse_cli_error(stderr):
    """(code, operation, message) from the CLI's error line, or None."""
    match = CLI_ERROR.search(stderr)
    return match.groups() if match else None


# --- AWS SDK for JavaScript v3 -------------------------------------------------------------------

def run_js(endpoint, cases, region="us-east-1", faketime=None, timeout=60):
    """Runs js/sts_cases.js over CASES; returns its list of results (one dict per case).

    Each case: {"name", "accessKeyId", "secretAccessKey", ["sessionToken"], ["region"],
    ["tamperBody"], ["dropAuthorization"]}. A result: {"name", "ok", "output" | "error"}, where
    error = {"name", "code", "message", "status"}.
    """
    for case in cases:
        remember_sensitive(case.get("secretAccessKey"))
    env = client_env({
        "AWS_REGION": region,
        "NODE_PATH": os.path.join(REPO_ROOT, "node_modules"),
        "NODE_NO_WARNINGS": "1",
    })
    command = [NODE, os.path.join(JS_DIR, "sts_cases.js")]
    if faketime:
        command = [FAKETIME, "-f", faketime] + command
    spec = json.dumps({"endpoint": endpoint, "cases": cases})
    result = subprocess.run(command, input=spec, capture_output=True, text=True,
                            timeout=timeout, env=env, cwd=REPO_ROOT)
    if result.returncode != 0:
        raise RuntimeError("node failed (%d): %s%s" % (result.returncode, result.stdout,
                                                        result.stderr))
    results = json.loads(result.stdout)
    for item in results:
        for signature in item.get("signatures", []):
            remember_sensitive(signature)
    return results


def run_js_calls(endpoint, calls, region="us-east-1", timeout=60):
    """Runs js/iam_calls.js over CALLS; returns its list of results (one dict per call).

    Each call: {"name", "accessKeyId", "secretAccessKey", "service": "iam"|"sts", "command",
    "input"}. A result: {"name", "ok", "output" | "error"}, where error = {"name", "code",
    "message", "status"}.
    """
    for call in calls:
        remember_sensitive(call.get("secretAccessKey"))
    env = client_env({
        "AWS_REGION": region,
        "NODE_PATH": os.path.join(REPO_ROOT, "node_modules"),
        "NODE_NO_WARNINGS": "1",
    })
    result = subprocess.run([NODE, os.path.join(JS_DIR, "iam_calls.js")],
                            input=json.dumps({"endpoint": endpoint, "calls": calls}),
                            capture_output=True, text=True, timeout=timeout, env=env,
                            cwd=REPO_ROOT)
    if result.returncode != 0:
        raise RuntimeError("node failed (%d): %s%s" % (result.returncode, result.stdout,
                                                        result.stderr))
    return json.loads(result.stdout)


def random_secret():
    """A syntactically valid secret access key that matches nothing."""
    return secrets.token_urlsafe(30)[:40]


def random_access_key_id():
    return "AKIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


# --- TOTP codes, as an authenticator app computes them -------------------------------------------

OATHTOOL = shutil.which("oathtool") or "/usr/bin/oathtool"
TOTP_STEP = 30


def totp(seed, at):
    """The 6-digit TOTP code of base32 `seed` at epoch second `at`, computed by oathtool."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(at))
    return subprocess.run([OATHTOOL, "--totp", "-b", "-N", stamp, seed], capture_output=True,
                          text=True, check=True).stdout.strip()


def consecutive_codes(seed):
    """Two consecutive codes ending with the current time step, as a person types them."""
    now = int(time.time())
    # Stay clear of a step boundary so that both codes belong to the steps meant.
    if now % TOTP_STEP > TOTP_STEP - 3:
        time.sleep(4)
        now = int(time.time())
    return totp(seed, now - TOTP_STEP), totp(seed, now)


# --- a test class with its own server ------------------------------------------------------------

class ServerTestCase(unittest.TestCase):
    """A test class with one server of its own (cls.server, cls.endpoint), a root account with
    access keys (cls.account) unless CREATE_ACCOUNT is False, and a temporary directory (cls.work).
    On tear-down the server is stopped and its output is checked for secrets."""

    CREATE_ACCOUNT = True

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.endpoint = cls.server.start()
        cls.account = cls.server.create_account() if cls.CREATE_ACCOUNT else None
        cls.work = tempfile.mkdtemp(prefix="fulcrum-it-")

    @classmethod
    def tearDownClass(cls):
        close_clients()
        cls.server.stop()
        leaks = cls.server.find_leaks()
        cls.server.cleanup()
        shutil.rmtree(cls.work, ignore_errors=True)
        if leaks:
            raise AssertionError("secrets in the server's output: %r" % leaks)
