// The seed page's IAM flow with the AWS SDK for JavaScript v3, against a Fulcrum endpoint.
// Reads {endpoint, accessKeyId, secretAccessKey} (root keys) as JSON on stdin and prints a JSON
// report of what it saw. Exits non-zero on any unexpected error.
"use strict";

const { createHash, createHmac } = require("crypto");
const {
  IAMClient, CreateUserCommand, AttachUserPolicyCommand, CreateAccessKeyCommand,
  ListAttachedUserPoliciesCommand, ListGroupsForUserCommand, GetLoginProfileCommand,
  CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, ListMFADevicesCommand,
} = require("@aws-sdk/client-iam");
const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

// RFC 6238 TOTP (SHA-1, 30 s, 6 digits) of a base32 seed, as an authenticator app computes it.
function totp(seed, epochSeconds) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of seed.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(epochSeconds / 30)));
  const mac = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return value.toString().padStart(6, "0");
}

async function main() {
  const spec = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const root = { accessKeyId: spec.accessKeyId, secretAccessKey: spec.secretAccessKey };
  const iam = new IAMClient({ endpoint: spec.endpoint, credentials: root, maxAttempts: 1 });
  const report = {};

  await iam.send(new CreateUserCommand({ UserName: "mgmt-org-admin" }));
  await iam.send(new AttachUserPolicyCommand({ UserName: "mgmt-org-admin", PolicyArn: ADMIN }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: "mgmt-org-admin" }))).AccessKey;
  report.secret = key.SecretAccessKey;
  const admin = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };

  const sts = new STSClient({ endpoint: spec.endpoint, credentials: admin, maxAttempts: 1 });
  report.callerArn = (await sts.send(new GetCallerIdentityCommand({}))).Arn;

  const asAdmin = new IAMClient({ endpoint: spec.endpoint, credentials: admin, maxAttempts: 1 });
  const attached = await asAdmin.send(new ListAttachedUserPoliciesCommand({ UserName: "mgmt-org-admin" }));
  report.attached = attached.AttachedPolicies.map((p) => p.PolicyArn);
  const groups = await asAdmin.send(new ListGroupsForUserCommand({ UserName: "mgmt-org-admin" }));
  report.groups = groups.Groups;
  try {
    await asAdmin.send(new GetLoginProfileCommand({ UserName: "mgmt-org-admin" }));
    report.loginProfileError = null;
  } catch (e) {
    report.loginProfileError = e.name;
  }

  const device = (await asAdmin.send(
    new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "mgmt-org-admin-js" }))).VirtualMFADevice;
  const seed = Buffer.from(device.Base32StringSeed).toString("ascii");
  report.seed = seed;
  let now = Math.floor(Date.now() / 1000);
  if (now % 30 > 27) {
    await new Promise((r) => setTimeout(r, 4000));
    now = Math.floor(Date.now() / 1000);
  }
  await asAdmin.send(new EnableMFADeviceCommand({
    UserName: "mgmt-org-admin", SerialNumber: device.SerialNumber,
    AuthenticationCode1: totp(seed, now - 30), AuthenticationCode2: totp(seed, now),
  }));
  const devices = await asAdmin.send(new ListMFADevicesCommand({ UserName: "mgmt-org-admin" }));
  report.mfaDevices = devices.MFADevices.length;
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => {
  process.stderr.write(`${e.name}: ${e.message}\n`);
  process.exit(1);
});
