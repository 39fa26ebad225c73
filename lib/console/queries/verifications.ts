// Verification sessions for the console: counts per day by status and method, start-to-result times, filtered pages and
// one session with the notifications Yoti sent about it.
import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { utcDayOf } from "@/db/sql";
import { members, verificationNotifications, verificationSessions } from "@/db/schema";

/** The status as members see it: an unfinished session past its expiry counts as EXPIRED. */
const effectiveStatus = (now: Date) =>
  sql<string>`case when ${verificationSessions.status} in ('PENDING', 'IN_PROGRESS') and ${verificationSessions.expiresAt} <= ${now.getTime()} then 'EXPIRED' else ${verificationSessions.status} end`;

export type SessionQuery = { from: Date; until: Date; status?: string; method?: string; memberId?: string };

function where(q: SessionQuery, now: Date): SQL {
  const c: SQL[] = [gte(verificationSessions.createdAt, q.from), lt(verificationSessions.createdAt, q.until)];
  if (q.status) c.push(sql`${effectiveStatus(now)} = ${q.status}`);
  if (q.method) c.push(q.method === "NONE" ? sql`${verificationSessions.method} is null` : eq(verificationSessions.method, q.method));
  if (q.memberId) c.push(eq(verificationSessions.memberId, q.memberId));
  return and(...c)!;
}

export function countsPerDay(db: Db, from: Date, until: Date, now: Date) {
  const day = utcDayOf(verificationSessions.createdAt);
  const status = effectiveStatus(now);
  return db
    .select({ day, status, method: verificationSessions.method, n: count() })
    .from(verificationSessions)
    .where(and(gte(verificationSessions.createdAt, from), lt(verificationSessions.createdAt, until)))
    .groupBy(day, status, verificationSessions.method)
    .all();
}

/** Milliseconds from start to result of the sessions that reached COMPLETE or FAIL in the period. */
export function resultTimes(db: Db, from: Date, until: Date): number[] {
  return db
    .select({ ms: sql<number>`${verificationSessions.finishedAt} - ${verificationSessions.createdAt}`.mapWith(Number) })
    .from(verificationSessions)
    .where(and(gte(verificationSessions.createdAt, from), lt(verificationSessions.createdAt, until), inArray(verificationSessions.status, ["COMPLETE", "FAIL"]), isNotNull(verificationSessions.finishedAt)))
    .all()
    .map((r) => r.ms);
}

const sessionColumns = {
  id: verificationSessions.id,
  memberId: verificationSessions.memberId,
  memberEmail: members.email,
  status: verificationSessions.status,
  method: verificationSessions.method,
  rejectedReason: verificationSessions.rejectedReason,
  evidenceId: verificationSessions.evidenceId,
  request: verificationSessions.request,
  history: verificationSessions.history,
  createdAt: verificationSessions.createdAt,
  finishedAt: verificationSessions.finishedAt,
  expiresAt: verificationSessions.expiresAt,
  checkedAt: verificationSessions.checkedAt,
  rawPurgedAt: verificationSessions.rawPurgedAt,
};

const selectSessions = (db: Db) => db.select(sessionColumns).from(verificationSessions).innerJoin(members, eq(members.id, verificationSessions.memberId));

export function sessionPage(db: Db, q: SessionQuery, now: Date, page: number, pageSize: number) {
  return selectSessions(db)
    .where(where(q, now))
    .orderBy(desc(verificationSessions.createdAt))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
}
export type SessionRow = ReturnType<typeof sessionPage>[number];

export function sessionCount(db: Db, q: SessionQuery, now: Date): number {
  return db.select({ n: count() }).from(verificationSessions).where(where(q, now)).get()?.n ?? 0;
}

export function sessionById(db: Db, id: string) {
  const session = selectSessions(db).where(eq(verificationSessions.id, id)).get();
  if (!session) return null;
  const notifications = db.select().from(verificationNotifications).where(eq(verificationNotifications.sessionId, id)).orderBy(asc(verificationNotifications.receivedAt)).all();
  return { session, notifications };
}
