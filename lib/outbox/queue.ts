// The outbox's query module (every read and write of its tables): enqueue inside the caller's transaction, claim due
// messages fairly with a lease, settle them, record every attempt, and find messages and early callbacks by sid.
import "server-only";
import { and, eq, inArray, isNotNull, lt, lte, or, sql, type Placeholder } from "drizzle-orm";
import { immediate, preparedQuery, preparedSql, type Db, type Tx } from "@/db/client";
import { orphanStatusCallbacks, outbox, outboxAttempts, outboxFairness, type Channel, type OutboxMessage, type OutboxState } from "@/db/schema";

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

const P = sql.placeholder;
const due = (now: Placeholder) => and(inArray(outbox.state, ["queued", "unknown"]), lte(outbox.nextAttemptAt, sql`${now}`));
const expired = (now: Placeholder) => and(eq(outbox.state, "sending"), lt(outbox.leaseUntil, sql`${now}`));
const picked = { id: outbox.id, state: outbox.state, claimedAt: outbox.claimedAt, fairnessKey: outbox.fairnessKey };

// The claim runs many times a second: its queries are prepared once per connection (db/client.ts).
const Q = {
  // A dead process's claims first: their messages have waited longest.
  expired: preparedQuery((db) => db.select(picked).from(outbox).where(expired(P("now"))).limit(P("limit")).prepare()),
  // Round-robin across fairness keys: the keys with something due, the one served longest ago first. So a member
  // with 500 queued never holds up another member's single message. Raw SQL: the builder cannot write the index hint,
  // and without it SQLite may pick outbox_due_idx; the covering index keeps this at about a millisecond for 5,000 due
  // messages. Its "due" condition is the one `due()` above writes for the builder's queries.
  heads: preparedSql<[{ now: number; limit: number }], { key: string }>(
    `with heads as (
       select fairness_key as key, min(next_attempt_at) as due_at from outbox indexed by outbox_fair_due_idx
        where state in ('queued', 'unknown') and next_attempt_at <= @now group by fairness_key
     )
     select heads.key from heads left join outbox_fairness f on f.key = heads.key
      order by coalesce(f.last_claimed_at, 0), heads.due_at limit @limit`,
  ),
  oldest: preparedQuery((db) =>
    db.select(picked).from(outbox).where(and(eq(outbox.fairnessKey, P("key")), due(P("now")))).orderBy(outbox.nextAttemptAt).limit(P("limit")).prepare(),
  ),
  // A claim of a queued message starts a send attempt: its start time bounds when its request can create a message.
  take: preparedQuery((db) =>
    db
      .update(outbox)
      .set({
        state: "sending",
        leaseUntil: sql`${P("lease")}`,
        claimedAt: sql`${P("now")}`,
        attempts: sql`${outbox.attempts} + (case when ${outbox.state} = 'queued' then 1 else 0 end)`,
        attemptStartedAt: sql`case when ${outbox.state} = 'queued' then ${P("now")} else ${outbox.attemptStartedAt} end`,
        firstAttemptAt: sql`coalesce(${outbox.firstAttemptAt}, ${P("now")})`,
        updatedAt: sql`${P("now")}`,
      })
      .where(eq(outbox.id, P("id")))
      .returning()
      .prepare(),
  ),
  served: preparedQuery((db) =>
    db
      .insert(outboxFairness)
      .values({ key: sql`${P("key")}`, lastClaimedAt: sql`${P("now")}` })
      .onConflictDoUpdate({ target: outboxFairness.key, set: { lastClaimedAt: sql`excluded.last_claimed_at` } })
      .prepare(),
  ),
  due: preparedQuery((db) => db.select({ id: outbox.id }).from(outbox).where(or(due(P("now")), expired(P("now")))).limit(1).prepare()),
  renew: preparedQuery((db) =>
    db
      .update(outbox)
      .set({ leaseUntil: sql`${P("until")}` })
      .where(and(eq(outbox.state, "sending"), sql`${outbox.id} in (select value from json_each(${P("ids")}))`))
      .prepare(),
  ),
  statusDue: preparedQuery((db) =>
    db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(lte(outbox.statusCheckAt, sql`${P("now")}`), eq(outbox.state, "sent"), isNotNull(outbox.providerId)))
      .orderBy(outbox.statusCheckAt)
      .limit(P("limit"))
      .prepare(),
  ),
  statusTake: preparedQuery((db) => db.update(outbox).set({ statusCheckAt: sql`${P("at")}` }).where(eq(outbox.id, P("id"))).returning().prepare()),
  attempt: preparedQuery((db) =>
    db
      .insert(outboxAttempts)
      .values({ outboxId: sql`${P("outboxId")}`, startedAt: sql`${P("startedAt")}`, outcome: sql`${P("outcome")}`, errorCode: sql`${P("errorCode")}`, detail: sql`${P("detail")}`, finishedAt: sql`${P("now")}` })
      .prepare(),
  ),
  startAttempt: preparedQuery((db) =>
    db
      .update(outbox)
      .set({ attemptStartedAt: sql`${P("at")}`, attempts: sql`${outbox.attempts} + 1`, checks: 0, updatedAt: sql`${P("now")}` })
      .where(and(eq(outbox.id, P("id")), eq(outbox.state, "sending")))
      .prepare(),
  ),
  bySid: preparedQuery((db) => db.select().from(outbox).where(eq(outbox.providerId, P("sid"))).prepare()),
  setStatus: preparedQuery((db) =>
    db
      .update(outbox)
      .set({
        providerStatus: sql`${P("status")}`,
        errorCode: sql`coalesce(${P("errorCode")}, ${outbox.errorCode})`,
        statusCheckAt: sql`${P("checkAt")}`,
        statusChecks: sql`case when ${P("resetChecks")} then 0 else ${outbox.statusChecks} end`,
        updatedAt: sql`${P("now")}`,
      })
      .where(eq(outbox.id, P("id")))
      .prepare(),
  ),
  orphans: preparedQuery((db) =>
    db
      .select({ status: orphanStatusCallbacks.status, errorCode: orphanStatusCallbacks.errorCode })
      .from(orphanStatusCallbacks)
      .where(eq(orphanStatusCallbacks.providerId, P("sid")))
      .orderBy(orphanStatusCallbacks.id)
      .prepare(),
  ),
};

