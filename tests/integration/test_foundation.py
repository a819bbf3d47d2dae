"""Acceptance tests of Fulcrum's foundation: the real `fulcrum` binary and real AWS clients.

Run with Debian's Python: /usr/bin/python3 -m unittest test_foundation (from this folder), or
/usr/bin/python3 test_foundation.py [ClassName]. FULCRUM_BIN names the binary under test.

Clients: the Debian AWS CLI v2 (/usr/bin/aws), Debian boto3, and the AWS SDK for JavaScript v3
(@aws-sdk/client-sts from the repository's node_modules).
"""

import contextlib
import datetime
import email.utils
import http.client
import json
import os
import re
import socket
import stat
import sys
import types
import unittest
import xml.etree.ElementTree as ElementTree
from unittest import mock

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.auth  # noqa: E402
import botocore.exceptions  # noqa: E402

import harness  # noqa: E402

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
STS_GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
CLI_ERROR_EXIT_CODE = 254
SKEW = datetime.timedelta(minutes=20)


def _local_name(tag):
    return tag.rsplit("}", 1)[-1]


def _xml_find(root, name):
    """The text of the first element with this local name (namespaces ignored), or None."""
    for element in root.iter():
        if _local_name(element.tag) == name:
            return element.text
    return None


class _SkewedDatetime(datetime.datetime):
    """datetime.datetime whose utcnow() is 20 minutes behind, for botocore.auth's signer."""

    @classmethod
    def utcnow(cls):
        return datetime.datetime.utcnow() - SKEW


@contextlib.contextmanager
def _botocore_clock_20_minutes_ago():
    """Makes botocore sign requests dated 20 minutes ago.

    Both of botocore's SigV4 signers read datetime.datetime.utcnow(): botocore.auth's and, when
    awscrt is installed (as on Debian), botocore.crt.auth's, which is then the one in use.
    """
    fake_module = types.SimpleNamespace(datetime=_SkewedDatetime, timezone=datetime.timezone,
                                        timedelta=datetime.timedelta)
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(botocore.auth, "datetime", fake_module))
        try:
            import botocore.crt.auth as crt_auth
        except ImportError:
            crt_auth = None
        if crt_auth is not None:
            stack.enter_context(mock.patch.object(crt_auth, "datetime", fake_module))
        yield


class ServerTestCase(unittest.TestCase):
    """One server and one account with root access keys per test class.

    On tearDown of the class the server is stopped with SIGTERM; it must exit with 0 and its output
    must not contain any secret, password or signature the tests used.
    """

    server = None
    account = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        try:
            cls.server.start()
            cls.account = cls.server.create_account()
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            code = cls.server.stop()
            leaks = cls.server.find_leaks()
            output = cls.server.output()
        finally:
            cls.server.cleanup()
        if code != 0:
            raise AssertionError("server exit code on SIGTERM: %r\n%s" % (code, output[-4000:]))
        if leaks:
            raise AssertionError("server output contains sensitive values: %r" % leaks)

    def tearDown(self):
        harness.close_clients()

    @property
    def endpoint(self):
        return self.server.endpoint

    def sts(self, region="us-east-1", account=None, **kwargs):
        account = account or self.account
        args = dict(access_key_id=account.access_key_id,
                    secret_access_key=account.secret_access_key)
        args.update(kwargs)
        return harness.boto3_client("sts", self.endpoint, region=region, **args)

    def assertRootIdentity(self, identity, account=None):
        account = account or self.account
        self.assertEqual(identity["Account"], account.account_id)
        self.assertEqual(identity["Arn"], "arn:aws:iam::%s:root" % account.account_id)
        self.assertEqual(identity["UserId"], account.account_id)

    def assertClientError(self, call, code, status=None, message_contains=None):
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call()
        error = caught.exception.response["Error"]
        self.assertEqual(error.get("Code"), code, caught.exception.response)
        if status is not None:
            self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"],
                             status, caught.exception.response)
        if message_contains is not None:
            self.assertIn(message_contains, error.get("Message", ""), error)
        return caught.exception.response


# --- a. GetCallerIdentity with root keys, three clients ------------------------------------------

