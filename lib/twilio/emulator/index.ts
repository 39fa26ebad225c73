// The app's one Twilio emulator (sandbox mode), built from env on first use and kept on globalThis so every
// separately bundled route shares its timer and rate limiter; creating it resumes work left by a previous process.
import "server-only";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { INBOUND_PATH } from "../webhook";
import { createTwilioEmulator, type TwilioEmulator } from "./emulator";

/** Kept for callers written before the webhook paths moved to lib/twilio/webhook.ts. */
export { INBOUND_PATH };

const holder = globalThis as unknown as { __seTwilioEmulator?: { key: string; emulator: TwilioEmulator } };

export function getTwilioEmulator(): TwilioEmulator {
  const env = getEnv();
  if (env.mode !== "sandbox") throw new Error("The Twilio emulator exists only in sandbox mode");
  const key = `${env.databasePath}|${env.twilio.accountSid}`;
  if (holder.__seTwilioEmulator?.key === key) return holder.__seTwilioEmulator.emulator;
  holder.__seTwilioEmulator?.emulator.stop();
  const emulator = createTwilioEmulator({
    db: getDb(),
    accountSid: env.twilio.accountSid,
    authToken: env.twilio.authToken,
    phoneNumbers: [env.twilio.phoneNumber ?? "+15005550006"],
    mps: env.twilio.mps,
    maxQueueWaitMs: env.sandbox.twilioMaxQueueMs,
    maxConcurrentRequests: env.sandbox.twilioMaxConcurrentRequests,
    // Kept across a re-creation (same process), so a tester's settings survive a configuration reload.
    faults: holder.__seTwilioEmulator?.emulator.context.faults ?? env.sandbox.twilioFaults,
    inboundUrl: `${env.appUrl}${INBOUND_PATH}`,
    // Twilio calls the public URL; the app reaches itself on loopback, like a request arriving through a proxy.
    transportUrl: (url) => (url.startsWith(`${env.appUrl}/`) ? `${env.internalUrl}${url.slice(env.appUrl.length)}` : url),
  });
  holder.__seTwilioEmulator = { key, emulator };
  emulator.resume();
  return emulator;
}

/** For a start-up hook (instrumentation.ts): in sandbox mode, resume pending message steps without waiting for a request. */
export function startTwilioEmulatorIfSandbox(): void {
  if (getEnv().mode === "sandbox") getTwilioEmulator();
}
