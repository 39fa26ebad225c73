// The smoke-signal domain's query module: signals as the API shows them (a member sees only their own, an admin sees
// all; recipients are masked), new signals and their joins by invitees, their status and timeline as delivery reports
// arrive, the rolling limits' windows, the daily SMS budget and the SMS suppression list.
import "server-only";
import { and, asc, count, desc, eq, gte, isNull, min, sql } from "drizzle-orm";
import { preparedQuery, type Db, type Tx } from "@/db/client";
import {
  profiles,
  smokeSignalEvents,
  smokeSignals,
  smsDailyUsage,
  suppressions,
  type Member,
  type SignalStatus,
  type SmokeSignal,
  type SmokeSignalEvent,
  type SmsSuppressionSource,
} from "@/db/schema";
import { maskRecipient } from "./compose";

export type SignalView = {
  id: string;
  channel: SmokeSignal["channel"];
  to: string;
  message: string;
  status: SmokeSignal["status"];
  providerStatus: string | null;
  errorCode: number | null;
  reason: string | null;
  joined: boolean;
  joinedAt: string | null;
  createdAt: string;
  updatedAt: string;
  senderId?: string;
};

export type TimelineEntry = { at: string; status: SmokeSignalEvent["status"]; providerStatus: string | null; errorCode: number | null; note: string | null };

export function toView(s: SmokeSignal, viewer: Member): SignalView {
  return {
    id: s.id,
    channel: s.channel,
    to: maskRecipient(s.recipient),
    message: s.message,
    status: s.status,
    providerStatus: s.providerStatus,
    errorCode: s.errorCode,
    reason: s.reason,
    joined: s.joinedAt !== null,
    joinedAt: s.joinedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    ...(viewer.role === "admin" ? { senderId: s.senderId } : {}),
  };
}

const visibleTo = (viewer: Member) => (viewer.role === "admin" ? undefined : eq(smokeSignals.senderId, viewer.id));

export function listSignals(db: Db, viewer: Member, page: number, pageSize: number) {
  const where = visibleTo(viewer);
  const rows = db
    .select()
    .from(smokeSignals)
    .where(where)
    // rowid breaks ties between signals created in the same millisecond, in insertion order.
    .orderBy(desc(smokeSignals.createdAt), desc(sql`${smokeSignals}.rowid`))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const total = db.select({ n: count() }).from(smokeSignals).where(where).get()?.n ?? 0;
  return { items: rows.map((r) => toView(r, viewer)), page, pageSize, total, hasMore: page * pageSize < total };
}

/** One signal with its timeline, or null when it does not exist or is not the viewer's to see. */
export function getSignal(db: Db, viewer: Member, id: string): (SignalView & { timeline: TimelineEntry[] }) | null {
  const where = visibleTo(viewer);
  const row = db.select().from(smokeSignals).where(where ? and(eq(smokeSignals.id, id), where) : eq(smokeSignals.id, id)).get();
  if (!row) return null;
  const events = db.select().from(smokeSignalEvents).where(eq(smokeSignalEvents.signalId, id)).orderBy(asc(smokeSignalEvents.id)).all();
  return {
    ...toView(row, viewer),
    timeline: events.map((e) => ({ at: e.at.toISOString(), status: e.status, providerStatus: e.providerStatus, errorCode: e.errorCode, note: e.note })),
  };
}

const P = sql.placeholder;

// Every status report of every message lands here: prepared once per connection (db/client.ts).
const Q = {
  status: preparedQuery((db) =>
    db
      .select({ status: smokeSignals.status, providerStatus: smokeSignals.providerStatus, errorCode: smokeSignals.errorCode, reason: smokeSignals.reason, providerSid: smokeSignals.providerSid })
      .from(smokeSignals)
      .where(eq(smokeSignals.id, P("id")))
      .prepare(),
  ),
  setStatus: preparedQuery((db) =>
    db
      .update(smokeSignals)
      .set({ status: sql`${P("status")}`, providerStatus: sql`${P("providerStatus")}`, errorCode: sql`${P("errorCode")}`, reason: sql`${P("reason")}`, updatedAt: sql`${P("now")}` })
      .where(eq(smokeSignals.id, P("id")))
      .prepare(),
  ),
  // Apart from the state: an UPDATE that names an indexed column rewrites its index entry even to the same value
  // (SQLite does), and a signal's sid is set once, by the send's answer, not by every status after it.
  setSid: preparedQuery((db) => db.update(smokeSignals).set({ providerSid: sql`${P("providerSid")}` }).where(eq(smokeSignals.id, P("id"))).prepare()),
  addEvent: preparedQuery((db) =>
    db
      .insert(smokeSignalEvents)
      .values({
        signalId: sql`${P("signalId")}`,
        status: sql`${P("status")}`,
        providerStatus: sql`${P("providerStatus")}`,
        errorCode: sql`${P("errorCode")}`,
        note: sql`${P("note")}`,
        at: sql`${P("now")}`,
      })
      .prepare(),
  ),
};

