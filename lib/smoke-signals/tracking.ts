// Delivery tracking: what the provider told us (send answers and status callbacks) applied to the outbox and the signal,
// monotonically, so duplicates and late out-of-order callbacks never move a status backwards.
import "server-only";
import { asc, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orphanStatusCallbacks, type SignalStatus } from "@/db/schema";
import { log } from "@/lib/log";
import { explainTwilioCode } from "@/lib/twilio/errors";
import { mergeStatus, toSignalStatus } from "@/lib/twilio/status";

export type ProviderReport = { sid: string; status: string; errorCode: number | null };

const FAILED_RAW = new Set(["failed", "undelivered"]);

type Statements = ReturnType<typeof prepare>;
// Prepared once per connection: status callbacks are the hottest write path, so no per-call SQL building.
const cache = new WeakMap<object, Statements>();

function prepare(db: Db) {
  const c = db.$client;
  return {
    outboxBySid: c.prepare<[string], { id: string; signal_id: string | null; provider_status: string | null }>(
      "select id, signal_id, provider_status from outbox where provider_id = ?",
    ),
    setOutboxStatus: c.prepare("update outbox set provider_status = ?, updated_at = ? where id = ?"),
    signal: c.prepare<[string], { status: SignalStatus; provider_status: string | null; error_code: number | null; reason: string | null; provider_sid: string | null }>(
      "select status, provider_status, error_code, reason, provider_sid from smoke_signals where id = ?",
    ),
    setSignal: c.prepare(
      "update smoke_signals set status = ?, provider_status = ?, error_code = ?, reason = ?, provider_sid = ?, updated_at = ? where id = ?",
    ),
    addEvent: c.prepare("insert into smoke_signal_events (signal_id, status, provider_status, error_code, note, created_at) values (?, ?, ?, ?, ?, ?)"),
  };
}

function statements(db: Db): Statements {
  let s = cache.get(db.$client);
  if (!s) cache.set(db.$client, (s = prepare(db)));
  return s;
}

/** Moves a signal to a new status and appends it to its timeline (when something changed, or a note is given). */
export function setSignalStatus(
  db: Db,
  signalId: string,
  next: { status: SignalStatus; providerStatus?: string | null; errorCode?: number | null; reason?: string | null; providerSid?: string; note?: string },
): void {
  const st = statements(db);
  const current = st.signal.get(signalId);
  if (!current) return;
  const providerStatus = next.providerStatus === undefined ? current.provider_status : next.providerStatus;
  const errorCode = next.errorCode === undefined ? current.error_code : next.errorCode;
  const reason = next.reason === undefined ? current.reason : next.reason;
  const changed = current.status !== next.status || current.provider_status !== providerStatus || errorCode !== current.error_code;
  const now = Date.now();
  if (changed || next.providerSid) {
    st.setSignal.run(next.status, providerStatus, errorCode, reason, next.providerSid ?? current.provider_sid, now, signalId);
  }
  if (changed || next.note) st.addEvent.run(signalId, next.status, providerStatus, errorCode, next.note ?? null, now);
}

/**
 * Applies one provider report to the outbox row with that sid (and its signal). Returns "unknown" when no row has the
 * sid, "duplicate" when it changes nothing, "applied" otherwise. Must run inside a transaction.
 */
export function applyReport(db: Db, report: ProviderReport): "applied" | "duplicate" | "unknown" {
  const st = statements(db);
  const row = st.outboxBySid.get(report.sid);
  if (!row) return "unknown";
  const merged = mergeStatus(row.provider_status, report.status);
  if (merged === row.provider_status) return "duplicate";
  st.setOutboxStatus.run(merged, Date.now(), row.id);
  if (row.signal_id) {
    const status = toSignalStatus(merged);
    // The error code belongs to the report that produced the failed status; a later, lesser report keeps it.
    const failedNow = (status === "Failed" || FAILED_RAW.has(merged)) && merged === report.status;
    const code = report.errorCode;
    setSignalStatus(db, row.signal_id, {
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
  // Duplicates and late callbacks are common: recognise them with one read, without taking the write lock.
  const known = statements(db).outboxBySid.get(report.sid);
  if (known && mergeStatus(known.provider_status, report.status) === known.provider_status) return "duplicate";
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
export function adoptOrphans(tx: Db, sid: string): void {
  const orphans = tx.select().from(orphanStatusCallbacks).where(eq(orphanStatusCallbacks.providerId, sid)).orderBy(asc(orphanStatusCallbacks.id)).all();
  for (const o of orphans) applyReport(tx, { sid, status: o.status, errorCode: o.errorCode });
  if (orphans.length) tx.delete(orphanStatusCallbacks).where(eq(orphanStatusCallbacks.providerId, sid)).run();
}

/** Callbacks for sids that never became ours (another app on the same account) are dropped after a day. */
export function pruneOrphans(db: Db, now = Date.now()): void {
  db.delete(orphanStatusCallbacks).where(lt(orphanStatusCallbacks.receivedAt, new Date(now - 24 * 3600_000))).run();
}
