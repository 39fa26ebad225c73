// The Twilio emulator's faults on demand (decision 018): a share of REST requests answered 500 (after the request was
// processed), 503 or 429/20429 (before), or whose answer is withheld; added latency; status callbacks dropped,
// duplicated, reordered or delayed; a lag before new messages show in list results. Settings come from
// SANDBOX_TWILIO_FAULTS and from /sandbox/twilio (page) or /sandbox/twilio/faults (endpoint).
import { z } from "zod";
import { E164, E164_EXAMPLE } from "../sms";
import { createFaultStore, millis, pickExclusive, requestFaultFields, requestFaultShape, share, type FaultStore } from "@/lib/sandbox/faults";

/** The control page's fields, in the order a tester thinks of them. */
export const TWILIO_FAULT_FIELDS = [
  ...requestFaultFields("Requests", "The message is created"),
  { key: "tooManyRequests", label: "Requests answered 429 / 20429 (not processed)", kind: "share" },
  { key: "callbackDrop", label: "Status callbacks dropped", kind: "share" },
  { key: "callbackDuplicate", label: "Status callbacks sent twice", kind: "share" },
  { key: "callbackReorder", label: "Status callbacks reordered", kind: "share", hint: "Held back until after the message's next callback." },
  { key: "callbackDelay", label: "Status callbacks delayed", kind: "share" },
  { key: "callbackDelayMs", label: "Delay of delayed callbacks (ms)", kind: "ms" },
  { key: "listLagMs", label: "New messages show in list results after (ms)", kind: "ms" },
  { key: "to", label: "Only for this number (E.164, empty: every number)", kind: "number" },
] as const satisfies readonly { key: string; label: string; kind: "share" | "ms" | "number"; hint?: string }[];

export const twilioFaultsSchema = z
  .object({
    // 500 (a message is created, then 20500), 503 (20503, not processed), timeouts, latency.
    ...requestFaultShape(),
    /** Answered 429 / 20429 without processing (Twilio documents that such a request is never processed). */
    tooManyRequests: share(),
    callbackDrop: share(),
    callbackDuplicate: share(),
    /** The callback is held back until after the message's next callback (or for `callbackDelayMs` if there is none). */
    callbackReorder: share(),
    callbackDelay: share(),
    callbackDelayMs: millis(600_000, 3000),
    /** A new message shows in list results only this long after it was created (Twilio's list may lag its writes). */
    listLagMs: millis(60_000),
    /** Only requests and callbacks about this number (E.164), e.g. one tester's phone; empty: every number. */
    to: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().regex(E164, `must be an E.164 number such as ${E164_EXAMPLE}`).optional()),
  })
  .strict()
  .refine((f) => f.error500 + f.error503 + f.tooManyRequests + f.timeout <= 1, { message: "the request faults together must not exceed 100%", path: ["error500"] })
  .refine((f) => f.callbackDrop + f.callbackDuplicate + f.callbackReorder + f.callbackDelay <= 1, { message: "the callback faults together must not exceed 100%", path: ["callbackDrop"] });

export type TwilioFaults = z.infer<typeof twilioFaultsSchema>;
export type RequestFault = "error500" | "error503" | "tooManyRequests" | "timeout";
export type CallbackFault = "drop" | "duplicate" | "reorder" | "delay";

export function createTwilioFaults(envText: string | undefined, random?: () => number): FaultStore<TwilioFaults> {
  return createFaultStore(twilioFaultsSchema, envText, random);
}

const applies = (f: TwilioFaults, number: string | null | undefined) => !f.to || f.to === number;

/** At most one request fault for a request about `number` (shares are exclusive slices of one roll). */
export function pickRequestFault(store: FaultStore<TwilioFaults>, number: string | null | undefined): RequestFault | null {
  if (!applies(store.get(), number)) return null;
  return pickExclusive(store, ["error500", "error503", "tooManyRequests", "timeout"] as const);
}

const CALLBACK_FAULTS = { callbackDrop: "drop", callbackDuplicate: "duplicate", callbackReorder: "reorder", callbackDelay: "delay" } as const;

export function pickCallbackFault(store: FaultStore<TwilioFaults>, number: string): CallbackFault | null {
  if (!applies(store.get(), number)) return null;
  const picked = pickExclusive(store, ["callbackDrop", "callbackDuplicate", "callbackReorder", "callbackDelay"] as const);
  return picked && CALLBACK_FAULTS[picked];
}
