// The outbox table's operations: enqueue inside the caller's transaction, claim due messages fairly with a lease,
// settle them, and record every attempt.
import "server-only";
import { eq, lt } from "drizzle-orm";
import { immediate, statement, type Db, type Tx } from "@/db/client";
import { outbox, outboxAttempts, outboxFairness, type Channel, type OutboxMessage, type OutboxState } from "@/db/schema";

export type NewOutboxMessage = {
  channel: Channel;
  recipient: string;
  body: string;
  subject?: string;
  html?: string;
  /** The registered sender that is told this message's outcomes (lib/outbox/senders.ts). */
  purpose: string;
  /** That sender's record, handed back with every outcome. */
  ownerId?: string;
  /** Whose backlog this is, e.g. "member:<id>": claims go round-robin across keys. */
  fairnessKey: string;
  /** The member it is sent for, if any (the operator's log filters by it; deleting the account cancels it). */
  memberId?: string;
};

export function enqueue(tx: Tx, message: NewOutboxMessage): OutboxMessage {
  return tx.insert(outbox).values(message).returning().get();
}

export type Claimed = OutboxMessage & {
  /** The row as it was before this claim: a "sending" one was left by a process that died (its lease expired). */
  previous: { state: OutboxState; claimedAt: Date | null };
};

type Picked = { id: string; state: OutboxState; claimed_at: number | null; fairness_key: string };
// The claim runs many times a second: its statements are prepared once per connection (db/client.ts).
const Q = {
  // A dead process's claims first: their messages have waited longest.
  expired: (db: Db) => statement<[{ now: number; limit: number }], Pick<Picked, "id" | "state" | "claimed_at" | "fairness_key">>(db,
    "select id, state, claimed_at, fairness_key from outbox where state = 'sending' and lease_until < @now limit @limit",
  ),
  // Round-robin across fairness keys: the keys with something due, the one served longest ago first. So a member
  // with 500 queued never holds up another member's single message. The covering index keeps this at about a
  // millisecond for 5,000 due messages.
  heads: (db: Db) => statement<[{ now: number; limit: number }], { key: string }>(db,
    `with heads as (
       select fairness_key as key, min(next_attempt_at) as due_at from outbox indexed by outbox_fair_due_idx
        where state in ('queued', 'unknown') and next_attempt_at <= @now group by fairness_key
     )
     select heads.key from heads left join outbox_fairness f on f.key = heads.key
      order by coalesce(f.last_claimed_at, 0), heads.due_at limit @limit`,
  ),
  oldest: (db: Db) => statement<[string, number, number], Picked>(db,
    `select id, state, claimed_at, fairness_key from outbox
      where fairness_key = ? and state in ('queued', 'unknown') and next_attempt_at <= ? order by next_attempt_at limit ?`,
  ),
  // A claim of a queued message starts a send attempt: its start time bounds when its request can create a message.
  take: (db: Db) => statement(db,
    `update outbox set state = 'sending', lease_until = @lease, claimed_at = @now,
       attempts = attempts + (case when state = 'queued' then 1 else 0 end),
       attempt_started_at = case when state = 'queued' then @now else attempt_started_at end,
       first_attempt_at = coalesce(first_attempt_at, @now), updated_at = @now
     where id = @id returning *`,
  ),
  served: (db: Db) => statement(db, "insert into outbox_fairness (key, last_claimed_at) values (?, ?) on conflict(key) do update set last_claimed_at = excluded.last_claimed_at"),
  due: (db: Db) => statement(db, `select 1 from outbox where (state in ('queued','unknown') and next_attempt_at <= @now) or (state = 'sending' and lease_until < @now) limit 1`),
  renew: (db: Db) => statement(db, "update outbox set lease_until = ? where state = 'sending' and id in (select value from json_each(?))"),
  statusDue: (db: Db) => statement<[number, number], { id: string }>(db,
    "select id from outbox where status_check_at <= ? and state = 'sent' and provider_id is not null order by status_check_at limit ?",
  ),
  statusTake: (db: Db) => statement(db, "update outbox set status_check_at = ? where id = ? returning *"),
};

/**
 * Claims up to `limit` due messages for this process: queued ones and unknown ones whose time has come, and "sending"
 * ones whose lease expired (their process died mid-send). One IMMEDIATE transaction, so two processes never claim the
 * same row.
 */
export function claimDue(db: Db, limit: number, leaseMs: number, now = Date.now()): Claimed[] {
  if (limit <= 0) return [];
  return immediate(db, () => {
    const rows: Picked[] = Q.expired(db).all({ now, limit });
    const keys = Q.heads(db).all({ now, limit: limit - rows.length });
    // An equal share for each key in turn; a key with less due leaves its share to the next claim.
    const share = keys.length ? Math.ceil((limit - rows.length) / keys.length) : 0;
    for (const { key } of keys) {
      if (rows.length >= limit) break;
      rows.push(...Q.oldest(db).all(key, now, Math.min(share, limit - rows.length)));
    }
    const served = new Set<string>();
    const claimed = rows.map((r) => {
      served.add(r.fairness_key);
      const row = Q.take(db).get({ lease: now + leaseMs, now, id: r.id }) as Record<string, unknown>;
      return { ...fromRow(row), previous: { state: r.state, claimedAt: r.claimed_at === null ? null : new Date(r.claimed_at) } };
    });
    for (const key of served) Q.served(db).run(key, now);
    return claimed;
  });
}

/** Whether anything is due now (for tests and benchmarks waiting for the dispatcher to go idle). */
export function hasDue(db: Db, now = Date.now()): boolean {
  return Boolean(Q.due(db).get({ now }));
}

