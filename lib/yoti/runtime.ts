// The app's Yoti client and emulator built from the environment once per process (on globalThis: routes are bundled apart).
import "server-only";
import { getDb } from "@/db/client";
import { getEnv, type Env } from "@/lib/env";
import { loadSandboxSecrets } from "@/lib/sandbox/secrets";
import { createYotiClient, type YotiClient } from "./client";
import type { FaultStore } from "@/lib/sandbox/faults";
import { createYotiFaults, type YotiFaults } from "./emulator/faults";
import { createYotiEmulator } from "./emulator/handler";
import { centralAuthTokenSource, staticTokenSource, type TokenSource } from "./token";

const holder = globalThis as unknown as {
  __seYoti?: { key: string; client: YotiClient };
  __seYotiEmulator?: (r: Request) => Promise<Response>;
  __seYotiFaults?: FaultStore<YotiFaults>;
};

export function tokenSourceFor(yoti: Env["yoti"]): TokenSource {
  // Central Auth when a private key is configured (Yoti's sandbox and newer Hub services), else the static API key.
  if (yoti.privateKeyPem) return centralAuthTokenSource({ sdkId: yoti.sdkId, privateKeyPem: yoti.privateKeyPem, authUrl: yoti.authUrl });
  if (yoti.apiKey) return staticTokenSource(yoti.apiKey);
  throw new Error("Yoti has neither an API key nor a private key configured");
}

export function buildYotiClient(env: Env): YotiClient {
  return createYotiClient({ apiUrl: env.yoti.apiUrl, sdkId: env.yoti.sdkId, tokens: tokenSourceFor(env.yoti) });
}

export function getYotiClient(): YotiClient {
  const env = getEnv();
  const key = `${env.yoti.apiUrl}|${env.yoti.sdkId}`;
  if (holder.__seYoti?.key !== key) holder.__seYoti = { key, client: buildYotiClient(env) };
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
