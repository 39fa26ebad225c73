// The verification domain's query module: our verification sessions over the database (look-ups scoped to a member,
// status history, and monotonic results), the notifications Yoti sends us, and the verification fields of profiles.
import "server-only";
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { immediate, type Db, type Tx } from "@/db/client";
import {
  profiles,
  verificationNotifications,
  verificationSessions,
  type StatusChange,
  type VerificationSession,
  type YotiVerificationData,
} from "@/db/schema";
import type { SessionResult } from "@/lib/yoti/schemas";
import { ACTIVE_STATUSES, FINAL_STATUSES, isActiveStatus } from "./status";

/** Stores a new session and names it on the member's profile as their latest, inside the caller's transaction. */
export function insertVerificationSession(tx: Tx, values: typeof verificationSessions.$inferInsert): VerificationSession {
  const row = tx.insert(verificationSessions).values(values).returning().get();
  tx.update(profiles).set({ yotiSessionId: values.id }).where(eq(profiles.memberId, values.memberId)).run();
  return row;
}

/** Records a notification from Yoti; undefined when one with its id was recorded before. */
export function recordNotification(db: Db, values: typeof verificationNotifications.$inferInsert): typeof verificationNotifications.$inferSelect | undefined {
  return db.insert(verificationNotifications).values(values).onConflictDoNothing().returning().get();
}

/** Counts one more arrival of a notification already recorded. */
export function countDuplicateNotification(db: Db, id: string): void {
  db.update(verificationNotifications).set({ duplicates: sql`${verificationNotifications.duplicates} + 1` }).where(eq(verificationNotifications.id, id)).run();
}

/** A member's own session; another member's id is indistinguishable from one that does not exist. */
export function findMemberSession(db: Db, memberId: string, sessionId: string): VerificationSession | undefined {
  return db
    .select()
    .from(verificationSessions)
    .where(and(eq(verificationSessions.id, sessionId), eq(verificationSessions.memberId, memberId)))
    .get();
}

export function findSession(db: Db, sessionId: string): VerificationSession | undefined {
  return db.select().from(verificationSessions).where(eq(verificationSessions.id, sessionId)).get();
}

export function latestSession(db: Db, memberId: string): VerificationSession | undefined {
  return db.select().from(verificationSessions).where(eq(verificationSessions.memberId, memberId)).orderBy(desc(verificationSessions.createdAt)).limit(1).get();
}

/** An unfinished session that still has `marginMs` to run: Yoti bills per session, so it is reused. */
export function reusableSession(db: Db, memberId: string, now: Date, marginMs = 120_000): VerificationSession | undefined {
  return db
    .select()
    .from(verificationSessions)
    .where(
      and(
        eq(verificationSessions.memberId, memberId),
        inArray(verificationSessions.status, [...ACTIVE_STATUSES]),
        gt(verificationSessions.expiresAt, new Date(now.getTime() + marginMs)),
      ),
    )
    .orderBy(desc(verificationSessions.createdAt))
    .limit(1)
    .get();
}

/** The status to show: an unfinished session past its expiry is EXPIRED even before Yoti tells us. */
export function effectiveStatus(session: Pick<VerificationSession, "status" | "expiresAt">, now: Date): string {
  return isActiveStatus(session.status) && session.expiresAt.getTime() <= now.getTime() ? "EXPIRED" : session.status;
}

export function recordRejection(db: Db, sessionId: string, reason: string, now: Date): void {
  db.update(verificationSessions).set({ rejectedReason: reason, checkedAt: now }).where(eq(verificationSessions.id, sessionId)).run();
}

/**
 * Applies a validated result in one transaction. COMPLETE wins and is never downgraded: a late FAIL (out-of-order
 * delivery, a stale read) changes neither a COMPLETE session nor a verified profile.
 */
export function applyResult(db: Db, sessionId: string, result: SessionResult, source: StatusChange["source"], now: Date): VerificationSession {
  return immediate(db, () => {
    const current = db.select().from(verificationSessions).where(eq(verificationSessions.id, sessionId)).get();
    if (!current) throw new Error(`unknown verification session ${sessionId}`);
    const keep = current.status === "COMPLETE";
    const status = keep ? current.status : result.status;
    const history = status !== current.status ? [...current.history, { status, at: now.toISOString(), source }] : current.history;
    const updated = db
      .update(verificationSessions)
      .set({
        status,
        history,
        method: keep ? current.method : (result.method ?? current.method),
        evidenceId: keep ? current.evidenceId : (result.evidence_id ?? current.evidenceId),
        rejectedReason: null,
        checkedAt: now,
        ...(!current.finishedAt && (FINAL_STATUSES as readonly string[]).includes(status) ? { finishedAt: now } : {}),
      })
      .where(eq(verificationSessions.id, sessionId))
      .returning()
      .get();

    if (status === "COMPLETE") {
      const profile = db.select().from(profiles).where(eq(profiles.memberId, current.memberId)).get();
      if (profile && !profile.yotiVerified) {
        const data: YotiVerificationData = {
          method: updated.method ?? null,
          status: "COMPLETE",
          type: current.request.type,
          threshold: updated.method ? (current.request.thresholds[updated.method as keyof typeof current.request.thresholds] ?? null) : null,
          evidenceId: updated.evidenceId ?? null,
          sessionId,
          checkedAt: now.toISOString(),
        };
        db.update(profiles)
          .set({ yotiVerified: true, isOver18: current.request.ageThreshold >= 18, yotiVerificationDate: now, yotiSessionId: sessionId, yotiVerificationData: data })
          .where(eq(profiles.memberId, current.memberId))
          .run();
      }
    }
    return updated;
  });
}