/** Sent messages whose final status is overdue, claimed for a status check (pushed `leaseMs` ahead meanwhile). */
export function claimStatusChecks(db: Db, limit: number, leaseMs: number, now = Date.now()): OutboxMessage[] {
  if (limit <= 0) return [];
  return immediate(db, () => Q.statusDue(db).all(now, limit).map((r) => fromRow(Q.statusTake(db).get(now + leaseMs, r.id) as Record<string, unknown>)));
}

export function fromRow(r: Record<string, unknown>): OutboxMessage {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));
  return {
    id: r.id as string,
    channel: r.channel as Channel,
    recipient: r.recipient as string,
    subject: (r.subject as string | null) ?? null,
    body: r.body as string,
    html: (r.html as string | null) ?? null,
    purpose: r.purpose as string,
    ownerId: (r.owner_id as string | null) ?? null,
    fairnessKey: r.fairness_key as string,
    state: r.state as OutboxState,
    attempts: Number(r.attempts),
    checks: Number(r.checks),
    nextAttemptAt: date(r.next_attempt_at)!,
    leaseUntil: date(r.lease_until),
    claimedAt: date(r.claimed_at),
    attemptStartedAt: date(r.attempt_started_at),
    firstAttemptAt: date(r.first_attempt_at),
    providerId: (r.provider_id as string | null) ?? null,
    providerStatus: (r.provider_status as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    errorCode: r.error_code === null || r.error_code === undefined ? null : Number(r.error_code),
    sentAt: date(r.sent_at),
    statusCheckAt: date(r.status_check_at),
    statusChecks: Number(r.status_checks),
    memberId: (r.member_id as string | null) ?? null,
    segments: r.segments === null || r.segments === undefined ? null : Number(r.segments),
    priceMicros: r.price_micros === null || r.price_micros === undefined ? null : Number(r.price_micros),
    priceUnit: (r.price_unit as string | null) ?? null,
    bodyPurgedAt: date(r.body_purged_at),
    outcome: (r.outcome as OutboxMessage["outcome"]) ?? null,
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

export type AttemptOutcome = "sent" | "retry" | "failed" | "unknown" | "found" | "not_found" | "check_failed" | "suppressed" | "refused" | "status";

export function recordAttempt(tx: Db, outboxId: string, startedAt: Date, outcome: AttemptOutcome, detail?: { errorCode?: number | null; detail?: string }) {
  // finishedAt is the row's creation time (column created_at).
  statement(tx, "insert into outbox_attempts (outbox_id, started_at, outcome, error_code, detail, created_at) values (?, ?, ?, ?, ?, ?)").run(
    outboxId,
    startedAt.getTime(),
    outcome,
    detail?.errorCode ?? null,
    detail?.detail ?? null,
    Date.now(),
  );
}

/**
 * Extends this process's claims on messages it is still working on, so a slow send (Twilio timing out page after page
 * of the outcome check) is never taken for a dead process's and handled twice meanwhile.
 */
export function renewLeases(db: Db, ids: readonly string[], until: number): void {
  if (!ids.length) return;
  Q.renew(db).run(until, JSON.stringify(ids));
}

export type SettlePatch = Partial<
  Pick<
    OutboxMessage,
    "state" | "nextAttemptAt" | "providerId" | "providerStatus" | "lastError" | "sentAt" | "attemptStartedAt" | "attempts" | "checks" | "statusCheckAt" | "statusChecks" | "segments" | "errorCode"
  >
>;

const COLUMNS: Record<keyof SettlePatch, string> = {
  state: "state",
  nextAttemptAt: "next_attempt_at",
  providerId: "provider_id",
  providerStatus: "provider_status",
  lastError: "last_error",
  sentAt: "sent_at",
  attemptStartedAt: "attempt_started_at",
  attempts: "attempts",
  checks: "checks",
  statusCheckAt: "status_check_at",
  statusChecks: "status_checks",
  segments: "segments",
  errorCode: "error_code",
};

/** Settles a claimed message, but only while this process still holds its claim (state "sending"). */
export function settle(tx: Db, id: string, patch: SettlePatch): boolean {
  const keys = (Object.keys(patch) as (keyof SettlePatch)[]).filter((k) => patch[k] !== undefined).sort();
  // One statement per shape of patch, prepared once: this runs for every message sent.
  const sql = `update outbox set ${keys.map((k) => `${COLUMNS[k]} = ?`).join(", ")}${keys.length ? ", " : ""}lease_until = null, updated_at = ? where id = ? and state = 'sending'`;
  const values = keys.map((k) => {
    const v = patch[k];
    return v instanceof Date ? v.getTime() : (v as string | number | null);
  });
  return statement(tx, sql).run(...values, Date.now(), id).changes > 0;
}

/** Within this process's claim: a new send attempt starts now (after an outcome check found no earlier one). */
export function startAttempt(tx: Db, id: string, at: Date): boolean {
  return statement(tx, "update outbox set attempt_started_at = ?, attempts = attempts + 1, checks = 0, updated_at = ? where id = ? and state = 'sending'").run(at.getTime(), Date.now(), id).changes > 0;
}

export function attemptsOf(db: Db, outboxId: string) {
  return db.select().from(outboxAttempts).where(eq(outboxAttempts.outboxId, outboxId)).orderBy(outboxAttempts.id).all();
}

/** Forgets fairness keys not served for a day (their members have nothing queued). */
export function pruneFairness(db: Db, now = Date.now()): void {
  db.delete(outboxFairness).where(lt(outboxFairness.lastClaimedAt, now - 24 * 3600_000)).run();
}
