// Sandbox-only secrets and key pairs, generated once per data directory so sessions and emulator state survive restarts.
import "server-only";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type SandboxSecrets = {
  version: 1;
  authSecret: string;
  yoti: { sdkId: string; apiKey: string; notificationPrivateKeyPem: string; notificationPublicKeyPem: string };
  twilio: { accountSid: string; authToken: string; phoneNumber: string };
  demo: { memberEmail: string; memberPassword: string; adminEmail: string; adminPassword: string };
};

const FILE = "sandbox-secrets.json";

function generate(): SandboxSecrets {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const word = () => randomBytes(9).toString("base64url");
  return {
    version: 1,
    authSecret: randomBytes(32).toString("base64url"),
    yoti: {
      sdkId: randomUUID(),
      apiKey: randomBytes(24).toString("base64url"),
      notificationPrivateKeyPem: privateKey,
      notificationPublicKeyPem: publicKey,
    },
    twilio: {
      accountSid: `AC${randomBytes(16).toString("hex")}`,
      authToken: randomBytes(16).toString("hex"),
      // Twilio's documented test "From" number that passes all validation.
      phoneNumber: "+15005550006",
    },
    demo: {
      memberEmail: "demo@example.com",
      memberPassword: `sandbox-${word()}`,
      adminEmail: "admin@example.com",
      adminPassword: `sandbox-${word()}`,
    },
  };
}

/** Reads `<dataDir>/sandbox-secrets.json`, creating it (mode 0600) on first use; safe when two processes race. */
export function loadSandboxSecrets(dataDir: string): SandboxSecrets {
  const file = path.join(dataDir, FILE);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as SandboxSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // The data folder holds the database and these secrets: nobody else on the machine needs to list it.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(generate(), null, 2), { mode: 0o600 });
  try {
    // link() fails if another process created the file first: then theirs wins and everyone reads the same secrets.
    fs.linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as SandboxSecrets;
}
