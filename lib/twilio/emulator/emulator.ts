// The emulator's configuration and assembly: one object holding its database, account, senders' queues, faults and
// lifecycle timer, whose `handle` is a framework-free fetch-style handler for Twilio's REST paths.
import "server-only";
import type { Db } from "@/db/client";
import type { FaultStore } from "@/lib/sandbox/faults";
import { createTwilioFaults, type TwilioFaults } from "./faults";
import { handleRequest } from "./handler";
import { receiveSms, type InboundResult } from "./inbound";
import { DEFAULT_DELAYS, Lifecycle, type Delays } from "./lifecycle";
import type { VerifyServiceOptions } from "./verify";

export type EmulatorOptions = {
  db: Db;
  accountSid: string;
  authToken: string;
  /** API keys of the account (SK… and secret): REST requests may authenticate with one instead of the auth token. */
  apiKeys?: { sid: string; secret: string }[];
  /** The account's own SMS-capable number(s); the first is the default sender and receives sandbox-phone replies. */
  phoneNumbers: string[];
  messagingServiceSid?: string;
  /**
   * Advanced Opt-Out on the messaging service: inbound keywords carry `OptOutType` and Twilio answers them with the
   * service's configured replies (defaults: Twilio's). Only meaningful with a messaging service, as at Twilio.
   */
  advancedOptOut?: boolean;
  /** Each sender's throughput in messages per second (TWILIO_MPS): beyond it messages wait in the sender's queue. */
  mps: number;
  /** The longest a message may wait in a sender's queue (Twilio: 10 hours); beyond it: 21611 (number) or 30001 (service). */
  maxQueueWaitMs?: number;
  /** Concurrent REST requests the account may have in flight; beyond it: 429 / 20429 (not processed). */
  maxConcurrentRequests?: number;
  /** The app's inbound-SMS webhook (public URL, as configured at Twilio). */
  inboundUrl?: string;
  /** Where requests for a public URL really go (the app reaches itself on loopback); signatures cover the public URL. */
  transportUrl?: (url: string) => string;
  account?: { status?: "active" | "suspended" | "closed"; type?: "Trial" | "Full"; friendlyName?: string };
  /** Twilio Verify: the one service the emulator serves (TWILIO_VERIFY_SERVICE_SID); none: every Verify path is 20404. */
  verify?: VerifyServiceOptions;
  /** Trial accounts only send to these (else 21608). */
  verifiedNumbers?: string[];
  delays?: Partial<Delays>;
  /** Fault settings as in SANDBOX_TWILIO_FAULTS ("error500=10%,callbackDuplicate=0.2"), or a store to share. */
  faults?: string | FaultStore<TwilioFaults>;
  fetch?: typeof fetch;
};

/** Twilio: "Messages can only be queued for 10 hours and then they automatically fail" (error 30001). */
export const TWILIO_MAX_QUEUE_WAIT_MS = 10 * 3600_000;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 100;

export type EmulatorContext = Required<Pick<EmulatorOptions, "db" | "accountSid" | "authToken" | "phoneNumbers" | "mps" | "maxQueueWaitMs" | "maxConcurrentRequests">> &
  Pick<EmulatorOptions, "apiKeys" | "messagingServiceSid" | "advancedOptOut" | "inboundUrl" | "transportUrl" | "verifiedNumbers" | "fetch" | "verify"> & {
    account: { status: "active" | "suspended" | "closed"; type: "Trial" | "Full"; friendlyName: string; created: number };
    delays: Delays;
    faults: FaultStore<TwilioFaults>;
    lifecycle: Lifecycle;
    /** When each sender's queue is next free to send (ms), loaded from the database on first use after a start. */
    senderQueues: Map<string, number>;
    /** REST requests being handled now (for the concurrency limit). */
    active: number;
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
  const faults = typeof options.faults === "object" ? options.faults : createTwilioFaults(options.faults);
  const context: EmulatorContext = {
    ...options,
    maxQueueWaitMs: options.maxQueueWaitMs ?? TWILIO_MAX_QUEUE_WAIT_MS,
    maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
    account: {
      status: options.account?.status ?? "active",
      type: options.account?.type ?? "Full",
      friendlyName: options.account?.friendlyName ?? "Select Exposure sandbox",
      created: Date.UTC(2024, 0, 1),
    },
    delays,
    faults,
    senderQueues: new Map(),
    active: 0,
    lifecycle: new Lifecycle({
      db: options.db,
      authToken: options.authToken,
      delays,
      faults,
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
