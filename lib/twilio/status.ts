// Twilio's message statuses: what each one means for the message (still on its way, delivered, failed) and a merge
// that never moves a status backwards.

/** What a Twilio status says about the message: still on its way, delivered, or failed for good. */
export type StatusOutcome = "pending" | "delivered" | "failed";

export const FINAL_STATUSES = new Set(["delivered", "read", "undelivered", "failed", "canceled", "received"]);

// Higher rank wins. Final states outrank every intermediate one; among finals, "read" (after delivered) is the only
// forward move, and a failure reported after a delivery does not undo it (carriers send late, duplicate DLRs).
const RANK: Record<string, number> = {
  accepted: 10,
  scheduled: 15,
  queued: 20,
  sending: 30,
  sent: 40,
  receiving: 45,
  partially_delivered: 50,
  canceled: 90,
  failed: 91,
  undelivered: 92,
  received: 95,
  delivered: 100,
  read: 110,
};

/** Final statuses Twilio bills (it does not bill a message that failed before reaching a carrier). */
const BILLED_STATUSES = new Set(["delivered", "read", "undelivered"]);

/** Whether Twilio will put a price on a message that ended with this status (the price comes a while after). */
export function isBilledStatus(status: string | null | undefined): boolean {
  return status != null && BILLED_STATUSES.has(status.toLowerCase());
}

/** Twilio's `price` ("-0.05240": negative, a debit) in millionths of its unit, positive; null when not priced yet. */
export function priceMicros(price: string | null | undefined): number | null {
  if (price === null || price === undefined || price.trim() === "") return null;
  const n = Number(price);
  return Number.isFinite(n) ? Math.round(Math.abs(n) * 1_000_000) : null;
}

export function isFinalStatus(status: string | null | undefined): boolean {
  return status != null && FINAL_STATUSES.has(status.toLowerCase());
}

export function statusOutcome(twilioStatus: string): StatusOutcome {
  const s = twilioStatus.toLowerCase();
  if (s === "delivered" || s === "read") return "delivered";
  if (s === "undelivered" || s === "failed" || s === "canceled") return "failed";
  return "pending";
}

/**
 * The status to keep when `incoming` arrives while `current` is stored: the higher-ranked one, so duplicates and
 * late callbacks (a "sent" after "delivered") change nothing. Unknown statuses never replace a known one.
 */
export function mergeStatus(current: string | null, incoming: string): string {
  const next = incoming.toLowerCase();
  if (current === null || current === "") return next;
  const now = current.toLowerCase();
  const a = RANK[now];
  const b = RANK[next];
  if (b === undefined) return now;
  if (a === undefined) return next;
  return b > a ? next : now;
}
