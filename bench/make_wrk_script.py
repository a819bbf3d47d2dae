#!/usr/bin/python3
"""Writes a wrk Lua script that sends one pre-signed STS GetCallerIdentity request.

Usage: make_wrk_script.py ENDPOINT ACCESS_KEY_ID SECRET_ACCESS_KEY REGION OUT.lua

The request is signed once, in header mode, with Debian botocore's SigV4 signer (the same one
boto3 uses without awscrt). Its X-Amz-Date is now, so the server accepts it for 15 minutes; wrk
repeats the exact method, headers and body. Also prints the signed request as JSON on stdout so
the caller can check it once before the load run.
"""

import json
import sys

import botocore.auth
import botocore.awsrequest
import botocore.credentials

BODY = "Action=GetCallerIdentity&Version=2011-06-15"


def lua_string(value):
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


def main(argv):
    if len(argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    endpoint, key_id, secret, region, out_path = argv[1:]
    endpoint = endpoint.rstrip("/")
    host = endpoint.split("://", 1)[1]
    request = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=BODY.encode())
    request.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    request.headers["Host"] = host
    credentials = botocore.credentials.Credentials(key_id, secret)
    botocore.auth.SigV4Auth(credentials, "sts", region).add_auth(request)
    headers = {name: value.decode() if isinstance(value, bytes) else value
               for name, value in request.headers.items()}
    lines = ['wrk.method = "POST"', "wrk.body = %s" % lua_string(BODY)]
    for name, value in headers.items():
        lines.append("wrk.headers[%s] = %s" % (lua_string(name), lua_string(value)))
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    json.dump({"method": "POST", "path": "/", "headers": headers, "body": BODY}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
