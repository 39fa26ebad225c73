// Yoti in this process, built from the environment on first use and shared by every separately bundled route (one
// `remember`ed singleton each): the client, and in sandbox mode the emulator and its fault settings.
import "server-only";
import { forget, remember } from "@epic-web/remember";
import { getDb } from "@/db/client";
import { credentialObserver, type CredentialName } from "@/lib/credentials/usage";
import { getEnv, type Env } from "@/lib/env";
import { loadSandboxSecrets } from "@/lib/sandbox/secrets";
import { createYotiClient, type YotiClient } from "./client";
import type { FaultStore } from "@/lib/sandbox/faults";
import { createYotiFaults, type YotiFaults } from "./emulator/faults";
import { createYotiEmulator } from "./emulator/handler";
import { centralAuthTokenSource, rotatingTokenSource, staticTokenSource, type KeyObserver, type NamedTokenSource, type TokenSource } from "./token";


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
  const clients = remember("yoti.clients", () => new Map<string, YotiClient>());
  const key = `${env.yoti.apiUrl}|${env.yoti.sdkId}`;
  let client = clients.get(key);
  if (!client) {
    const observe = credentialObserver(getDb());
    clients.set(key, (client = buildYotiClient(env, (name, outcome, refusal) => observe(name as CredentialName, outcome, refusal))));
  }
  return client;
}

/** The emulator's handler in sandbox mode, holding the emulator's own notification signing key. */
export function getYotiEmulator(): (request: Request) => Promise<Response> {
  return remember("yoti.emulator", () => {
    const secrets = loadSandboxSecrets(getEnv().dataDir);
    return createYotiEmulator({
      db: getDb(),
      sdkId: secrets.yoti.sdkId,
      apiKey: secrets.yoti.apiKey,
      notificationPrivateKeyPem: secrets.yoti.notificationPrivateKeyPem,
      faults: getYotiFaults(),
    });
  });
}

/** The Yoti emulator's fault settings (SANDBOX_YOTI_FAULTS, changed and reset at /sandbox/yoti). */
export function getYotiFaults(): FaultStore<YotiFaults> {
  return remember("yoti.faults", () => createYotiFaults(getEnv().sandbox.yotiFaults));
}

/** Forgets the fault settings (tests that change the environment between cases). */
export function resetYotiFaults(): void {
  forget("yoti.faults");
}

/** At server start in sandbox mode: build the emulator, so notifications owed before a restart are sent again. */
export function startYotiEmulatorIfSandbox(): void {
  if (getEnv().mode === "sandbox") getYotiEmulator();
}
