// Twilio Verify v2 through the official SDK (live: verify.twilio.com; sandbox: the emulator through the same custom
// HTTP client): start a verification (Twilio texts its own code), check a code, cancel, and fetch the service (doctor).
// Failures become TwilioErrors whose words come from lib/twilio/errors.ts (Verify's 602xx codes included).
import "server-only";
import type { TwilioConfig } from "./client";
import { toTwilioError } from "./errors";

/** What our code needs of a verification: its sid, status and how many codes were sent in it. */
export type Verification = { sid: string; status: string; sends: number };

export type TwilioVerify = {
  serviceSid: string;
  /** Texts a code to `to` (E.164); within 10 minutes of the first, Twilio resends the same code in the same verification. */
  start(to: string): Promise<Verification>;
  /** "approved" when the code is right; "pending" when wrong; "max_attempts_reached" after the last allowed try. */
  check(input: { to: string; code: string }): Promise<{ sid: string; status: string }>;
  cancel(sid: string): Promise<void>;
  /** The service's name and code length (doctor). */
  service(): Promise<{ friendlyName: string; codeLength: number }>;
};

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toTwilioError(error);
  }
}

export function createTwilioVerify(config: TwilioConfig & { verifyServiceSid: string }): TwilioVerify {
  // The SDK (about 20 MB with its dependencies) is loaded by the first Verify call, not when a module that may send
  // a code is imported (decision 031).
  let sdk: Promise<ReturnType<typeof import("./client").createTwilioSdk>> | undefined;
  const service = async () => {
    sdk ??= import("./client").then(({ createTwilioSdk }) => createTwilioSdk(config));
    return (await sdk).verify.v2.services(config.verifyServiceSid);
  };
  return {
    serviceSid: config.verifyServiceSid,
    start: (to) =>
      call(async () => {
        const v = await (await service()).verifications.create({ to, channel: "sms" });
        return { sid: v.sid, status: v.status, sends: Array.isArray(v.sendCodeAttempts) ? v.sendCodeAttempts.length : 1 };
      }),
    check: ({ to, code }) =>
      call(async () => {
        const c = await (await service()).verificationChecks.create({ to, code });
        return { sid: c.sid, status: c.status };
      }),
    cancel: (sid) =>
      call(async () => {
        await (await service()).verifications(sid).update({ status: "canceled" });
      }),
    service: () =>
      call(async () => {
        const s = await (await service()).fetch();
        return { friendlyName: s.friendlyName, codeLength: s.codeLength };
      }),
  };
}