/**
 * Claims up to `limit` due messages for this process: queued ones and unknown ones whose time has come, and "sending"
 * ones whose lease expired (their process died mid-send). One IMMEDIATE transaction, so two processes never claim the
 * same row.
 */
export function claimDue(db: Db, limit: number, leaseMs: number, now = Date.now()): Claimed[] {
  if (limit <= 0) return [];
  return immediate(db, () => {
    const rows = Q.expired(db).all({ now, limit });
    const keys = Q.heads(db).all({ now, limit: limit - rows.length });
    // An equal share for each key in turn; a key with less due leaves its share to the next claim.
    const share = keys.length ? Math.ceil((limit - rows.length) / keys.length) : 0;
    for (const { key } of keys) {
      if (rows.length >= limit) break;
      rows.push(...Q.oldest(db).all({ key, now, limit: Math.min(share, limit - rows.length) }));
    }
    const served = new Set<string>();
    const claimed = rows.map((r) => {
      served.add(r.fairnessKey);
      const row = Q.take(db).get({ lease: now + leaseMs, now, id: r.id })!;
      return { ...row, previous: { state: r.state, claimedAt: r.claimedAt } };
    });
    for (const key of served) Q.served(db).run({ key, now });
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
  return immediate(db, () => Q.statusDue(db).all({ now, limit }).map((r) => Q.statusTake(db).get({ at: now + leaseMs, id: r.id })!));
}

/** The message a provider knows by this sid (its status callbacks name it so), if any. */
export function messageBySid(db: Db, sid: string): OutboxMessage | undefined {
  return Q.bySid(db).get({ sid });
}

/**
 * Records a provider status on the row: the error code of a failure, and when to check on the message next (null: no
 * more); `resetChecks` restarts the check backoff (a final status whose price is still to come).
 */
export function setProviderStatus(db: Db, id: string, status: string, next: { errorCode: number | null; checkAt: number | null; resetChecks: boolean }): void {
  Q.setStatus(db).run({ id, status, errorCode: next.errorCode, checkAt: next.checkAt, resetChecks: next.resetChecks ? 1 : 0, now: Date.now() });
}

/** Keeps a status callback for a sid we have not recorded yet (a callback can overtake the send's own answer). */
export function keepOrphan(db: Db, report: { sid: string; status: string; errorCode: number | null }): void {
  db.insert(orphanStatusCallbacks).values({ providerId: report.sid, status: report.status, errorCode: report.errorCode }).run();
}

/** Callbacks that arrived for this sid before it was recorded, oldest first, forgotten as they are returned. */
export function takeOrphans(db: Db, sid: string): { status: string; errorCode: number | null }[] {
  // Runs for every message sent: one prepared look-up, which nearly always finds nothing.
  const orphans = Q.orphans(db).all({ sid });
  if (orphans.length) db.delete(orphanStatusCallbacks).where(eq(orphanStatusCallbacks.providerId, sid)).run();
  return orphans;
}

/** Callbacks for sids that never became ours (another app on the same account) are dropped after a day. */
export function pruneOrphans(db: Db, now = Date.now()): void {
  db.delete(orphanStatusCallbacks).where(lt(orphanStatusCallbacks.receivedAt, new Date(now - 24 * 3600_000))).run();
}

export type AttemptOutcome = "sent" | "retry" | "failed" | "unknown" | "found" | "not_found" | "check_failed" | "suppressed" | "refused" | "status";

export function recordAttempt(tx: Db, outboxId: string, startedAt: Date, outcome: AttemptOutcome, detail?: { errorCode?: number | null; detail?: string }) {
  // finishedAt is the row's creation time.
  Q.attempt(tx).run({ outboxId, startedAt: startedAt.getTime(), outcome, errorCode: detail?.errorCode ?? null, detail: detail?.detail ?? null, now: Date.now() });
}

/**
 * Extends this process's claims on messages it is still working on, so a slow send (Twilio timing out page after page
 * of the outcome check) is never taken for a dead process's and handled twice meanwhile.
 */
export function renewLeases(db: Db, ids: readonly string[], until: number): void {
  if (!ids.length) return;
  Q.renew(db).run({ until, ids: JSON.stringify(ids) });
}

export type SettlePatch = Partial<
  Pick<
    OutboxMessage,
    "state" | "nextAttemptAt" | "providerId" | "providerStatus" | "lastError" | "sentAt" | "attemptStartedAt" | "attempts" | "checks" | "statusCheckAt" | "statusChecks" | "segments" | "errorCode"
  >
>;

// One prepared update per shape of patch (which fields it sets): this runs for every message sent.
const settleByShape = new Map<string, (db: Db) => { run(values: Record<string, unknown>): { changes: number } }>();

/** Settles a claimed message, but only while this process still holds its claim (state "sending"). */
export function settle(tx: Db, id: string, patch: SettlePatch): boolean {
  const keys = (Object.keys(patch) as (keyof SettlePatch)[]).filter((k) => patch[k] !== undefined).sort();
  const shape = keys.join(",");
  let query = settleByShape.get(shape);
  if (!query) {
    const set = Object.fromEntries(keys.map((k) => [k, sql`${P(k)}`]));
    settleByShape.set(
      shape,
      (query = preparedQuery((db) =>
        db
          .update(outbox)
          .set({ ...set, leaseUntil: null, updatedAt: sql`${P("updatedAt")}` })
          .where(and(eq(outbox.id, P("id")), eq(outbox.state, "sending")))
          .prepare(),
      )),
    );
  }
  const values: Record<string, unknown> = { id, updatedAt: Date.now() };
  for (const k of keys) {
    const v = patch[k];
    values[k] = v instanceof Date ? v.getTime() : v;
  }
  return query(tx).run(values).changes > 0;
}

/** Within this process's claim: a new send attempt starts now (after an outcome check found no earlier one). */
export function startAttempt(tx: Db, id: string, at: Date): boolean {
  return Q.startAttempt(tx).run({ id, at: at.getTime(), now: Date.now() }).changes > 0;
}

export function attemptsOf(db: Db, outboxId: string) {
  return db.select().from(outboxAttempts).where(eq(outboxAttempts.outboxId, outboxId)).orderBy(outboxAttempts.id).all();
}

/** After a status check: how many were made, when the next is due (null: no more), and what Twilio billed, once known. */
export function recordStatusCheck(db: Db, id: string, statusChecks: number, next: Date | null, found: { segments?: number; priceMicros?: number; priceUnit?: string } = {}): void {
  db.update(outbox).set({ statusChecks, statusCheckAt: next, ...found }).where(eq(outbox.id, id)).run();
}

/** The stored provider status and price of a message (a status check reads them after applying its report). */
export function statusAndPrice(db: Db, id: string): { providerStatus: string | null; priceMicros: number | null } | undefined {
  return db.select({ providerStatus: outbox.providerStatus, priceMicros: outbox.priceMicros }).from(outbox).where(eq(outbox.id, id)).get();
}

/** Forgets fairness keys not served for a day (their members have nothing queued). */
export function pruneFairness(db: Db, now = Date.now()): void {
  db.delete(outboxFairness).where(lt(outboxFairness.lastClaimedAt, now - 24 * 3600_000)).run();
}
