// The Yoti emulator's faults on demand (decision 018): a share of API requests answered 500 (after processing), 503
// (before), or whose answer is withheld; added latency; GET /result answering 503; notifications sent twice or late.
// Settings come from SANDBOX_YOTI_FAULTS and from /sandbox/yoti (page) or /sandbox/yoti/faults (endpoint).
import { z } from "zod";
import { createFaultStore, millis, pickExclusive, requestFaultFields, requestFaultShape, share, type FaultStore } from "@/lib/sandbox/faults";

/** The control page's fields. */
export const YOTI_FAULT_FIELDS = [
  ...requestFaultFields("API requests", "A session may be created"),
  { key: "resultError", label: "GET /result answered 503", kind: "share" },
  { key: "notificationDuplicate", label: "Notifications sent twice", kind: "share" },
  { key: "notificationDelay", label: "Notifications delayed", kind: "share" },
  { key: "notificationDelayMs", label: "Delay of delayed notifications (ms)", kind: "ms" },
] as const satisfies readonly { key: string; label: string; kind: "share" | "ms" | "number"; hint?: string }[];

export const yotiFaultsSchema = z
  .object({
    // 500 (a session may have been created anyway), 503 (not processed), timeouts, latency.
    ...requestFaultShape(),
    /** GET /sessions/{id}/result answered 503 (on top of the request faults above). */
    resultError: share(),
    /** A notification sent a second time (same id), right after the first. */
    notificationDuplicate: share(),
    /** A notification sent only after `notificationDelayMs`. */
    notificationDelay: share(),
    notificationDelayMs: millis(600_000, 5000),
  })
  .strict()
  .refine((f) => f.error500 + f.error503 + f.timeout <= 1, { message: "the request faults together must not exceed 100%", path: ["error500"] });

export type YotiFaults = z.infer<typeof yotiFaultsSchema>;
export type YotiRequestFault = "error500" | "error503" | "timeout";

export function createYotiFaults(envText: string | undefined, random?: () => number): FaultStore<YotiFaults> {
  return createFaultStore(yotiFaultsSchema, envText, random);
}

export function pickYotiRequestFault(store: FaultStore<YotiFaults>): YotiRequestFault | null {
  return pickExclusive(store, ["error500", "error503", "timeout"] as const);
}

/** Rolls one fault with probability `share` and counts it when it happens. */
export function rollYoti(store: FaultStore<YotiFaults>, kind: "resultError" | "notificationDuplicate" | "notificationDelay"): boolean {
  const hit = store.roll(store.get()[kind]);
  if (hit) store.count(kind);
  return hit;
}
