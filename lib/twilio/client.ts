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

export type SentMessage = {
  sid: string;
  status: string;
  to: string;
  errorCode: number | null;
  numSegments: number;
  /** What Twilio billed, a negative decimal string such as "-0.05240" in `priceUnit`; null until Twilio has priced it. */
  price: string | null;
  priceUnit: string | null;
};
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

/** Which credential authenticates REST calls, by the variable that holds it (the console shows which one is in use). */
export type RestCredential = "TWILIO_API_KEY" | "TWILIO_AUTH_TOKEN" | "TWILIO_AUTH_TOKEN_SECONDARY";

/** Told when Twilio accepts or refuses (20003) a REST credential. */
export type RestCredentialObserver = (name: RestCredential, outcome: "ok" | "refused", refusal?: string) => void;

/**
 * The REST credentials in the order they are tried: an API key when one is set (rotation-friendly: the auth token's
 * changeover does not touch it), else the auth token, then the secondary token of a changeover (after Twilio promotes
 * the secondary, the old primary answers 20003).
 */
function restCredentials(config: TwilioConfig): { name: RestCredential; user: string; password: string }[] {
  if (config.apiKeySid && config.apiKeySecret) return [{ name: "TWILIO_API_KEY", user: config.apiKeySid, password: config.apiKeySecret }];
  const primary = { name: "TWILIO_AUTH_TOKEN" as const, user: config.accountSid, password: config.authToken };
  return config.authTokenSecondary ? [primary, { name: "TWILIO_AUTH_TOKEN_SECONDARY", user: config.accountSid, password: config.authTokenSecondary }] : [primary];
}

function sdkFor(config: TwilioConfig, credential: { user: string; password: string }, timeoutMs?: number): twilio.Twilio {
  const timeout = timeoutMs ?? (config.emulatorUrl ? SANDBOX_TIMING : LIVE_TIMING).requestTimeoutMs;
  const httpClient = new TwilioRequestClient({ timeout, maxSockets: MAX_CONCURRENT_REQUESTS, emulatorUrl: config.emulatorUrl });
  return twilio(credential.user, credential.password, { accountSid: config.accountSid, httpClient, timeout, autoRetry: false });
}

/** The SDK client for a configuration's first REST credential (API key when set, else account SID + token). */
export function createTwilioSdk(config: TwilioConfig, options: { timeoutMs?: number } = {}): twilio.Twilio {
  return sdkFor(config, restCredentials(config)[0]!, options.timeoutMs);
}

function toSent(m: MessageInstance): SentMessage {
  return {
    sid: m.sid,
    status: m.status,
    to: m.to,
    errorCode: m.errorCode === null || m.errorCode === undefined ? null : Number(m.errorCode),
    numSegments: Number(m.numSegments) || 0,
    price: m.price === null || m.price === undefined ? null : String(m.price),
    priceUnit: m.priceUnit ?? null,
  };
}

export function createTwilio(
  config: TwilioConfig,
  options: { timeoutMs?: number; providerGraceMs?: number; observe?: RestCredentialObserver } = {},
): TwilioClient {
  const base = config.emulatorUrl ? SANDBOX_TIMING : LIVE_TIMING;
  const timing = { requestTimeoutMs: options.timeoutMs ?? base.requestTimeoutMs, providerGraceMs: options.providerGraceMs ?? base.providerGraceMs };
  const credentials = restCredentials(config).map((c) => ({ name: c.name, sdk: sdkFor(config, c, timing.requestTimeoutMs) }));
  let at = 0;
  const observe = options.observe ?? (() => {});
  // Every call, with the credential in use; a 20003 (authentication refused, nothing processed) moves to the next
  // credential of a changeover and tries again, once per credential.
  async function call<T>(fn: (sdk: twilio.Twilio) => Promise<T>): Promise<T> {
    for (;;) {
      const current = credentials[at]!;
      try {
        const result = await fn(current.sdk);
        observe(current.name, "ok");
        return result;
      } catch (error) {
        const e = toTwilioError(error);
        if (e.code === 20003) {
          observe(current.name, "refused", e.operatorMessage);
          if (at < credentials.length - 1) {
            at++;
            continue;
          }
        }
        throw e;
      }
    }
  }
  const sender = config.messagingServiceSid ? { messagingServiceSid: config.messagingServiceSid } : { from: config.phoneNumber };
  return {
    get sdk() {
      return credentials[at]!.sdk;
    },
    timing,
    sendSms: ({ to, body, statusCallback, deadline }) => call((sdk) => withDeadline(deadline, async () => toSent(await sdk.messages.create({ to, body, statusCallback, ...sender })))),
    fetchMessage: (sid) => call(async (sdk) => toSent(await sdk.messages(sid).fetch())),
    listMessages: ({ to, since }) =>
      call(async (sdk) => {
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
