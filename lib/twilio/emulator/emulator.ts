// The emulator's configuration and assembly: one object holding its database, account, sender, rate limiter and
// lifecycle timer, whose `handle` is a framework-free fetch-style handler for Twilio's REST paths.
import "server-only";
import type { Db } from "@/db/client";
import { handleRequest } from "./handler";
import { receiveSms, type InboundResult } from "./inbound";
import { DEFAULT_DELAYS, Lifecycle, type Delays } from "./lifecycle";
import { TokenBuckets } from "./rate";

export type EmulatorOptions = {
  db: Db;
  accountSid: string;
  authToken: string;
  /** The account's own SMS-capable number(s); the first is the default sender and receives sandbox-phone replies. */
  phoneNumbers: string[];
  messagingServiceSid?: string;
  /** Messages per second per sender before 429 / 20429 (TWILIO_MPS). */
  mps: number;
  /** The app's inbound-SMS webhook (public URL, as configured at Twilio). */
  inboundUrl?: string;
  /** Where requests for a public URL really go (the app reaches itself on loopback); signatures cover the public URL. */
  transportUrl?: (url: string) => string;
  account?: { status?: "active" | "suspended" | "closed"; type?: "Trial" | "Full"; friendlyName?: string };
  /** Trial accounts only send to these (else 21608). */
  verifiedNumbers?: string[];
  delays?: Partial<Delays>;
  fetch?: typeof fetch;
};

export type EmulatorContext = Required<Pick<EmulatorOptions, "db" | "accountSid" | "authToken" | "phoneNumbers" | "mps">> &
  Pick<EmulatorOptions, "messagingServiceSid" | "inboundUrl" | "transportUrl" | "verifiedNumbers" | "fetch"> & {
    account: { status: "active" | "suspended" | "closed"; type: "Trial" | "Full"; friendlyName: string; created: number };
    delays: Delays;
    buckets: TokenBuckets;
    lifecycle: Lifecycle;
  };

export type TwilioEmulator = {
  handle: (request: Request) => Promise<Response>;
  /** A tester's phone sends `body` from `from` to the account's number: Twilio's inbound webhook goes to the app. */
  receive: (input: { from: string; body: string; to?: string }) => Promise<InboundResult>;
  /** Resumes pending transitions and owed callbacks (after a restart). */
  resume: () => void;
  /** Waits until no lifecycle step or callback is in flight (tests). */
  idle: () => Promise<void>;
  stop: () => void;
  context: EmulatorContext;
};

export function createTwilioEmulator(options: EmulatorOptions): TwilioEmulator {
  const delays = { ...DEFAULT_DELAYS, ...options.delays };
  const context: EmulatorContext = {
    ...options,
    account: {
      status: options.account?.status ?? "active",
      type: options.account?.type ?? "Full",
      friendlyName: options.account?.friendlyName ?? "Select Exposure sandbox",
      created: Date.UTC(2024, 0, 1),
    },
    delays,
    buckets: new TokenBuckets(options.mps),
    lifecycle: new Lifecycle({
      db: options.db,
      authToken: options.authToken,
      delays,
      transportUrl: options.transportUrl,
      fetch: options.fetch,
    }),
  };
  return {
    handle: (request) => handleRequest(context, request),
    receive: (input) => receiveSms(context, input),
    resume: () => context.lifecycle.resume(),
    idle: () => context.lifecycle.idle(),
    stop: () => context.lifecycle.stop(),
    context,
  };
}
