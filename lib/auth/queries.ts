// The sign-in domain's query module: server-side sessions, and the attempts and trusted devices and addresses the
// sign-in limits count. These run on every request (sessions) or every password check: prepared once per connection.
import "server-only";
import { and, count, eq, gt, isNull, lt, min, ne, sql } from "drizzle-orm";
import { preparedQuery, type Db } from "@/db/client";
import { authAttempts, members, sessions, trustedSignIns, type SecondFactor, type SessionEndReason, type Trust } from "@/db/schema";
import type { RollingWindow } from "@/lib/limits";

const P = sql.placeholder;
const at = (name: string) => sql`${P(name)}`;
const window = { n: count(), oldest: min(authAttempts.createdAt) };
const failedSignIns = and(eq(authAttempts.kind, "sign_in"), eq(authAttempts.ok, false), gt(authAttempts.createdAt, at("since")));

const Q = {
  trusted: preparedQuery((db) =>
    db
      .select({ one: sql<number>`1` })
      .from(trustedSignIns)
      .where(
        and(
          eq(trustedSignIns.memberId, P("memberId")),
          eq(trustedSignIns.kind, sql`${P("kind")}`),
          eq(trustedSignIns.value, P("value")),
          gt(trustedSignIns.lastSignInAt, at("since")),
        ),
      )
      .prepare(),
  ),
  anyDevice: preparedQuery((db) =>
    db.select({ one: sql<number>`1` }).from(trustedSignIns).where(and(eq(trustedSignIns.memberId, P("memberId")), eq(trustedSignIns.kind, "device"))).limit(1).prepare(),
  ),
  deviceFailures: preparedQuery((db) => db.select(window).from(authAttempts).where(and(failedSignIns, eq(authAttempts.device, P("value")))).prepare()),
  // A member's own device does not use up their network's allowance (a stranger there cannot lock them out either).
  addressFailures: preparedQuery((db) =>
    db.select(window).from(authAttempts).where(and(failedSignIns, eq(authAttempts.address, P("value")), ne(authAttempts.trust, "device"))).prepare(),
  ),
  accountFailures: preparedQuery((db) =>
    db.select(window).from(authAttempts).where(and(failedSignIns, eq(authAttempts.account, P("value")), eq(authAttempts.trust, "none"))).prepare(),
  ),
  // Wrong second-step codes: per account from browsers that never signed in to it, and per known device.
  twoFactorAccountFailures: preparedQuery((db) =>
    db
      .select(window)
      .from(authAttempts)
      .where(and(eq(authAttempts.kind, "two_factor"), eq(authAttempts.ok, false), gt(authAttempts.createdAt, at("since")), eq(authAttempts.account, P("value")), ne(authAttempts.trust, "device")))
      .prepare(),
  ),
  twoFactorDeviceFailures: preparedQuery((db) =>
    db
      .select(window)
      .from(authAttempts)
      .where(and(eq(authAttempts.kind, "two_factor"), eq(authAttempts.ok, false), gt(authAttempts.createdAt, at("since")), eq(authAttempts.device, P("value")), eq(authAttempts.trust, "device")))
      .prepare(),
  ),
  signUps: preparedQuery((db) =>
    db
      .select(window)
      .from(authAttempts)
      .where(and(eq(authAttempts.kind, "sign_up"), eq(authAttempts.address, P("value")), gt(authAttempts.createdAt, at("since"))))
      .prepare(),
  ),
  record: preparedQuery((db) =>
    db
      .insert(authAttempts)
      .values({ kind: at("kind"), account: at("account"), address: at("address"), device: at("device"), trust: at("trust"), ok: at("ok"), createdAt: at("now") })
      .prepare(),
  ),
  trust: preparedQuery((db) =>
    db
      .insert(trustedSignIns)
      .values({ memberId: at("memberId"), kind: at("kind"), value: at("value"), lastSignInAt: at("now") })
      .onConflictDoUpdate({ target: [trustedSignIns.memberId, trustedSignIns.kind, trustedSignIns.value], set: { lastSignInAt: sql`excluded.last_sign_in_at` } })
      .prepare(),
  ),
  prune: preparedQuery((db) => db.delete(authAttempts).where(lt(authAttempts.createdAt, at("before"))).prepare()),
  insertSession: preparedQuery((db) =>
    db
      .insert(sessions)
      .values({ id: at("id"), memberId: at("memberId"), createdAt: at("now"), lastSeenAt: at("now"), address: at("address"), userAgent: at("userAgent"), secondFactor: at("secondFactor") })
      .prepare(),
  ),
  // One indexed read per request: the session is live, and its member exists and is not disabled.
  live: preparedQuery((db) =>
    db
      .select({ lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .innerJoin(members, eq(members.id, sessions.memberId))
      .where(and(eq(sessions.id, P("id")), eq(sessions.memberId, P("memberId")), isNull(sessions.endedAt), isNull(members.disabledAt), gt(sessions.lastSeenAt, at("since"))))
      .prepare(),
  ),
  touch: preparedQuery((db) => db.update(sessions).set({ lastSeenAt: at("now") }).where(eq(sessions.id, P("id"))).prepare()),
  end: preparedQuery((db) =>
    db.update(sessions).set({ endedAt: at("now"), endedReason: at("reason") }).where(and(eq(sessions.id, P("id")), isNull(sessions.endedAt))).prepare(),
  ),
  endMember: preparedQuery((db) =>
    db
      .update(sessions)
      .set({ endedAt: at("now"), endedReason: at("reason") })
      .where(and(eq(sessions.memberId, P("memberId")), isNull(sessions.endedAt), ne(sessions.id, P("keep"))))
      .prepare(),
  ),
};

/** What a limit counts (lib/limits.ts). */
export type Window = RollingWindow;

/** Whether `value` (a device hash or an address) signed in to this member since `since` (ms). */
export function isTrusted(db: Db, memberId: string, kind: "device" | "address", value: string, since: number): boolean {
  return Boolean(Q.trusted(db).get({ memberId, kind, value, since }));
}

/** Whether any browser has signed in to this member before (a first sign-in is no "new device" to alert about). */
export function hasSignedInBefore(db: Db, memberId: string): boolean {
  return Boolean(Q.anyDevice(db).get({ memberId }));
}

/** Failed sign-ins (or, for "signUps", account creations) counted against one key since `since` (ms), and the oldest. */
export function attemptsSince(
  db: Db,
  what: "deviceFailures" | "addressFailures" | "accountFailures" | "signUps" | "twoFactorAccountFailures" | "twoFactorDeviceFailures",
  value: string,
  since: number,
): Window {
  return Q[what](db).get({ value, since }) ?? { n: 0, oldest: null };
}

export function recordAttempt(
  db: Db,
  a: { kind: "sign_in" | "sign_up" | "two_factor"; account: string; address: string | null; device: string | null; trust: Trust; ok: boolean },
  now: number,
): void {
  Q.record(db).run({ ...a, ok: a.ok ? 1 : 0, now });
}

export function trustSignIn(db: Db, memberId: string, kind: "device" | "address", value: string, now: number): void {
  Q.trust(db).run({ memberId, kind, value, now });
}

export function pruneAttempts(db: Db, before: number): void {
  Q.prune(db).run({ before });
}

export function insertSession(db: Db, s: { id: string; memberId: string; address: string | null; userAgent: string | null; secondFactor: SecondFactor | null }, now: number): void {
  Q.insertSession(db).run({ ...s, now });
}

/** How the session passed its second step (null: password alone), or undefined when it is not live. */
export function sessionSecondFactor(db: Db, id: string): SecondFactor | null | undefined {
  const row = db.select({ secondFactor: sessions.secondFactor }).from(sessions).where(and(eq(sessions.id, id), isNull(sessions.endedAt))).get();
  return row ? row.secondFactor : undefined;
}

/** The live session's last use (ms), or undefined when it is ended, idle since `since`, or its member is disabled. */
export function liveSessionSeenAt(db: Db, id: string, memberId: string, since: number): number | undefined {
  return Q.live(db).get({ id, memberId, since })?.lastSeenAt.getTime();
}

export function touchSession(db: Db, id: string, now: number): void {
  Q.touch(db).run({ id, now });
}

export function endSessionRow(db: Db, id: string, reason: SessionEndReason, now: number): void {
  Q.end(db).run({ id, reason, now });
}

/** Ends the member's open sessions except `keep`; returns how many. */
export function endMemberSessionRows(db: Db, memberId: string, reason: SessionEndReason, keep: string, now: number): number {
  return Q.endMember(db).run({ memberId, reason, keep, now }).changes;
}

/** Sets the member's password hash (and, when given, the time their address was proven), inside the caller's transaction. */
export function setPasswordHash(tx: Db, memberId: string, passwordHash: string, emailVerifiedAt?: Date): void {
  tx.update(members)
    .set({ passwordHash, ...(emailVerifiedAt ? { emailVerifiedAt } : {}) })
    .where(eq(members.id, memberId))
    .run();
}
