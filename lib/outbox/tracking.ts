// Delivery tracking at the outbox level: what the provider reports (send answers, status callbacks, status checks)
// merged into the outbox row monotonically, so duplicates and late out-of-order reports never move a status
// backwards, then handed to the message's registered sender.
import "server-only";
import { remember } from "@epic-web/remember";
import { commitSoon, type Db } from "@/db/client";
import { log } from "@/lib/log";
import { explainTwilioCode } from "@/lib/twilio/errors";
import { isBilledStatus, isFinalStatus, mergeStatus, statusOutcome } from "@/lib/twilio/status";
import { keepOrphan, messageBySid, recordAttempt, setProviderStatus, takeOrphans } from "./queue";
import { deliveryPolicy, type DeliveryPolicy } from "./policy";
import { senderFor } from "./senders";

export type ProviderReport = { sid: string; status: string; errorCode: number | null };

/** Where a provider report came from, for the message's timeline (the send's own answer is recorded as its attempt). */
export type ReportSource = "callback" | "status check";

/** What applying a report needs of the delivery policy: when a final, billed SMS is first looked up for its price. */
export type PricePolicy = Pick<DeliveryPolicy, "priceCheckAfterMs">;

/**
 * Applies one provider report to the outbox row with that sid and tells its sender. Returns "unknown" when no row
 * has the sid, "duplicate" when it changes nothing, "applied" otherwise. Must run inside a transaction.
 */
export function applyReport(db: Db, report: ProviderReport, policy: PricePolicy, source?: ReportSource): "applied" | "duplicate" | "unknown" {
  return applyAndTell(db, report, policy, source).result;
}

/** applyReport, also saying which status the row holds afterwards (null: no row). */
function applyAndTell(db: Db, report: ProviderReport, policy: PricePolicy, source?: ReportSource): { result: "applied" | "duplicate" | "unknown"; stored: string | null } {
  const row = messageBySid(db, report.sid);
  if (!row) return { result: "unknown", stored: null };
  const merged = mergeStatus(row.providerStatus, report.status);
  if (merged === row.providerStatus) return { result: "duplicate", stored: merged };
  const now = Date.now();
  const outcome = statusOutcome(merged);
  // The error code belongs to the report that produced the failed status; a later, lesser report keeps it.
  const failedNow = outcome === "failed" && merged === report.status.toLowerCase();
  // A final status ends the status checks, except that a billed SMS is looked up once more for the price Twilio puts
  // on it a while after its final status (after priceCheckAfterMs, then with backoff).
  const final = isFinalStatus(merged);
  const awaitingPrice = final && row.channel === "SMS" && row.priceMicros === null && isBilledStatus(merged);
  const checkAt = final ? (awaitingPrice ? now + policy.priceCheckAfterMs : null) : (row.statusCheckAt?.getTime() ?? null);
  setProviderStatus(db, row.id, merged, { errorCode: failedNow ? report.errorCode : null, checkAt, resetChecks: awaitingPrice });
  if (source) recordAttempt(db, row.id, new Date(now), "status", { errorCode: report.errorCode, detail: `${merged} (${source})` });
  const sender = senderFor(row.purpose);
  if (!sender) log.warn({ purpose: row.purpose, outboxId: row.id }, "outbox: no sender registered for this purpose; its status is kept on the outbox row only");
  sender?.onStatus?.(db, { ...row, providerStatus: merged }, {
    providerStatus: merged,
    outcome,
    providerId: report.sid,
    ...(failedNow
      ? { failure: { errorCode: report.errorCode, memberMessage: report.errorCode ? explainTwilioCode(report.errorCode).memberMessage : "The carrier could not deliver this message." } }
      : {}),
  });
  return { result: "applied", stored: merged };
}

/**
 * A status callback from Twilio, committed before it resolves. A sid we do not know yet is kept aside (a callback can
 * overtake the send's own answer) and applied when the dispatcher records that sid. Callbacks arriving together share
 * one commit (group commit, db/client.ts): a commit per callback costs more than applying it.
 */
export async function applyStatusCallback(db: Db, report: ProviderReport, policy: PricePolicy = deliveryPolicy()): Promise<"applied" | "duplicate" | "unknown"> {
  // Duplicates and late callbacks are common: recognised from memory without touching the database. Any other report
  // goes straight to the shared transaction, which reads the row once and writes only what it changes: a read before
  // it, to spare duplicates the write lock, cost every report that does change a status one more read (and most
  // reports this process has not seen yet are the first for their message, so they change it).
  const seen = seenStatuses(db);
  const remembered = seen.get(report.sid);
  if (remembered !== undefined && mergeStatus(remembered, report.status) === remembered) return "duplicate";
  const { result, stored } = await commitSoon(db, () => {
    const told = applyAndTell(db, report, policy, "callback");
    if (told.result === "unknown") keepOrphan(db, report);
    return told;
  });
  if (stored !== null) seen.note(report.sid, stored);
  if (result === "unknown") log.info({ sid: report.sid, status: report.status }, "status callback for a message sid we have not recorded (kept aside)");
  return result;
}

/**
 * The status this process last saw stored for each of the most recent sids (a bounded map, the oldest forgotten
 * first). A stored status only ever moves up (mergeStatus), whoever writes it, so a remembered one is a lower bound:
 * a report that would not move it cannot move the stored one either, and is a duplicate known without a read. Most
 * of a busy callback stream is such duplicates and late reports (Twilio retries, a "sent" after "delivered").
 */
export class SeenStatuses {
  private readonly bySid = new Map<string, string>();

  constructor(readonly limit: number) {}

  get(sid: string): string | undefined {
    return this.bySid.get(sid);
  }

  note(sid: string, status: string): void {
    this.bySid.delete(sid);
    this.bySid.set(sid, status);
    if (this.bySid.size > this.limit) this.bySid.delete(this.bySid.keys().next().value!);
  }
}

/** Enough for every message of a large burst to get its callbacks (they come within minutes); about 1.5 MB. */
const SEEN_SIDS = 10_000;

/** Per database handle (tests open many, with sids that may repeat), for the life of the process. */
function seenStatuses(db: Db): SeenStatuses {
  const all = remember("outbox.seen-statuses", () => new WeakMap<object, SeenStatuses>());
  let seen = all.get(db);
  if (!seen) all.set(db, (seen = new SeenStatuses(SEEN_SIDS)));
  return seen;
}

/** After a sid is recorded: applies callbacks that arrived before it, then forgets them. Inside the same transaction. */
export function adoptOrphans(tx: Db, sid: string, policy: PricePolicy): void {
  for (const o of takeOrphans(tx, sid)) applyReport(tx, { sid, status: o.status, errorCode: o.errorCode }, policy, "callback");
}
