// Calls STS GetCallerIdentity with the AWS SDK for JavaScript v3 once per case and prints a JSON
// array of results on stdout. Input (stdin): {"endpoint": URL, "cases": [case, ...]} where a case
// is {"name", "accessKeyId", "secretAccessKey", "sessionToken"?, "region"?, "tamperBody"?,
// "dropAuthorization"?}. Without "region" the SDK takes AWS_REGION from the environment.
//
// A result is {"name", "ok": true, "output": {Account, Arn, UserId}, "signatures": [...]} or
// {"name", "ok": false, "error": {name, code, message, status, fault}, "signatures": [...]}.
// Every client makes exactly one attempt (maxAttempts: 1), so a signature error is not retried
// after the SDK corrects its clock from the Date header.
"use strict";

const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");

const SIGNATURE = /Signature=([0-9a-f]{64})/g;

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

// Runs in the deserialize step, i.e. after the signing middleware of finalizeRequest and just
// before the request is sent.
function afterSigning(testCase, signatures) {
  return (next) => async (args) => {
    const headers = args.request.headers;
    const authorization = headers.authorization || headers.Authorization;
    if (authorization) {
      for (const m of authorization.matchAll(SIGNATURE)) signatures.push(m[1]);
    }
    if (testCase.tamperBody) {
      const body = String(args.request.body);
      const reordered = body.split("&").reverse().join("&");
      if (reordered === body) throw new Error("cannot reorder body " + body);
      args.request.body = reordered;
    }
    if (testCase.dropAuthorization) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === "authorization") delete headers[name];
      }
    }
    return next(args);
  };
}

async function runCase(endpoint, testCase) {
  const signatures = [];
  const credentials = {
    accessKeyId: testCase.accessKeyId,
    secretAccessKey: testCase.secretAccessKey,
  };
  if (testCase.sessionToken) credentials.sessionToken = testCase.sessionToken;
  const config = { endpoint, credentials, maxAttempts: 1 };
  if (testCase.region) config.region = testCase.region;
  const client = new STSClient(config);
  client.middlewareStack.add(afterSigning(testCase, signatures), {
    step: "deserialize",
    priority: "low",
    name: "fulcrumTestAfterSigning",
  });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}));
    return {
      name: testCase.name,
      ok: true,
      output: { Account: out.Account, Arn: out.Arn, UserId: out.UserId },
      requestId: out.$metadata.requestId,
      signatures,
    };
  } catch (e) {
    return {
      name: testCase.name,
      ok: false,
      error: {
        name: e.name,
        code: e.Code,
        message: e.message,
        status: e.$metadata ? e.$metadata.httpStatusCode : undefined,
        fault: e.$fault,
      },
      signatures,
    };
  } finally {
    client.destroy();
  }
}

async function main() {
  const spec = JSON.parse(await readStdin());
  const results = [];
  for (const testCase of spec.cases) results.push(await runCase(spec.endpoint, testCase));
  process.stdout.write(JSON.stringify(results) + "\n");
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
