// Test helpers: an emulator served over real HTTP with the real client pointed at it, and a local receiver that
// records (and checks the signature of) every webhook the emulator POSTs.
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { serve } from "@/lib/http/serve";
import { createTwilio, type TwilioConfig } from "@/lib/twilio/client";
import { createTwilioEmulator, type EmulatorOptions } from "@/lib/twilio/emulator/emulator";
import { isValidTwilioSignature } from "@/lib/twilio/webhook";

export type Received = { path: string; params: Record<string, string>; signatureValid: boolean; at: number };

/** A local HTTP server standing in for the app's webhook routes; `answer` decides the reply (default: 200 empty TwiML). */
export async function webhookReceiver(authToken: string, answer?: (r: Received) => Response | Promise<Response>) {
  const received: Received[] = [];
  const server = await serve(async (request) => {
    const params = Object.fromEntries(new URLSearchParams(await request.text()));
    const url = new URL(request.url);
    const signatureValid = isValidTwilioSignature(authToken, request.headers.get("x-twilio-signature"), request.url, params);
    const r = { path: url.pathname, params, signatureValid, at: Date.now() };
    received.push(r);
    return answer ? answer(r) : new Response("<Response/>", { headers: { "content-type": "text/xml" } });
  });
  /** Resolves once `predicate` holds for what was received (polling; fails after `timeoutMs`). */
  const waitFor = async (predicate: (all: Received[]) => boolean, timeoutMs = 5000) => {
    const end = Date.now() + timeoutMs;
    while (!predicate(received)) {
      if (Date.now() > end) throw new Error(`timed out; received: ${JSON.stringify(received.map((r) => r.params.MessageStatus ?? r.params.Body))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { url: server.url, received, waitFor, close: server.close };
}

export const newAccountSid = () => `AC${randomBytes(16).toString("hex")}`;

/** An emulator on 127.0.0.1 plus a real client configured against it (sandbox-style config). */
export async function servedEmulator(db: Db, options: Partial<EmulatorOptions> = {}) {
  const accountSid = options.accountSid ?? newAccountSid();
  const authToken = options.authToken ?? randomBytes(16).toString("hex");
  const emulator = createTwilioEmulator({
    db,
    accountSid,
    authToken,
    phoneNumbers: ["+15005550006"],
    mps: 100,
    delays: { acceptedMs: 20, queuedMs: 30, sentMs: 40 },
    ...options,
  });
  const server = await serve(emulator.handle);
  const config: TwilioConfig = {
    accountSid,
    authToken,
    phoneNumber: emulator.context.phoneNumbers[0],
    messagingServiceSid: options.messagingServiceSid,
    emulatorUrl: server.url,
    mps: emulator.context.mps,
    defaultCountry: "GB",
    allowedCountries: [],
  };
  return {
    emulator,
    config,
    url: server.url,
    client: (override: Partial<TwilioConfig> = {}, options: Parameters<typeof createTwilio>[1] = {}) => createTwilio({ ...config, ...override }, options),
    close: async () => {
      emulator.stop();
      await server.close();
    },
  };
}