export type SignalState = { status: SignalStatus; providerStatus: string | null; errorCode: number | null; reason: string | null; providerSid: string | null };

/** A signal's delivery state, as its status changes read it. */
export function signalState(db: Db, id: string): SignalState | undefined {
  return Q.status(db).get({ id });
}

/** Writes a signal's delivery state; `providerSid` only when it is new (its index is then the only one touched). */
export function writeSignalState(db: Db, id: string, state: Omit<SignalState, "providerSid"> & { providerSid?: string }, now: number): void {
  const { providerSid, ...rest } = state;
  Q.setStatus(db).run({ id, ...rest, now });
  if (providerSid !== undefined) Q.setSid(db).run({ id, providerSid });
}

export function addTimelineEntry(db: Db, signalId: string, entry: { status: SignalStatus; providerStatus: string | null; errorCode: number | null; note: string | null }, now: number): void {
  Q.addEvent(db).run({ signalId, ...entry, now });
}

/** Signals sent since `since` (ms) by one sender, to one recipient (key) or from one client address, and the oldest. */
export function signalsSince(db: Db, by: "sender" | "recipient" | "ip", value: string, since: number): { n: number; oldest: Date | null } {
  const column = by === "sender" ? smokeSignals.senderId : by === "recipient" ? smokeSignals.recipientKey : smokeSignals.ip;
  return db
    .select({ n: count(), oldest: min(smokeSignals.createdAt) })
    .from(smokeSignals)
    .where(and(eq(column, value), gte(smokeSignals.createdAt, new Date(since))))
    .get()!;
}

/** Platform SMS counted on a UTC day: all countries together, and to one country ("" for numbers without one). */
export function smsUsedOn(db: Db, day: string, country: string): { total: number; country: number } {
  const row = db
    .select({
      total: sql<number>`coalesce(sum(${smsDailyUsage.count}), 0)`,
      country: sql<number>`coalesce(sum(case when ${smsDailyUsage.country} = ${country} then ${smsDailyUsage.count} end), 0)`,
    })
    .from(smsDailyUsage)
    .where(eq(smsDailyUsage.day, day))
    .get()!;
  return { total: Number(row.total), country: Number(row.country) };
}

/** Counts one more platform SMS on `day` to `country`. */
export function countSms(db: Db, day: string, country: string): void {
  db.insert(smsDailyUsage)
    .values({ day, country, count: 1 })
    .onConflictDoUpdate({ target: [smsDailyUsage.day, smsDailyUsage.country], set: { count: sql`${smsDailyUsage.count} + 1` } })
    .run();
}

/** Writes a new signal and its first timeline entry (status and note), inside the caller's transaction. */
export function insertSignal(db: Db, values: typeof smokeSignals.$inferInsert, first: { status: SignalStatus; note: string }): SmokeSignal {
  const signal = db.insert(smokeSignals).values(values).returning().get();
  db.insert(smokeSignalEvents).values({ signalId: signal.id, status: first.status, note: first.note }).run();
  return signal;
}

/** The signal whose join link carries `token`, with its sender's screen name (null without a profile or a name). */
export function invitationByToken(db: Db, token: string): { signal: SmokeSignal; screenName: string | null } | undefined {
  return db
    .select({ signal: smokeSignals, screenName: profiles.screenName })
    .from(smokeSignals)
    .leftJoin(profiles, eq(profiles.memberId, smokeSignals.senderId))
    .where(eq(smokeSignals.joinToken, token))
    .get();
}

/** The signal whose join link carries `token`, if nobody has joined through it yet. */
export function unjoinedSignalByToken(db: Db, token: string): SmokeSignal | undefined {
  return db.select().from(smokeSignals).where(and(eq(smokeSignals.joinToken, token), isNull(smokeSignals.joinedAt))).get();
}

/** Records that `memberId` joined through the signal, now. */
export function markSignalJoined(db: Db, id: string, memberId: string): void {
  db.update(smokeSignals).set({ joinedAt: new Date(), joinedMemberId: memberId }).where(eq(smokeSignals.id, id)).run();
}

// Asked before every SMS queued and sent (an announcement asks it for every member it texts): prepared once.
const suppressed = preparedQuery((db) => db.select({ phone: suppressions.phone }).from(suppressions).where(eq(suppressions.phone, sql.placeholder("phone"))).prepare());

/** Whether the number is on the SMS suppression list. */
export function isOnSuppressionList(db: Db | Tx, phone: string): boolean {
  return Boolean(suppressed(db as Db).get({ phone }));
}

/** Adds a number to the SMS suppression list; a number already on it keeps its first keyword and source. */
export function addSuppression(db: Db, phone: string, keyword: string, source: SmsSuppressionSource): void {
  db.insert(suppressions).values({ phone, keyword, source }).onConflictDoNothing().run();
}

/** Takes a number off the SMS suppression list. */
export function removeSuppression(db: Db, phone: string): void {
  db.delete(suppressions).where(eq(suppressions.phone, phone)).run();
}
