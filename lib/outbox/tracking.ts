// Delivery tracking at the outbox level: what the provider reports (send answers, status callbacks, status checks)
// merged into the outbox row monotonically, so duplicates and late out-of-order reports never move a status
// backwards, then handed to the message's registered sender.
import "server-only";
import { eq, lt } from "drizzle-orm";
import { immediate, statement, type Db } from "@/db/client";
import { orphanStatusCallbacks } from "@/db/schema";
import { log } from "@/lib/log";
import { explainTwilioCode } from "@/lib/twilio/errors";
import { isBilledStatus, isFinalStatus, mergeStatus, statusOutcome } from "@/lib/twilio/status";
import { fromRow, recordAttempt } from "./queue";
import { senderFor } from "./senders";

export type ProviderReport = { sid: string; status: string; errorCode: number | null };

// Status callbacks are the hottest write path: statements prepared once per connection (db/client.ts).
const Q = {
  statusBySid: (db: Db) => statement<[string], { provider_status: string | null }>(db, "select provider_status from outbox where provider_id = ?"),
  bySid: (db: Db) => statement<[string], Record<string, unknown>>(db, "select * from outbox where provider_id = ?"),
  setStatus: (db: Db) =>
    statement(
      db,
      "update outbox set provider_status = ?, error_code = coalesce(?, error_code), status_check_at = ?, status_checks = case when ? then 0 else status_checks end, updated_at = ? where id = ?",
    ),
};

/** Where a provider report came from, for the message's timeline (the send's own answer is recorded as its attempt). */
export type ReportSource = "callback" | "status check";

/**
 * Applies one provider report to the outbox row with that sid and tells its sender. Returns "unknown" when no row
 * has the sid, "duplicate" when it changes nothing, "applied" otherwise. Must run inside a transaction.
 */
export function applyReport(db: Db, report: ProviderReport, source?: ReportSource): "applied" | "duplicate" | "unknown" {
  const raw = Q.bySid(db).get(report.sid);
  if (!raw) return "unknown";
  const row = fromRow(raw);
  const merged = mergeStatus(row.providerStatus, report.status);
  if (merged === row.providerStatus) return "duplicate";
  const now = Date.now();
  // A final status ends the status checks, except that a billed SMS is looked up once more (at once, then with
  // backoff) for the price Twilio puts on it a while after its final status.
  const final = isFinalStatus(merged);
  const awaitingPrice = final && row.channel === "SMS" && row.priceMicros === null && isBilledStatus(merged);
  const checkAt = final ? (awaitingPrice ? now : null) : (row.statusCheckAt?.getTime() ?? null);
  const outcome = statusOutcome(merged);
  // The error code belongs to the report that produced the failed status; a later, lesser report keeps it.
  const failedNow = outcome === "failed" && merged === report.status.toLowerCase();
  Q.setStatus(db).run(merged, failedNow ? report.errorCode : null, checkAt, awaitingPrice ? 1 : 0, now, row.id);
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
  return "applied";
}

/**
 * A status callback from Twilio. A sid we do not know yet is kept aside (a callback can overtake the send's own
 * answer) and applied when the dispatcher records that sid.
 */
export function applyStatusCallback(db: Db, report: ProviderReport): "applied" | "duplicate" | "unknown" {
  // Duplicates and late callbacks are common: recognise them with one read, without taking the write lock.
  const known = Q.statusBySid(db).get(report.sid);
  if (known && mergeStatus(known.provider_status, report.status) === known.provider_status) return "duplicate";
  const result = immediate(db, () => {
    const outcome = applyReport(db, report, "callback");
    if (outcome === "unknown") db.insert(orphanStatusCallbacks).values({ providerId: report.sid, status: report.status, errorCode: report.errorCode }).run();
    return outcome;
  });
  if (result === "unknown") log.info({ sid: report.sid, status: report.status }, "status callback for a message sid we have not recorded (kept aside)");
  return result;
}

/** After a sid is recorded: applies callbacks that arrived before it, then forgets them. Inside the same transaction. */
export function adoptOrphans(tx: Db, sid: string): void {
  // Runs for every message sent: one prepared look-up, which nearly always finds nothing.
  const orphans = statement(tx, "select status, error_code as errorCode from orphan_status_callbacks where provider_id = ? order by id").all(sid) as {
    status: string;
    errorCode: number | null;
  }[];
  for (const o of orphans) applyReport(tx, { sid, status: o.status, errorCode: o.errorCode }, "callback");
  if (orphans.length) tx.delete(orphanStatusCallbacks).where(eq(orphanStatusCallbacks.providerId, sid)).run();
}

/** Callbacks for sids that never became ours (another app on the same account) are dropped after a day. */
export function pruneOrphans(db: Db, now = Date.now()): void {
  db.delete(orphanStatusCallbacks).where(lt(orphanStatusCallbacks.receivedAt, new Date(now - 24 * 3600_000))).run();
}
