// Members for the console: search with verification status at a glance, one member's record and counts, and the
// role and disabled changes (the caller wraps them in a transaction with the audit entry).
import "server-only";
import { and, count, desc, eq, gt, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { containsText } from "@/db/sql";
import { apiTokens, members, profiles, sessions, smokeSignals, verificationSessions, type Role } from "@/db/schema";

export type MemberQuery = { q?: string; role?: Role; state?: "active" | "disabled"; verified?: boolean };

function where(f: MemberQuery): SQL | undefined {
  const c: SQL[] = [];
  if (f.q) c.push(or(containsText(members.email, f.q), containsText(profiles.screenName, f.q), eq(members.id, f.q))!);
  if (f.role) c.push(eq(members.role, f.role));
  if (f.state) c.push(f.state === "disabled" ? isNotNull(members.disabledAt) : isNull(members.disabledAt));
  if (f.verified !== undefined) c.push(eq(profiles.yotiVerified, f.verified));
  return c.length ? and(...c) : undefined;
}

const memberColumns = {
  id: members.id,
  email: members.email,
  role: members.role,
  disabledAt: members.disabledAt,
  sandboxDemo: members.sandboxDemo,
  createdAt: members.createdAt,
  screenName: profiles.screenName,
  verified: profiles.yotiVerified,
  verifiedAt: profiles.yotiVerificationDate,
  verification: profiles.yotiVerificationData,
};

const selectMembers = (db: Tx) => db.select(memberColumns).from(members).leftJoin(profiles, eq(profiles.memberId, members.id));

export function memberPage(db: Db, f: MemberQuery, page: number, pageSize: number) {
  return selectMembers(db)
    .where(where(f))
    .orderBy(desc(members.createdAt), desc(members.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
}
export type MemberRow = ReturnType<typeof memberPage>[number];

export function memberCount(db: Db, f: MemberQuery): number {
  return db.select({ n: count() }).from(members).leftJoin(profiles, eq(profiles.memberId, members.id)).where(where(f)).get()?.n ?? 0;
}

export function memberRow(db: Tx, id: string): MemberRow | undefined {
  return selectMembers(db).where(eq(members.id, id)).get();
}

/** What an operator wants to know about one member beyond the row: activity counts and recent verification sessions. */
export function memberActivity(db: Db, id: string, now: Date) {
  const liveSince = new Date(now.getTime() - 30 * 24 * 3600_000);
  return {
    smokeSignals: db.select({ n: count() }).from(smokeSignals).where(eq(smokeSignals.senderId, id)).get()?.n ?? 0,
    liveSessions: db.select({ n: count() }).from(sessions).where(and(eq(sessions.memberId, id), isNull(sessions.endedAt), gt(sessions.lastSeenAt, liveSince))).get()?.n ?? 0,
    activeTokens: db.select({ n: count() }).from(apiTokens).where(and(eq(apiTokens.memberId, id), isNull(apiTokens.revokedAt))).get()?.n ?? 0,
    recentSessions: db
      .select({ id: verificationSessions.id, status: verificationSessions.status, method: verificationSessions.method, createdAt: verificationSessions.createdAt, expiresAt: verificationSessions.expiresAt })
      .from(verificationSessions)
      .where(eq(verificationSessions.memberId, id))
      .orderBy(desc(verificationSessions.createdAt))
      .limit(5)
      .all(),
  };
}

export function setRole(tx: Tx, id: string, role: Role): void {
  tx.update(members).set({ role }).where(eq(members.id, id)).run();
}

export function setDisabled(tx: Tx, id: string, disabledAt: Date | null): void {
  tx.update(members).set({ disabledAt }).where(eq(members.id, id)).run();
}