class GetCallerIdentityTest(ServerTestCase):

    def test_account_create_output(self):
        doc = self.account.doc
        self.assertRegex(doc["AccountId"], ACCOUNT_ID)
        self.assertEqual(doc["RootUserArn"], "arn:aws:iam::%s:root" % doc["AccountId"])
        self.assertTrue(doc.get("RootPassword"), "a generated password is printed")
        self.assertRegex(doc["RootAccessKey"]["AccessKeyId"], r"^AKIA[A-Z0-9]{16}$")
        self.assertEqual(len(doc["RootAccessKey"]["SecretAccessKey"]), 40)
        self.assertEqual(doc["AccountName"], self.account.name)
        self.assertEqual(doc["Email"], self.account.email)

    def test_aws_cli(self):
        for region in ("us-east-1", "eu-west-1"):
            with self.subTest(region=region):
                result = harness.run_aws_cli(
                    self.endpoint, ["sts", "get-caller-identity", "--output", "json"],
                    self.account.access_key_id, self.account.secret_access_key, region=region)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertRootIdentity(json.loads(result.stdout))

    def test_boto3(self):
        for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
            with self.subTest(region=region):
                response = self.sts(region=region).get_caller_identity()
                self.assertRootIdentity(response)
                metadata = response["ResponseMetadata"]
                self.assertEqual(metadata["HTTPStatusCode"], 200)
                self.assertEqual(metadata["RequestId"],
                                 metadata["HTTPHeaders"].get("x-amzn-requestid"),
                                 "the RequestId in the XML equals the x-amzn-RequestId header")

    def test_js_v3(self):
        key = {"accessKeyId": self.account.access_key_id,
               "secretAccessKey": self.account.secret_access_key}
        results = harness.run_js(self.endpoint, [
            dict(key, name="AWS_REGION=us-east-1"),
            dict(key, name="client config region ap-northeast-1", region="ap-northeast-1"),
        ])
        results += harness.run_js(self.endpoint, [dict(key, name="AWS_REGION=eu-west-1")],
                                  region="eu-west-1")
        for result in results:
            with self.subTest(case=result["name"]):
                self.assertTrue(result["ok"], result)
                self.assertRootIdentity(result["output"])
                request_id = result["requestId"] or ""
                self.assertNotIn(",", request_id, "x-amzn-RequestId sent more than once")
                self.assertRegex(request_id, UUID)

    def test_account_created_while_server_runs_is_usable_at_once(self):
        other = self.server.create_account()
        self.assertNotEqual(other.account_id, self.account.account_id)
        self.assertRootIdentity(self.sts(account=other).get_caller_identity(), other)
        self.assertRootIdentity(self.sts().get_caller_identity())


# --- b. SigV4 errors, three clients --------------------------------------------------------------

