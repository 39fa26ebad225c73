// The Twilio client: the official SDK built from a configuration (live: api.twilio.com; sandbox: the local emulator
// through the SDK's custom httpClient), with every failure turned into a TwilioError that says what to do.
import "server-only";
import twilio from "twilio";
import type { MessageInstance } from "twilio/lib/rest/api/v2010/account/message";
import type { Env } from "@/lib/env";
import { toTwilioError } from "./errors";
import { TwilioRequestClient, withDeadline } from "./http-client";
import { MAX_CONCURRENT_REQUESTS } from "./limits";

export type TwilioConfig = Env["twilio"];

export type SentMessage = { sid: string; status: string; to: string; errorCode: number | null; numSegments: number };
export type ListedMessage = SentMessage & { body: string; dateCreated: Date };

/**
 * How long a send can still create a message. Our request is abandoned `requestTimeoutMs` after it starts at the
 * latest (or at its deadline); Twilio may still act on a request it received until `providerGraceMs` after that.
 * Twilio documents no such bound: 45 s is our assumption for it (decision 017); the sandbox emulator acts on every
 * request as it arrives, so 2 s covers a busy event loop there.
 */
export type TwilioTiming = { requestTimeoutMs: number; providerGraceMs: number };

export const LIVE_TIMING: TwilioTiming = { requestTimeoutMs: 15_000, providerGraceMs: 45_000 };
export const SANDBOX_TIMING: TwilioTiming = { requestTimeoutMs: 5_000, providerGraceMs: 2_000 };

export type TwilioClient = {
  /**
   * Sends one SMS from the configured sender (messaging service first, else the phone number). With a `deadline`
   * (epoch ms) the request is never started after it and is abandoned at it.
   */
  sendSms(input: { to: string; body: string; statusCallback: string; deadline?: number }): Promise<SentMessage>;
  fetchMessage(sid: string): Promise<SentMessage>;
  /**
   * For the outbox's "outcome unknown" check: messages to `to` created since `since` (so nothing is sent twice),
   * newest first. Twilio dates have one-second resolution, so this may include messages up to a second older.
   */
  listMessages(input: { to: string; since: Date }): Promise<ListedMessage[]>;
  timing: TwilioTiming;
  /** The underlying SDK client (doctor checks use it for account and number look-ups). */
  sdk: twilio.Twilio;
};

const LIST_PAGE_SIZE = 50;
const LIST_MAX_PAGES = 20;

/** The SDK client for a configuration: API key auth when one is set (rotation-friendly), else account SID + token. */
export function createTwilioSdk(config: TwilioConfig, options: { timeoutMs?: number } = {}): twilio.Twilio {
  const timeout = options.timeoutMs ?? (config.emulatorUrl ? SANDBOX_TIMING : LIVE_TIMING).requestTimeoutMs;
  const httpClient = new TwilioRequestClient({ timeout, maxSockets: MAX_CONCURRENT_REQUESTS, emulatorUrl: config.emulatorUrl });
  const opts = { accountSid: config.accountSid, httpClient, timeout, autoRetry: false };
  return config.apiKeySid && config.apiKeySecret ? twilio(config.apiKeySid, config.apiKeySecret, opts) : twilio(config.accountSid, config.authToken, opts);
}

function toSent(m: MessageInstance): SentMessage {
  return {
    sid: m.sid,
    status: m.status,
    to: m.to,
    errorCode: m.errorCode === null || m.errorCode === undefined ? null : Number(m.errorCode),
    numSegments: Number(m.numSegments) || 0,
  };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toTwilioError(error);
  }
}

export function createTwilio(config: TwilioConfig, options: { timeoutMs?: number; providerGraceMs?: number } = {}): TwilioClient {
  const base = config.emulatorUrl ? SANDBOX_TIMING : LIVE_TIMING;
  const timing = { requestTimeoutMs: options.timeoutMs ?? base.requestTimeoutMs, providerGraceMs: options.providerGraceMs ?? base.providerGraceMs };
  const sdk = createTwilioSdk(config, { timeoutMs: timing.requestTimeoutMs });
  const sender = config.messagingServiceSid ? { messagingServiceSid: config.messagingServiceSid } : { from: config.phoneNumber };
  return {
    sdk,
    timing,
    sendSms: ({ to, body, statusCallback, deadline }) => call(() => withDeadline(deadline, async () => toSent(await sdk.messages.create({ to, body, statusCallback, ...sender })))),
    fetchMessage: (sid) => call(async () => toSent(await sdk.messages(sid).fetch())),
    listMessages: ({ to, since }) =>
      call(async () => {
        // Twilio lists newest first; DateSent filters miss messages still queued, so page by recipient and stop at `since`.
        // Twilio's dates have one-second resolution: compare at that resolution, erring towards including a message.
        const from = Math.floor(since.getTime() / 1000) * 1000;
        const found: ListedMessage[] = [];
        let page = await sdk.messages.page({ to, pageSize: LIST_PAGE_SIZE });
        for (let n = 0; n < LIST_MAX_PAGES; n++) {
          let older = false;
          for (const m of page.instances) {
            if (m.dateCreated.getTime() < from) older = true;
            else found.push({ ...toSent(m), body: m.body, dateCreated: m.dateCreated });
          }
          if (older || !page.nextPageUrl) break;
          const next = await page.nextPage();
          if (!next) break;
          page = next as typeof page;
        }
        return found;
      }),
  };
}
