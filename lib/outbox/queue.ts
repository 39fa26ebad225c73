// The outbox table's operations: enqueue inside the caller's transaction, claim due messages with a lease, settle them.
import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outbox, outboxAttempts, type Channel, type OutboxMessage } from "@/db/schema";

/** A transaction handle or the database itself: enqueueing must share the transaction of the record it belongs to. */
export type Tx = Pick<Db, "insert" | "select" | "update" | "delete">;

export type NewOutboxMessage = { channel: Channel; recipient: string; body: string; subject?: string; html?: string; signalId?: string };

export function enqueue(tx: Tx, message: NewOutboxMessage): OutboxMessage {
  return tx.insert(outbox).values(message).returning().get();
}

export type Claimed = OutboxMessage & {
  /** The previous attempt may have reached the provider (it ended unknown, or its claim expired mid-send): check first. */
  checkFirst: boolean;
};

/**
 * Claims up to `limit` due messages for this process: queued or unknown ones whose time has come, and "sending" ones whose
 * lease expired (their process died mid-send). One IMMEDIATE transaction, so two processes never claim the same row.
 */
export function claimDue(db: Db, limit: number, leaseMs: number, now = Date.now()): Claimed[] {
  if (limit <= 0) return [];
  const sqlite = db.$client;
  const pick = sqlite.prepare(
    `select id, state from outbox
      where (state in ('queued', 'unknown') and next_attempt_at <= ?) or (state = 'sending' and lease_until < ?)
      order by next_attempt_at limit ?`,
  );
  const take = sqlite.prepare(
    `update outbox set state = 'sending', lease_until = ?, attempts = attempts + 1,
       first_attempt_at = coalesce(first_attempt_at, ?), updated_at = ? where id = ? returning *`,
  );
  const run = sqlite.transaction(() => {
    const rows = pick.all(now, now, limit) as { id: string; state: string }[];
    return rows.map(({ id, state }) => ({ row: take.get(now + leaseMs, now, now, id) as Record<string, unknown>, checkFirst: state !== "queued" }));
  });
  return run.immediate().map(({ row, checkFirst }) => ({ ...fromRow(row), checkFirst }));
}

function fromRow(r: Record<string, unknown>): OutboxMessage {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));
  return {
    id: r.id as string,
    channel: r.channel as Channel,
    recipient: r.recipient as string,
    subject: (r.subject as string | null) ?? null,
    body: r.body as string,
    html: (r.html as string | null) ?? null,
    signalId: (r.signal_id as string | null) ?? null,
    state: r.state as OutboxMessage["state"],
    attempts: Number(r.attempts),
    nextAttemptAt: date(r.next_attempt_at)!,
    leaseUntil: date(r.lease_until),
    firstAttemptAt: date(r.first_attempt_at),
    providerId: (r.provider_id as string | null) ?? null,
    providerStatus: (r.provider_status as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    sentAt: date(r.sent_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

export type AttemptOutcome = "sent" | "retry" | "failed" | "unknown" | "found" | "not_found" | "suppressed";

export function recordAttempt(tx: Tx, outboxId: string, startedAt: Date, outcome: AttemptOutcome, detail?: { errorCode?: number | null; detail?: string }) {
  tx.insert(outboxAttempts)
    .values({ outboxId, startedAt, outcome, errorCode: detail?.errorCode ?? null, detail: detail?.detail ?? null })
    .run();
}

/**
 * Extends this process's claims on messages it is still sending, so a slow send (Twilio timing out page after page
 * of the outcome check) is never taken for a dead process's and sent a second time meanwhile.
 */
export function renewLeases(db: Db, ids: readonly string[], until: number): void {
  if (!ids.length) return;
  db.$client
    .prepare("update outbox set lease_until = ? where state = 'sending' and id in (select value from json_each(?))")
    .run(until, JSON.stringify(ids));
}

/** Settles a claimed message, but only while this process still holds its claim (state "sending"). */
export function settle(
  tx: Tx,
  id: string,
  patch: Partial<Pick<OutboxMessage, "state" | "nextAttemptAt" | "providerId" | "providerStatus" | "lastError" | "sentAt">>,
): boolean {
  const res = tx
    .update(outbox)
    .set({ ...patch, leaseUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.state, "sending")))
    .run() as unknown as { changes: number };
  return res.changes > 0;
}

export function attemptsOf(db: Db, outboxId: string) {
  return db.select().from(outboxAttempts).where(eq(outboxAttempts.outboxId, outboxId)).orderBy(outboxAttempts.id).all();
}