class SigV4ErrorsTest(ServerTestCase):
    """The same six failures through each client, with the exact STS error code."""

    def cases(self):
        key_id = self.account.access_key_id
        secret = self.account.secret_access_key
        return [
            # name, access key id, secret, session token, expected code, message part
            ("wrong secret", key_id, harness.random_secret(), None, "SignatureDoesNotMatch", None),
            ("unknown access key id", harness.random_access_key_id(), secret, None,
             "InvalidClientTokenId", None),
            ("unknown session token", key_id, secret, "FQoGZXIvYXdzEFAKE" + "A" * 100,
             "InvalidClientTokenId", None),
        ]

    # AWS CLI v2 ---------------------------------------------------------------------------------

    def cli(self, key_id=None, secret=None, token=None, **kwargs):
        key_id = self.account.access_key_id if key_id is None else key_id
        secret = self.account.secret_access_key if secret is None else secret
        return harness.run_aws_cli(self.endpoint, ["sts", "get-caller-identity", "--output",
                                                   "json"] + kwargs.pop("extra", []),
                                   key_id, secret, token, **kwargs)

    def assertCliError(self, result, code, message_contains=None):
        self.assertEqual(result.returncode, CLI_ERROR_EXIT_CODE, result.stdout + result.stderr)
        parsed = harness.parse_cli_error(result.stderr)
        self.assertIsNotNone(parsed, "no error line in stderr: %r" % result.stderr)
        self.assertEqual(parsed[0], code, result.stderr)
        self.assertEqual(parsed[1], "GetCallerIdentity")
        if message_contains:
            self.assertIn(message_contains, parsed[2])

    def test_aws_cli_credentials(self):
        for name, key_id, secret, token, code, part in self.cases():
            with self.subTest(case=name):
                self.assertCliError(self.cli(key_id, secret, token), code, part)

    def test_aws_cli_expired(self):
        self.assertCliError(self.cli(faketime="-20m"), "SignatureDoesNotMatch",
                            "Signature expired")

    def test_aws_cli_body_changed_after_signing(self):
        self.assertCliError(self.cli(tamper_body=True), "SignatureDoesNotMatch")

    def test_aws_cli_missing_authorization(self):
        self.assertCliError(self.cli(extra=["--no-sign-request"]), "MissingAuthenticationToken")

    # boto3 --------------------------------------------------------------------------------------

    def test_boto3_credentials(self):
        for name, key_id, secret, token, code, part in self.cases():
            with self.subTest(case=name):
                client = self.sts(access_key_id=key_id, secret_access_key=secret,
                                  session_token=token)
                self.assertClientError(client.get_caller_identity, code, 403, part)

    def test_boto3_expired(self):
        client = self.sts()
        with _botocore_clock_20_minutes_ago():
            self.assertClientError(client.get_caller_identity, "SignatureDoesNotMatch", 403,
                                   "Signature expired")

    def test_boto3_body_changed_after_signing(self):
        client = self.sts()

        def tamper(request, **kwargs):
            request.body = harness.reorder_form_body(request.body)

        client.meta.events.register("before-send.sts.GetCallerIdentity", tamper)
        self.assertClientError(client.get_caller_identity, "SignatureDoesNotMatch", 403)

    def test_boto3_missing_authorization(self):
        client = self.sts(unsigned=True)
        self.assertClientError(client.get_caller_identity, "MissingAuthenticationToken", 403)

    def test_boto3_signed_request_still_works(self):
        self.assertRootIdentity(self.sts().get_caller_identity())

    # JS v3 --------------------------------------------------------------------------------------

    def js_case(self, name, key_id=None, secret=None, token=None, **flags):
        case = {"name": name,
                "accessKeyId": key_id or self.account.access_key_id,
                "secretAccessKey": secret or self.account.secret_access_key}
        if token:
            case["sessionToken"] = token
        case.update(flags)
        return case

    def assertJsError(self, result, code, message_contains=None):
        self.assertFalse(result["ok"], result)
        error = result["error"]
        self.assertEqual(error["name"], code, error)
        self.assertEqual(error.get("code"), code, error)
        self.assertEqual(error.get("status"), 403, error)
        self.assertEqual(error.get("fault"), "client", error)
        if message_contains:
            self.assertIn(message_contains, error["message"])

    def test_js_v3_errors(self):
        cases = self.cases()
        js_cases = [self.js_case(name, key_id, secret, token)
                    for name, key_id, secret, token, _, _ in cases]
        js_cases.append(self.js_case("body changed after signing", tamperBody=True))
        js_cases.append(self.js_case("missing authorization", dropAuthorization=True))
        js_cases.append(self.js_case("control: valid request"))
        expected = {name: (code, part) for name, _, _, _, code, part in cases}
        expected["body changed after signing"] = ("SignatureDoesNotMatch", None)
        expected["missing authorization"] = ("MissingAuthenticationToken", None)
        for result in harness.run_js(self.endpoint, js_cases):
            with self.subTest(case=result["name"]):
                if result["name"] == "control: valid request":
                    self.assertTrue(result["ok"], result)
                    self.assertRootIdentity(result["output"])
                    continue
                self.assertJsError(result, *expected[result["name"]])

    def test_js_v3_expired(self):
        [result] = harness.run_js(self.endpoint, [self.js_case("expired")], faketime="-20m")
        self.assertJsError(result, "SignatureDoesNotMatch", "Signature expired")


# --- c. JSON protocols and unknown actions -------------------------------------------------------

