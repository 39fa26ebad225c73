// The app's Yoti client and emulator built from the environment once per process (on globalThis: routes are bundled apart).
import "server-only";
import { getDb } from "@/db/client";
import { credentialObserver, type CredentialName } from "@/lib/credentials/usage";
import { getEnv, type Env } from "@/lib/env";
import { loadSandboxSecrets } from "@/lib/sandbox/secrets";
import { createYotiClient, type YotiClient } from "./client";
import type { FaultStore } from "@/lib/sandbox/faults";
import { createYotiFaults, type YotiFaults } from "./emulator/faults";
import { createYotiEmulator } from "./emulator/handler";
import { centralAuthTokenSource, rotatingTokenSource, staticTokenSource, type KeyObserver, type NamedTokenSource, type TokenSource } from "./token";

const holder = globalThis as unknown as {
  __seYoti?: { key: string; client: YotiClient };
  __seYotiEmulator?: (r: Request) => Promise<Response>;
  __seYotiFaults?: FaultStore<YotiFaults>;
};

function keySource(yoti: Env["yoti"], key: { apiKey?: string; privateKeyPem?: string }, suffix: string): NamedTokenSource | null {
  // Central Auth when a private key is configured (Yoti's sandbox and newer Hub services), else the static API key.
  if (key.privateKeyPem) return { name: `YOTI_PRIVATE_KEY${suffix}`, source: centralAuthTokenSource({ sdkId: yoti.sdkId, privateKeyPem: key.privateKeyPem, authUrl: yoti.authUrl }) };
  if (key.apiKey) return { name: `YOTI_API_KEY${suffix}`, source: staticTokenSource(key.apiKey) };
  return null;
}

/** The configured Yoti keys in the order they are tried: the primary, then the second key of a rotation. */
export function yotiKeys(yoti: Env["yoti"]): NamedTokenSource[] {
  const primary = keySource(yoti, yoti, "");
  if (!primary) throw new Error("Yoti has neither an API key nor a private key configured");
  const secondary = yoti.secondary ? keySource(yoti, yoti.secondary, "_SECONDARY") : null;
  return secondary ? [primary, secondary] : [primary];
}

export function tokenSourceFor(yoti: Env["yoti"], observe?: KeyObserver): TokenSource {
  return rotatingTokenSource(yotiKeys(yoti), observe);
}

export function buildYotiClient(env: Env, observe?: KeyObserver): YotiClient {
  return createYotiClient({ apiUrl: env.yoti.apiUrl, sdkId: env.yoti.sdkId, tokens: tokenSourceFor(env.yoti, observe) });
}

export function getYotiClient(): YotiClient {
  const env = getEnv();
  const key = `${env.yoti.apiUrl}|${env.yoti.sdkId}`;
  if (holder.__seYoti?.key !== key) {
    const observe = credentialObserver(getDb());
    holder.__seYoti = { key, client: buildYotiClient(env, (name, outcome, refusal) => observe(name as CredentialName, outcome, refusal)) };
  }
  return holder.__seYoti.client;
}

/** The emulator's handler in sandbox mode, holding the emulator's own notification signing key. */
export function getYotiEmulator(): (request: Request) => Promise<Response> {
  if (!holder.__seYotiEmulator) {
    const env = getEnv();
    const secrets = loadSandboxSecrets(env.dataDir);
    holder.__seYotiEmulator = createYotiEmulator({
      db: getDb(),
      sdkId: secrets.yoti.sdkId,
      apiKey: secrets.yoti.apiKey,
      notificationPrivateKeyPem: secrets.yoti.notificationPrivateKeyPem,
      faults: getYotiFaults(),
    });
  }
  return holder.__seYotiEmulator;
}

/** The Yoti emulator's fault settings (SANDBOX_YOTI_FAULTS, changed and reset at /sandbox/yoti). */
export function getYotiFaults(): FaultStore<YotiFaults> {
  holder.__seYotiFaults ??= createYotiFaults(getEnv().sandbox.yotiFaults);
  return holder.__seYotiFaults;
}

/** At server start in sandbox mode: build the emulator, so notifications owed before a restart are sent again. */
export function startYotiEmulatorIfSandbox(): void {
  if (getEnv().mode === "sandbox") getYotiEmulator();
}
