// Data access for members' privacy: everything stored about one member (for the export and the deletion), and the
// retention job's batched purges. Each purge works in batches so sends and sign-ins never wait long for the write lock.
import "server-only";
import { and, asc, count, eq, inArray, isNotNull, isNull, lt, ne, notInArray, or, sql } from "drizzle-orm";
import { immediate, type Db, type Tx } from "@/db/client";
import { utcDayOf } from "@/db/sql";
import {
  accountLinks,
  announcementConsents,
  announcementPreferences,
  anonymisedSignalCounts,
  apiTokens,
  authAttempts,
  members,
  alertPreferences,
  notifications,
  outbox,
  profiles,
  recoveryCodes,
  rememberedDevices,
  sandboxMailMessages,
  sandboxTwilioMessages,
  sessions,
  smokeSignalEvents,
  smokeSignals,
  twoFactor,
  verificationNotifications,
  verificationSessions,
  type YotiVerificationData,
} from "@/db/schema";

// ---- One member's data -------------------------------------------------------------------------------------------

export function memberRecords(db: Db, memberId: string) {
  const member = db.select().from(members).where(eq(members.id, memberId)).get();
  if (!member) return null;
  const sessionIds = db.select({ id: verificationSessions.id }).from(verificationSessions).where(eq(verificationSessions.memberId, memberId));
  return {
    member,
    profile: db.select().from(profiles).where(eq(profiles.memberId, memberId)).get() ?? null,
    verificationSessions: db.select().from(verificationSessions).where(eq(verificationSessions.memberId, memberId)).orderBy(asc(verificationSessions.createdAt)).all(),
    verificationNotifications: db.select().from(verificationNotifications).where(inArray(verificationNotifications.sessionId, sessionIds)).orderBy(asc(verificationNotifications.receivedAt)).all(),
    smokeSignals: db.select().from(smokeSignals).where(eq(smokeSignals.senderId, memberId)).orderBy(asc(smokeSignals.createdAt)).all(),
    smokeSignalEvents: db
      .select()
      .from(smokeSignalEvents)
      .where(inArray(smokeSignalEvents.signalId, db.select({ id: smokeSignals.id }).from(smokeSignals).where(eq(smokeSignals.senderId, memberId))))
      .orderBy(asc(smokeSignalEvents.id))
      .all(),
    notifications: db.select().from(notifications).where(eq(notifications.memberId, memberId)).orderBy(asc(notifications.createdAt)).all(),
    apiTokens: db.select().from(apiTokens).where(eq(apiTokens.memberId, memberId)).orderBy(asc(apiTokens.createdAt)).all(),
    preferences: db.select().from(alertPreferences).where(eq(alertPreferences.memberId, memberId)).orderBy(asc(alertPreferences.event)).all(),
    announcementPreferences: db.select().from(announcementPreferences).where(eq(announcementPreferences.memberId, memberId)).get() ?? null,
    announcementConsents: db.select().from(announcementConsents).where(eq(announcementConsents.memberId, memberId)).orderBy(asc(announcementConsents.at), asc(announcementConsents.id)).all(),
    twoFactor: db.select().from(twoFactor).where(eq(twoFactor.memberId, memberId)).get() ?? null,
    recoveryCodes: db.select({ createdAt: recoveryCodes.createdAt, usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(eq(recoveryCodes.memberId, memberId)).all(),
    rememberedDevices: db.select().from(rememberedDevices).where(eq(rememberedDevices.memberId, memberId)).orderBy(asc(rememberedDevices.createdAt)).all(),
    sessions: db.select().from(sessions).where(eq(sessions.memberId, memberId)).orderBy(asc(sessions.createdAt)).all(),
    messages: db.select().from(outbox).where(eq(outbox.memberId, memberId)).orderBy(asc(outbox.createdAt)).all(),
  };
}

/** Active admins other than `memberId` (nobody deletes or demotes the last one). */
export function otherActiveAdmins(db: Tx, memberId: string): number {
  return db.select({ n: count() }).from(members).where(and(eq(members.role, "admin"), isNull(members.disabledAt), ne(members.id, memberId))).get()?.n ?? 0;
}

/** Cancels the member's messages not sent yet; returns how many. */
export function cancelPendingMessages(tx: Tx, memberId: string, why: string): number {
  return tx
    .update(outbox)
    .set({ state: "cancelled", lastError: why, statusCheckAt: null })
    .where(and(eq(outbox.memberId, memberId), inArray(outbox.state, ["queued", "unknown"])))
    .run().changes;
}

/**
 * The member's messages stay for usage and cost (channel, status, segments, price, dates), without anything personal:
 * the recipient is masked, the body and subject go, and the row no longer names the member.
 */
export function anonymiseMessages(tx: Tx, memberId: string, mask: (recipient: string) => string, now: Date): number {
  const rows = tx.select({ id: outbox.id, recipient: outbox.recipient }).from(outbox).where(eq(outbox.memberId, memberId)).all();
  for (const r of rows) {
    tx.update(outbox).set({ recipient: mask(r.recipient), body: "", html: null, subject: null, memberId: null, bodyPurgedAt: now }).where(eq(outbox.id, r.id)).run();
  }
  return rows.length;
}

/** Adds the member's smoke signals to the anonymised counts (day, channel, final status); returns how many. */
export function countSignalsAnonymously(tx: Tx, memberId: string): number {
  const day = utcDayOf(smokeSignals.createdAt);
  const groups = tx
    .select({ day, channel: smokeSignals.channel, status: smokeSignals.status, n: count() })
    .from(smokeSignals)
    .where(eq(smokeSignals.senderId, memberId))
    .groupBy(day, smokeSignals.channel, smokeSignals.status)
    .all();
  for (const g of groups) {
    tx.insert(anonymisedSignalCounts)
      .values({ day: g.day, channel: g.channel, status: g.status, count: g.n })
      .onConflictDoUpdate({ target: [anonymisedSignalCounts.day, anonymisedSignalCounts.channel, anonymisedSignalCounts.status], set: { count: sql`${anonymisedSignalCounts.count} + ${g.n}` } })
      .run();
  }
  return groups.reduce((n, g) => n + g.n, 0);
}

/**
 * Deletes the member and, through the foreign keys, their profile, sessions (signed out everywhere), verification
 * sessions, smoke signals and their timelines, API tokens, notifications and preferences. Yoti's notifications (no
 * foreign key) and the sign-in attempts naming their email go explicitly.
 */
export function deleteMemberRows(tx: Tx, member: { id: string; email: string }): void {
  const sessionIds = tx.select({ id: verificationSessions.id }).from(verificationSessions).where(eq(verificationSessions.memberId, member.id));
  tx.delete(verificationNotifications).where(inArray(verificationNotifications.sessionId, sessionIds)).run();
  tx.delete(authAttempts).where(eq(authAttempts.account, member.email)).run();
  tx.delete(members).where(eq(members.id, member.id)).run();
}

export function anonymisedCounts(db: Db) {
  return db
    .select({ channel: anonymisedSignalCounts.channel, status: anonymisedSignalCounts.status, n: sql<number>`sum(${anonymisedSignalCounts.count})`.mapWith(Number) })
    .from(anonymisedSignalCounts)
    .groupBy(anonymisedSignalCounts.channel, anonymisedSignalCounts.status)
    .all();
}

// ---- Retention -----------------------------------------------------------------------------------------------------

const BATCH = 2_000;

/** Runs `purge` on batches of ids until a batch comes back short; returns the total. */
function inBatches(db: Db, pick: (tx: Tx) => string[], purge: (tx: Tx, ids: string[]) => void): number {
  let total = 0;
  for (;;) {
    const n = immediate(db, () => {
      const ids = pick(db);
      if (ids.length) purge(db, ids);
      return ids.length;
    });
    total += n;
    if (n < BATCH) return total;
  }
}

/** Message bodies of messages past their sending, created before `cutoff`. */
export function purgeMessageBodies(db: Db, cutoff: Date, now: Date): number {
  return inBatches(
    db,
    (tx) =>
      tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(lt(outbox.createdAt, cutoff), isNull(outbox.bodyPurgedAt), inArray(outbox.state, ["sent", "failed", "cancelled"])))
        .limit(BATCH)
        .all()
        .map((r) => r.id),
    (tx, ids) => tx.update(outbox).set({ body: "", html: null, bodyPurgedAt: now }).where(inArray(outbox.id, ids)).run(),
  );
}

/** What members wrote in smoke signals created before `cutoff` (status, channel and dates stay). */
export function purgeSignalMessages(db: Db, cutoff: Date): number {
  return inBatches(
    db,
    (tx) =>
      tx
        .select({ id: smokeSignals.id })
        .from(smokeSignals)
        .where(and(lt(smokeSignals.createdAt, cutoff), ne(smokeSignals.message, "")))
        .limit(BATCH)
        .all()
        .map((r) => r.id),
    (tx, ids) => tx.update(smokeSignals).set({ message: "" }).where(inArray(smokeSignals.id, ids)).run(),
  );
}

/** Yoti's evidence ids of finished sessions created before `cutoff` (status, method and dates stay). */
export function purgeVerificationResults(db: Db, cutoff: Date, now: Date): number {
  return inBatches(
    db,
    (tx) =>
      tx
        .select({ id: verificationSessions.id })
        .from(verificationSessions)
        .where(and(lt(verificationSessions.createdAt, cutoff), isNull(verificationSessions.rawPurgedAt), notInArray(verificationSessions.status, ["PENDING", "IN_PROGRESS"])))
        .limit(BATCH)
        .all()
        .map((r) => r.id),
    (tx, ids) => tx.update(verificationSessions).set({ evidenceId: null, rawPurgedAt: now }).where(inArray(verificationSessions.id, ids)).run(),
  );
}

/** Yoti's notifications received before `cutoff` (they only de-duplicate retries, which stop within days). */
export function purgeVerificationNotifications(db: Db, cutoff: Date): number {
  return db.delete(verificationNotifications).where(lt(verificationNotifications.receivedAt, cutoff)).run().changes;
}

/**
 * Profiles verified before `cutoff` keep verified, method, date, status, type and threshold; Yoti's evidence id and an
 * estimated age (type AGE) go.
 */
export function purgeProfileResults(db: Db, cutoff: Date): number {
  const rows = db
    .select({ memberId: profiles.memberId, data: profiles.yotiVerificationData })
    .from(profiles)
    .where(and(lt(profiles.yotiVerificationDate, cutoff), isNotNull(profiles.yotiVerificationData)))
    .all()
    .filter((r) => r.data && (r.data.evidenceId !== null || (r.data.age !== undefined && r.data.age !== null)));
  for (const r of rows) {
    const kept: YotiVerificationData = { ...r.data!, evidenceId: null };
    delete kept.age;
    db.update(profiles).set({ yotiVerificationData: kept }).where(eq(profiles.memberId, r.memberId)).run();
  }
  return rows.length;
}

/** The sandbox emulators' copies of message bodies and caught mail (sandbox mode; empty in live mode). */
export function purgeSandboxBodies(db: Db, cutoff: Date): number {
  const twilio = db.update(sandboxTwilioMessages).set({ body: "" }).where(and(lt(sandboxTwilioMessages.dateCreated, cutoff.getTime()), ne(sandboxTwilioMessages.body, ""))).run().changes;
  const mail = db
    .update(sandboxMailMessages)
    .set({ text: "", html: null })
    .where(and(lt(sandboxMailMessages.createdAt, cutoff), or(ne(sandboxMailMessages.text, ""), isNotNull(sandboxMailMessages.html))))
    .run().changes;
  return twilio + mail;
}

/** Emailed account links and the requests recorded with them (addresses, a sign-up's password hash) expired before `before`. */
export function purgeExpiredLinks(db: Db, before: Date): number {
  return inBatches(
    db,
    (tx) =>
      tx
        .select({ id: accountLinks.tokenHash })
        .from(accountLinks)
        .where(lt(accountLinks.expiresAt, before))
        .limit(BATCH)
        .all()
        .map((r) => r.id),
    (tx, ids) => tx.delete(accountLinks).where(inArray(accountLinks.tokenHash, ids)).run(),
  );
}

/**
 * Sign-in sessions over before `before` (ended then, or last used `idleMs` before it, when a session expires unused),
 * with the address and browser they recorded.
 */
export function purgeOldSessions(db: Db, before: Date, idleMs: number): number {
  return inBatches(
    db,
    (tx) =>
      tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(or(lt(sessions.endedAt, before), and(isNull(sessions.endedAt), lt(sessions.lastSeenAt, new Date(before.getTime() - idleMs)))))
        .limit(BATCH)
        .all()
        .map((r) => r.id),
    (tx, ids) => tx.delete(sessions).where(inArray(sessions.id, ids)).run(),
  );
}