class ProtocolErrorsTest(ServerTestCase):

    def test_organizations_wrong_secret(self):
        client = harness.boto3_client("organizations", self.endpoint,
                                      self.account.access_key_id, harness.random_secret())
        self.assertClientError(client.describe_organization, "InvalidSignatureException")

    def test_organizations_unknown_key(self):
        client = harness.boto3_client("organizations", self.endpoint,
                                      harness.random_access_key_id(),
                                      self.account.secret_access_key)
        self.assertClientError(client.describe_organization, "UnrecognizedClientException")

    def test_account_unknown_key(self):
        client = harness.boto3_client("account", self.endpoint, harness.random_access_key_id(),
                                      self.account.secret_access_key)
        self.assertClientError(
            lambda: client.get_alternate_contact(AlternateContactType="SECURITY"),
            "UnrecognizedClientException")

    def test_account_wrong_secret(self):
        client = harness.boto3_client("account", self.endpoint, self.account.access_key_id,
                                      harness.random_secret())
        self.assertClientError(
            lambda: client.get_alternate_contact(AlternateContactType="SECURITY"),
            "InvalidSignatureException")

    def test_unknown_query_action(self):
        cases = [("iam", "Action=FrobnicateWidget&Version=2010-05-08",
                  "https://iam.amazonaws.com/doc/2010-05-08/"),
                 ("sts", "Action=FrobnicateWidget&Version=2011-06-15",
                  "https://sts.amazonaws.com/doc/2011-06-15/")]
        for service, body, namespace in cases:
            with self.subTest(service=service):
                status, headers, raw = harness.signed_request(self.endpoint, service, "us-east-1",
                                                              body, self.account)
                self.assertEqual(status, 400, raw)
                root = ElementTree.fromstring(raw)
                self.assertEqual(_local_name(root.tag), "ErrorResponse", raw)
                self.assertEqual(_xml_find(root, "Code"), "InvalidAction", raw)
                self.assertTrue(_xml_find(root, "Message"), raw)
                self.assertIn("xml", headers.get("content-type", ""))
                self.assertEqual(_xml_find(root, "RequestId"), headers.get("x-amzn-requestid"))


# --- d. Durability -------------------------------------------------------------------------------

class DurabilityTest(unittest.TestCase):
    """Each test owns a server and a data dir; accounts must survive SIGTERM and kill -9."""

    def setUp(self):
        self.server = harness.Server()
        self.addCleanup(self.server.cleanup)
        self.addCleanup(harness.close_clients)

    def assertWorks(self, account):
        client = harness.boto3_client("sts", self.server.endpoint, account.access_key_id,
                                      account.secret_access_key)
        identity = client.get_caller_identity()
        self.assertEqual(identity["Account"], account.account_id)
        self.assertEqual(identity["Arn"], "arn:aws:iam::%s:root" % account.account_id)

    def assertCleanStop(self):
        self.assertEqual(self.server.stop(), 0, self.server.output()[-4000:])
        self.assertEqual(self.server.find_leaks(), [])

    def test_sigterm_and_restart(self):
        self.server.start()
        token = self.server.admin_token()
        account = self.server.create_account()
        self.assertWorks(account)
        self.assertEqual(self.server.stop(), 0, self.server.output()[-4000:])
        self.server.start()
        self.assertWorks(account)
        self.assertEqual(self.server.admin_token(), token, "admin-token is kept across restarts")
        self.assertCleanStop()

    def test_account_created_without_a_server(self):
        account = self.server.create_account()
        self.server.start()
        self.assertWorks(account)
        self.assertCleanStop()

    def test_kill9_right_after_cli_create(self):
        self.server.start()
        account = self.server.create_account()
        self.server.kill()
        self.server.start()
        self.assertWorks(account)
        self.assertCleanStop()

    def test_kill9_right_after_admin_signup(self):
        self.server.start()
        account = self.server.admin_create_account()
        self.server.kill()
        self.server.start()
        self.assertWorks(account)
        later = self.server.admin_create_account()
        self.server.kill()
        self.server.start()
        self.assertWorks(account)
        self.assertWorks(later)
        self.assertCleanStop()


# --- e. Server behaviour -------------------------------------------------------------------------

