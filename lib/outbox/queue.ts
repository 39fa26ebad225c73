// The outbox table's operations: enqueue inside the caller's transaction, claim due messages fairly with a lease,
// settle them, and record every attempt.
import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
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
};

export function enqueue(tx: Tx, message: NewOutboxMessage): OutboxMessage {
  return tx.insert(outbox).values(message).returning().get();
}

export type Claimed = OutboxMessage & {
  /** The row as it was before this claim: a "sending" one was left by a process that died (its lease expired). */
  previous: { state: OutboxState; claimedAt: Date | null };
};

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<object, Statements>();

function prepare(db: Db) {
  const c = db.$client;
  return {
    // Round-robin across fairness keys: every key's oldest due message comes before any key's second one, and among
    // those the key served longest ago goes first. So a member with 500 queued never holds up another's single one.
    pick: c.prepare<[{ now: number; limit: number }], { id: string; state: OutboxState; claimed_at: number | null; fairness_key: string }>(
      `with due as (
         select id, state, claimed_at, fairness_key, next_attempt_at,
                row_number() over (partition by fairness_key order by next_attempt_at, rowid) as rn
           from outbox
          where (state in ('queued', 'unknown') and next_attempt_at <= @now) or (state = 'sending' and lease_until < @now)
       )
       select due.id, due.state, due.claimed_at, due.fairness_key
         from due left join outbox_fairness f on f.key = due.fairness_key
        where due.rn <= @limit
        order by due.rn, coalesce(f.last_claimed_at, 0), due.next_attempt_at
        limit @limit`,
    ),
    // A claim of a queued message starts a send attempt: its start time bounds when its request can create a message.
    take: c.prepare(
      `update outbox set state = 'sending', lease_until = @lease, claimed_at = @now,
         attempts = attempts + (case when state = 'queued' then 1 else 0 end),
         attempt_started_at = case when state = 'queued' then @now else attempt_started_at end,
         first_attempt_at = coalesce(first_attempt_at, @now), updated_at = @now
       where id = @id returning *`,
    ),
    served: c.prepare("insert into outbox_fairness (key, last_claimed_at) values (?, ?) on conflict(key) do update set last_claimed_at = excluded.last_claimed_at"),
    due: c.prepare(`select 1 from outbox where (state in ('queued','unknown') and next_attempt_at <= @now) or (state = 'sending' and lease_until < @now) limit 1`),
    renew: c.prepare("update outbox set lease_until = ? where state = 'sending' and id in (select value from json_each(?))"),
    statusDue: c.prepare<[number, number], { id: string }>(
      "select id from outbox where status_check_at <= ? and state = 'sent' and provider_id is not null order by status_check_at limit ?",
    ),
    statusTake: c.prepare("update outbox set status_check_at = ? where id = ? returning *"),
  };
}

function statements(db: Db): Statements {
  let s = cache.get(db.$client);
  if (!s) cache.set(db.$client, (s = prepare(db)));
  return s;
}

/**
 * Claims up to `limit` due messages for this process: queued ones and unknown ones whose time has come, and "sending"
 * ones whose lease expired (their process died mid-send). One IMMEDIATE transaction, so two processes never claim the
 * same row.
 */
export function claimDue(db: Db, limit: number, leaseMs: number, now = Date.now()): Claimed[] {
  if (limit <= 0) return [];
  const st = statements(db);
  const run = db.$client.transaction(() => {
    const rows = st.pick.all({ now, limit });
    const keys = new Set<string>();
    const claimed = rows.map((r) => {
      keys.add(r.fairness_key);
      const row = st.take.get({ lease: now + leaseMs, now, id: r.id }) as Record<string, unknown>;
      return { ...fromRow(row), previous: { state: r.state, claimedAt: r.claimed_at === null ? null : new Date(r.claimed_at) } };
    });
    for (const key of keys) st.served.run(key, now);
    return claimed;
  });
  return run.immediate();
}

/** Whether anything is due now (for tests and benchmarks waiting for the dispatcher to go idle). */
export function hasDue(db: Db, now = Date.now()): boolean {
  return Boolean(statements(db).due.get({ now }));
}

/** Sent messages whose final status is overdue, claimed for a status check (pushed `leaseMs` ahead meanwhile). */
export function claimStatusChecks(db: Db, limit: number, leaseMs: number, now = Date.now()): OutboxMessage[] {
  if (limit <= 0) return [];
  const st = statements(db);
  return db.$client
    .transaction(() => st.statusDue.all(now, limit).map((r) => fromRow(st.statusTake.get(now + leaseMs, r.id) as Record<string, unknown>)))
    .immediate();
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
    sentAt: date(r.sent_at),
    statusCheckAt: date(r.status_check_at),
    statusChecks: Number(r.status_checks),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

export type AttemptOutcome = "sent" | "retry" | "failed" | "unknown" | "found" | "not_found" | "check_failed" | "suppressed" | "refused" | "status";

export function recordAttempt(tx: Tx, outboxId: string, startedAt: Date, outcome: AttemptOutcome, detail?: { errorCode?: number | null; detail?: string }) {
  tx.insert(outboxAttempts)
    .values({ outboxId, startedAt, outcome, errorCode: detail?.errorCode ?? null, detail: detail?.detail ?? null })
    .run();
}

/**
 * Extends this process's claims on messages it is still working on, so a slow send (Twilio timing out page after page
 * of the outcome check) is never taken for a dead process's and handled twice meanwhile.
 */
export function renewLeases(db: Db, ids: readonly string[], until: number): void {
  if (!ids.length) return;
  statements(db).renew.run(until, JSON.stringify(ids));
}

export type SettlePatch = Partial<
  Pick<OutboxMessage, "state" | "nextAttemptAt" | "providerId" | "providerStatus" | "lastError" | "sentAt" | "attemptStartedAt" | "attempts" | "checks" | "statusCheckAt" | "statusChecks">
>;

/** Settles a claimed message, but only while this process still holds its claim (state "sending"). */
export function settle(tx: Tx, id: string, patch: SettlePatch): boolean {
  const res = tx
    .update(outbox)
    .set({ ...patch, leaseUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.state, "sending")))
    .run() as unknown as { changes: number };
  return res.changes > 0;
}

/** Within this process's claim: a new send attempt starts now (after an outcome check found no earlier one). */
export function startAttempt(tx: Tx, id: string, at: Date): boolean {
  const res = tx
    .update(outbox)
    .set({ attemptStartedAt: at, attempts: sql`${outbox.attempts} + 1`, checks: 0 })
    .where(and(eq(outbox.id, id), eq(outbox.state, "sending")))
    .run() as unknown as { changes: number };
  return res.changes > 0;
}

export function attemptsOf(db: Db, outboxId: string) {
  return db.select().from(outboxAttempts).where(eq(outboxAttempts.outboxId, outboxId)).orderBy(outboxAttempts.id).all();
}

/** Forgets fairness keys not served for a day (their members have nothing queued). */
export function pruneFairness(db: Db, now = Date.now()): void {
  db.delete(outboxFairness).where(lt(outboxFairness.lastClaimedAt, now - 24 * 3600_000)).run();
}
