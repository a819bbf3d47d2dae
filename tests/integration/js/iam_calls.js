// Makes IAM and STS calls with the AWS SDK for JavaScript v3 and prints a JSON array of results.
// Input (stdin): {"endpoint": URL, "calls": [call, ...]} where a call is {"name", "accessKeyId",
// "secretAccessKey", "service": "iam"|"sts", "command": "CreateUser", "input": {...}}.
// A result is {"name", "ok": true, "output": {...}} or
// {"name", "ok": false, "error": {name, code, message, status}}. One attempt per call.
"use strict";

const CLIENTS = {
  iam: require("@aws-sdk/client-iam"),
  sts: require("@aws-sdk/client-sts"),
};
const CONSTRUCTORS = { iam: "IAMClient", sts: "STSClient" };

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

async function runCall(endpoint, call) {
  const module = CLIENTS[call.service];
  const Command = module[call.command + "Command"];
  if (!Command) throw new Error("no command " + call.service + ":" + call.command);
  const client = new module[CONSTRUCTORS[call.service]]({
    endpoint,
    credentials: { accessKeyId: call.accessKeyId, secretAccessKey: call.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    const output = await client.send(new Command(call.input || {}));
    delete output.$metadata;
    return { name: call.name, ok: true, output };
  } catch (e) {
    if (!e.$metadata) throw e;
    return {
      name: call.name,
      ok: false,
      error: { name: e.name, code: e.Code || e.name, message: e.message,
               status: e.$metadata.httpStatusCode },
    };
  } finally {
    client.destroy();
  }
}

async function main() {
  const spec = JSON.parse(await readStdin());
  const results = [];
  for (const call of spec.calls) results.push(await runCall(spec.endpoint, call));
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