class ServerBehaviourTest(ServerTestCase):

    def signed_headers(self, body=STS_GET_CALLER_IDENTITY, service="sts", **kwargs):
        return harness.sign(self.endpoint, service, "us-east-1", body.encode(),
                            self.account.access_key_id, self.account.secret_access_key,
                            **kwargs)

    def assertCommonHeaders(self, headers, what):
        headers = {k.lower(): v for k, v in headers.items()}
        request_id = headers.get("x-amzn-requestid", "")
        self.assertNotIn(",", request_id, "%s: x-amzn-RequestId sent more than once" % what)
        self.assertRegex(request_id, UUID, "%s: %r" % (what, headers))
        self.assertDateHeader(headers, what)

    def assertDateHeader(self, headers, what):
        headers = {k.lower(): v for k, v in headers.items()}
        self.assertIn("date", headers, what)
        sent = email.utils.parsedate_to_datetime(headers["date"])
        self.assertIsNotNone(sent.tzinfo, "%s: Date %r" % (what, headers["date"]))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - sent).total_seconds()), 120, "%s: Date %r" %
                        (what, headers["date"]))

    def test_ready_line_is_the_first_stdout_line(self):
        with open(self.server.stdout_path, "rb") as f:
            first = f.readline().rstrip(b"\n")
        self.assertEqual(first, ("fulcrum: listening on %s" % self.endpoint).encode())

    def test_health(self):
        status, headers, raw = harness.http_request(self.endpoint, "GET", "/_fulcrum/health")
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw), {"status": "ok"})
        self.assertDateHeader(headers, "health")

    def test_keep_alive(self):
        host, port = self.endpoint.split("://")[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        self.addCleanup(conn.close)
        body = STS_GET_CALLER_IDENTITY.encode()
        conn.request("POST", "/", body=body, headers=self.signed_headers())
        first = conn.getresponse()
        first_body = first.read()
        self.assertEqual(first.status, 200, first_body)
        self.assertNotEqual((first.getheader("Connection") or "").lower(), "close")
        sock = conn.sock
        self.assertIsNotNone(sock, "the server closed the connection after the first response")
        conn.request("POST", "/", body=body, headers=self.signed_headers())
        second = conn.getresponse()
        second_body = second.read()
        self.assertEqual(second.status, 200, second_body)
        self.assertIs(conn.sock, sock, "the second request reused the connection")
        self.assertIn(self.account.account_id.encode(), second_body)
        self.assertNotEqual(first.getheader("x-amzn-RequestId"),
                            second.getheader("x-amzn-RequestId"))

    def test_request_id_and_date_on_every_response(self):
        unknown = harness.random_access_key_id()
        org_target = {"X-Amz-Target": "AWSOrganizationsV20161128.DescribeOrganization"}
        cases = [
            ("sts success", "sts", STS_GET_CALLER_IDENTITY, {}, None, "/", 200),
            ("sts wrong secret", "sts", STS_GET_CALLER_IDENTITY, {}, harness.random_secret(),
             "/", 403),
            ("iam unknown action", "iam", "Action=Frobnicate&Version=2010-05-08", {}, None, "/",
             400),
            ("organizations unknown key", "organizations", "{}", org_target, "unknown-key", "/",
             None),
            ("account unknown key", "account", '{"AlternateContactType":"SECURITY"}', {},
             "unknown-key", "/getAlternateContact", None),
        ]
        for name, service, body, extra, secret_or_key, path, status in cases:
            with self.subTest(case=name):
                content_type = ("application/x-amz-json-1.1" if service == "organizations" else
                                "application/json" if service == "account" else
                                "application/x-www-form-urlencoded; charset=utf-8")
                key_id = self.account.access_key_id
                secret = self.account.secret_access_key
                if secret_or_key == "unknown-key":
                    key_id = unknown
                elif secret_or_key:
                    secret = secret_or_key
                headers = harness.sign(self.endpoint, service, "us-east-1", body.encode(),
                                       key_id, secret, content_type=content_type,
                                       extra_headers=extra, path=path)
                got_status, got_headers, raw = harness.http_request(
                    self.endpoint, "POST", path, body.encode(), headers)
                if status is not None:
                    self.assertEqual(got_status, status, raw)
                else:
                    self.assertGreaterEqual(got_status, 400, raw)
                self.assertCommonHeaders(got_headers, name)
        with self.subTest(case="unsigned"):
            got_status, got_headers, raw = harness.http_request(
                self.endpoint, "POST", "/", STS_GET_CALLER_IDENTITY.encode(),
                {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            self.assertEqual(got_status, 403, raw)
            self.assertCommonHeaders(got_headers, "unsigned")

    def test_absolute_form_request_target(self):
        body = STS_GET_CALLER_IDENTITY.encode()
        headers = self.signed_headers()
        headers["Content-Length"] = str(len(body))
        lines = ["POST %s/ HTTP/1.1" % self.endpoint]
        lines += ["%s: %s" % (k, v) for k, v in headers.items()]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(request)
            response = http.client.HTTPResponse(sock)
            response.begin()
            raw = response.read()
        self.assertEqual(response.status, 200, raw)
        root = ElementTree.fromstring(raw)
        self.assertEqual(_xml_find(root, "Account"), self.account.account_id)
        self.assertEqual(_xml_find(root, "Arn"), self.account.root_arn)

    def test_admin_sign_up(self):
        name = harness.unique_name("admin")
        email_address = "%s@example.com" % name
        body = {"name": name, "email": email_address, "root_access_key": True}
        url = "/_fulcrum/admin/accounts"

        status, headers, doc = self.server.admin_request("POST", url, body, use_token=False)
        self.assertEqual(status, 401, doc)
        status, headers, doc = self.server.admin_request("POST", url, body, token="not-it")
        self.assertEqual(status, 401, doc)

        status, headers, doc = self.server.admin_request("POST", url, body)
        self.assertEqual(status, 201, doc)
        account = harness.Account(doc)
        self.assertRegex(account.account_id, ACCOUNT_ID)
        self.assertEqual(doc["AccountName"], name)
        self.assertEqual(doc["Email"], email_address)
        self.assertEqual(doc["RootUserArn"], "arn:aws:iam::%s:root" % account.account_id)
        self.assertTrue(doc.get("RootPassword"), "a generated password is returned")
        self.assertRootIdentity(self.sts(account=account).get_caller_identity(), account)

        for case, duplicate in (
                ("email", {"name": harness.unique_name("admin"), "email": email_address}),
                ("name", {"name": name, "email": harness.unique_name() + "@example.com"})):
            with self.subTest(duplicate=case):
                status, headers, doc = self.server.admin_request("POST", url, duplicate)
                self.assertEqual(status, 409, doc)
                self.assertErrorDocument(doc)

        with self.subTest(case="bad email"):
            status, headers, doc = self.server.admin_request(
                "POST", url, {"name": harness.unique_name(), "email": "not-an-email"})
            self.assertEqual(status, 400, doc)
            self.assertErrorDocument(doc)

        with self.subTest(case="password given, no root key"):
            name = harness.unique_name("admin")
            status, headers, doc = self.server.admin_request(
                "POST", url, {"name": name, "email": name + "@example.com",
                              "password": "Adm1n-supplied-Pa55word!", "root_access_key": False})
            self.assertEqual(status, 201, doc)
            harness.remember_sensitive("Adm1n-supplied-Pa55word!")
            self.assertNotIn("RootPassword", doc)
            self.assertNotIn("RootAccessKey", doc)

    def assertErrorDocument(self, doc):
        self.assertIsInstance(doc, dict)
        self.assertIsInstance(doc.get("error"), dict, doc)
        self.assertTrue(doc["error"].get("code"), doc)
        self.assertTrue(doc["error"].get("message"), doc)

    def test_data_dir_file_modes(self):
        data_dir = self.server.data_dir
        for name in ("admin-token", "master.key"):
            with self.subTest(file=name):
                mode = stat.S_IMODE(os.stat(os.path.join(data_dir, name)).st_mode)
                self.assertEqual(mode, 0o600, oct(mode))
        self.assertTrue(self.server.admin_token())
        with self.subTest(what="data dir created by the server"):
            self.assertEqual(stat.S_IMODE(os.stat(data_dir).st_mode), 0o700)
        with self.subTest(what="no file open to group or others"):
            open_files = {}
            for name in os.listdir(data_dir):
                mode = stat.S_IMODE(os.stat(os.path.join(data_dir, name)).st_mode)
                if mode & 0o077:
                    open_files[name] = oct(mode)
            self.assertEqual(open_files, {})


class AccountCreateCliTest(ServerTestCase):
    """`fulcrum account create` refuses bad input with a non-zero exit and one clear line."""

    def create(self, name, email_address, **kwargs):
        return self.server.run_cli(self.server.account_create_args(name, email_address, **kwargs))

    def assertRefused(self, result, field):
        self.assertNotEqual(result.returncode, 0, result.stdout)
        message = result.stderr.strip()
        self.assertTrue(message, "no message on stderr")
        self.assertNotIn("\n", message, "one line: %r" % result.stderr)
        self.assertIn(field, message.lower())
        self.assertNotIn("AccountId", result.stdout)

    def test_refusals_change_nothing(self):
        existing = self.account
        later = []  # (name, email) pairs that must still be free afterwards
        bad_emails = ["not-an-email", "missing-at.example.com", "user@", "@example.com",
                      "two@@example.com", "spa ce@example.com", ""]
        for bad in bad_emails:
            with self.subTest(email=bad):
                name = harness.unique_name()
                self.assertRefused(self.create(name, bad), "email")
                later.append((name, name + "@example.com"))
        bad_names = ["", "a" * 51, "tab\tname", "new\nline"]
        for bad in bad_names:
            with self.subTest(name=bad):
                email_address = harness.unique_name() + "@example.com"
                self.assertRefused(self.create(bad, email_address), "name")
                later.append((harness.unique_name(), email_address))
        with self.subTest(duplicate="email"):
            name = harness.unique_name()
            self.assertRefused(self.create(name, existing.email), "email")
            later.append((name, name + "@example.com"))
        with self.subTest(duplicate="name"):
            email_address = harness.unique_name() + "@example.com"
            self.assertRefused(self.create(existing.name, email_address), "name")
            later.append((harness.unique_name(), email_address))

        # Nothing was reserved by the refused calls, and the existing account is intact.
        for name, email_address in later:
            with self.subTest(afterwards=(name, email_address)):
                account = self.server.create_account(name, email_address, root_access_key=False)
                self.assertEqual(account.name, name)
        self.assertRootIdentity(self.sts().get_caller_identity(), existing)

    def test_password_stdin_and_no_root_key(self):
        account = self.server.create_account(root_access_key=False,
                                             password="Read-from-Stdin-Pa55word!")
        self.assertRegex(account.account_id, ACCOUNT_ID)
        self.assertNotIn("RootPassword", account.doc)
        self.assertNotIn("RootAccessKey", account.doc)


# --- log hygiene ---------------------------------------------------------------------------------

class LogHygieneTest(unittest.TestCase):
    """After successful and failed calls from all three clients, the server printed no secret,
    root password or signature."""

    def test_no_secrets_in_server_output(self):
        server = harness.Server()
        self.addCleanup(server.cleanup)
        self.addCleanup(harness.close_clients)
        endpoint = server.start()
        account = server.create_account()
        stdin_password = "Another-Stdin-Pa55word!"
        server.create_account(password=stdin_password)
        admin_account = server.admin_create_account(password="Admin-Endpoint-Pa55word!")
        for who in (account, admin_account):
            self.assertTrue(who.secret_access_key)
        self.assertTrue(account.password)

        good = harness.run_aws_cli(endpoint, ["sts", "get-caller-identity"],
                                   account.access_key_id, account.secret_access_key)
        self.assertEqual(good.returncode, 0, good.stderr)
        bad = harness.run_aws_cli(endpoint, ["sts", "get-caller-identity"],
                                  account.access_key_id, harness.random_secret())
        self.assertEqual(bad.returncode, CLI_ERROR_EXIT_CODE, bad.stderr)
        client = harness.boto3_client("sts", endpoint, admin_account.access_key_id,
                                      admin_account.secret_access_key)
        client.get_caller_identity()
        results = harness.run_js(endpoint, [
            {"name": "ok", "accessKeyId": account.access_key_id,
             "secretAccessKey": account.secret_access_key},
            {"name": "bad", "accessKeyId": account.access_key_id,
             "secretAccessKey": harness.random_secret()},
        ])
        self.assertTrue(results[0]["ok"], results[0])
        self.assertFalse(results[1]["ok"], results[1])

        self.assertEqual(server.stop(), 0)
        output = server.output()
        self.assertIn("fulcrum: listening on", output)
        for label, value in (("root secret access key", account.secret_access_key),
                             ("admin-created secret access key", admin_account.secret_access_key),
                             ("generated root password", account.password),
                             ("root password from stdin", stdin_password),
                             ("admin endpoint password", "Admin-Endpoint-Pa55word!"),
                             ("admin token", server.admin_token())):
            with self.subTest(value=label):
                self.assertNotIn(value, output)
        self.assertEqual(server.find_leaks(), [], "signatures or secrets in the server output")


if __name__ == "__main__":
    unittest.main()
