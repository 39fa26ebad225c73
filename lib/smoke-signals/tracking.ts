// Delivery tracking: what the provider told us (send answers and status callbacks) applied to the outbox and the signal,
// monotonically, so duplicates and late out-of-order callbacks never move a status backwards.
import "server-only";
import { asc, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orphanStatusCallbacks, outbox, smokeSignalEvents, smokeSignals, type SignalStatus } from "@/db/schema";
import { log } from "@/lib/log";
import { explainTwilioCode } from "@/lib/twilio/errors";
import { mergeStatus, toSignalStatus } from "@/lib/twilio/status";
import type { Tx } from "@/lib/outbox/queue";

export type ProviderReport = { sid: string; status: string; errorCode: number | null };

const FAILED_RAW = new Set(["failed", "undelivered"]);

/** Moves a signal to a new status (if it changed) and appends it to its timeline. */
export function setSignalStatus(
  tx: Tx,
  signalId: string,
  next: { status: SignalStatus; providerStatus?: string | null; errorCode?: number | null; reason?: string | null; providerSid?: string; note?: string },
): void {
  const current = tx.select().from(smokeSignals).where(eq(smokeSignals.id, signalId)).get();
  if (!current) return;
  const providerStatus = next.providerStatus === undefined ? current.providerStatus : next.providerStatus;
  const changed = current.status !== next.status || current.providerStatus !== providerStatus || (next.errorCode ?? null) !== current.errorCode;
  tx.update(smokeSignals)
    .set({
      status: next.status,
      providerStatus,
      errorCode: next.errorCode === undefined ? current.errorCode : next.errorCode,
      reason: next.reason === undefined ? current.reason : next.reason,
      ...(next.providerSid ? { providerSid: next.providerSid } : {}),
    })
    .where(eq(smokeSignals.id, signalId))
    .run();
  if (changed) {
    tx.insert(smokeSignalEvents)
      .values({ signalId, status: next.status, providerStatus, errorCode: next.errorCode ?? null, note: next.note ?? null })
      .run();
  }
}

/**
 * Applies one provider report to the outbox row with that sid (and its signal). Returns "unknown" when no row has the
 * sid, "duplicate" when it changes nothing, "applied" otherwise. Must run inside a transaction.
 */
export function applyReport(tx: Tx, report: ProviderReport): "applied" | "duplicate" | "unknown" {
  const row = tx.select().from(outbox).where(eq(outbox.providerId, report.sid)).get();
  if (!row) return "unknown";
  const merged = mergeStatus(row.providerStatus, report.status);
  if (merged === row.providerStatus) return "duplicate";
  tx.update(outbox).set({ providerStatus: merged }).where(eq(outbox.id, row.id)).run();
  if (row.signalId) {
    const status = toSignalStatus(merged);
    // The error code belongs to the report that produced the failed status; a later, lesser report keeps it.
    const failedNow = (status === "Failed" || FAILED_RAW.has(merged)) && merged === report.status;
    const code = report.errorCode;
    setSignalStatus(tx, row.signalId, {
      status,
      providerStatus: merged,
      providerSid: report.sid,
      ...(failedNow ? { errorCode: code, reason: code ? explainTwilioCode(code).memberMessage : "The carrier could not deliver this message." } : {}),
    });
  }
  return "applied";
}

/**
 * A status callback from Twilio. A sid we do not know yet is kept aside (a callback can overtake the send's own
 * answer) and applied when the dispatcher records that sid.
 */
export function applyStatusCallback(db: Db, report: ProviderReport): "applied" | "duplicate" | "unknown" {
  const result = db.$client
    .transaction(() => {
      const outcome = applyReport(db, report);
      if (outcome === "unknown") db.insert(orphanStatusCallbacks).values({ providerId: report.sid, status: report.status, errorCode: report.errorCode }).run();
      return outcome;
    })
    .immediate();
  if (result === "unknown") log.info({ sid: report.sid, status: report.status }, "status callback for a message sid we have not recorded (kept aside)");
  return result;
}

/** After a sid is recorded: applies callbacks that arrived before it, then forgets them. Inside the same transaction. */
export function adoptOrphans(tx: Tx, sid: string): void {
  const orphans = tx.select().from(orphanStatusCallbacks).where(eq(orphanStatusCallbacks.providerId, sid)).orderBy(asc(orphanStatusCallbacks.id)).all();
  for (const o of orphans) applyReport(tx, { sid, status: o.status, errorCode: o.errorCode });
  if (orphans.length) tx.delete(orphanStatusCallbacks).where(eq(orphanStatusCallbacks.providerId, sid)).run();
}

/** Callbacks for sids that never became ours (another app on the same account) are dropped after a day. */
export function pruneOrphans(db: Db, now = Date.now()): void {
  db.delete(orphanStatusCallbacks).where(lt(orphanStatusCallbacks.receivedAt, new Date(now - 24 * 3600_000))).run();
}
