// Twilio in this process, built from the environment on first use and shared by every separately bundled route (one
// `remember`ed singleton each): the client the outbox sends with, Verify's when configured, and in sandbox mode the
// emulator they talk to.
import "server-only";
import { remember } from "@epic-web/remember";
import { getDb } from "@/db/client";
import { credentialObserver } from "@/lib/credentials/usage";
import { getEnv } from "@/lib/env";
import { TWILIO_INBOUND_PATH } from "@/lib/http/webhook-paths";
import type { TwilioClient, TwilioConfig } from "./client";
import { createTwilioEmulator, type TwilioEmulator } from "./emulator/emulator";
import { createTwilioVerify, type TwilioVerify } from "./verify";

/**
 * The process-wide client for the current configuration (a new one when the configuration object changes). The SDK
 * (about 20 MB with its dependencies) is loaded by the first call, when the first SMS goes out, not at start (031).
 */
export async function getTwilio(): Promise<TwilioClient> {
  const { createTwilio } = await import("./client");
  const clients = remember("twilio.clients", () => new WeakMap<TwilioConfig, TwilioClient>());
  const config = getEnv().twilio;
  let client = clients.get(config);
  // Which REST credential Twilio accepts is recorded for the console (the rotation's "which one is in use").
  if (!client) clients.set(config, (client = createTwilio(config, { observe: credentialObserver(getDb()) })));
  return client;
}

/** Twilio Verify for the current configuration, or null when TWILIO_VERIFY_SERVICE_SID is not set (our own codes then). */
export function getTwilioVerify(): TwilioVerify | null {
  const config = getEnv().twilio;
  if (!config.verifyServiceSid) return null;
  const clients = remember("twilio.verify", () => new WeakMap<TwilioConfig, TwilioVerify>());
  let client = clients.get(config);
  if (!client) clients.set(config, (client = createTwilioVerify({ ...config, verifyServiceSid: config.verifyServiceSid })));
  return client;
}

/** The emulator of this database and account: one per process, so every route shares its timer and rate limiter. */
const emulatorSlot = () => remember("twilio.emulator", () => ({}) as { key?: string; emulator?: TwilioEmulator });

/** The app's one Twilio emulator (sandbox mode only); creating it resumes work left by a previous process. */
export function getTwilioEmulator(): TwilioEmulator {
  const env = getEnv();
  if (env.mode !== "sandbox") throw new Error("The Twilio emulator exists only in sandbox mode");
  const slot = emulatorSlot();
  const key = `${env.databasePath}|${env.twilio.accountSid}|${env.twilio.verifyServiceSid ?? ""}`;
  if (slot.key === key && slot.emulator) return slot.emulator;
  slot.emulator?.stop();
  const emulator = createTwilioEmulator({
    db: getDb(),
    accountSid: env.twilio.accountSid,
    authToken: env.twilio.authToken,
    phoneNumbers: [env.twilio.phoneNumber ?? "+15005550006"],
    mps: env.twilio.mps,
    verify: env.twilio.verifyServiceSid ? { serviceSid: env.twilio.verifyServiceSid, friendlyName: "Select Exposure" } : undefined,
    maxQueueWaitMs: env.sandbox.twilioMaxQueueMs,
    maxConcurrentRequests: env.sandbox.twilioMaxConcurrentRequests,
    // Kept across a re-creation (same process), so a tester's settings survive a configuration reload.
    faults: slot.emulator?.context.faults ?? env.sandbox.twilioFaults,
    inboundUrl: `${env.appUrl}${TWILIO_INBOUND_PATH}`,
    // Twilio calls the public URL; the app reaches itself on loopback, like a request arriving through a proxy.
    transportUrl: (url) => (url.startsWith(`${env.appUrl}/`) ? `${env.internalUrl}${url.slice(env.appUrl.length)}` : url),
  });
  Object.assign(slot, { key, emulator });
  emulator.resume();
  return emulator;
}

/** Stops and forgets the emulator (tests that change the environment between cases). */
export function resetTwilioEmulator(): void {
  const slot = emulatorSlot();
  slot.emulator?.stop();
  delete slot.emulator;
  delete slot.key;
}

/** For a start-up hook (instrumentation.ts): in sandbox mode, resume pending message steps without waiting for a request. */
export function startTwilioEmulatorIfSandbox(): void {
  if (getEnv().mode === "sandbox") getTwilioEmulator();
}
