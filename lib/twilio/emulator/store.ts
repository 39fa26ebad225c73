// The emulator's reads and writes over its sandbox_twilio_* tables (messages, callbacks, Verify's verifications); every state change is committed before answering.
import "server-only";
import { and, count, desc, eq, getTableColumns, gte, inArray, isNotNull, isNull, lt, lte, max, min, ne, or, sql, type SQL } from "drizzle-orm";
import { preparedQuery, type Db } from "@/db/client";
import { sandboxTwilioCallbacks, sandboxTwilioMessages, sandboxTwilioVerifications, type SandboxTwilioCallback, type SandboxTwilioMessage, type SandboxTwilioVerification } from "@/db/schema";
import { keywordOf, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "../keywords";

export type NewMessage = typeof sandboxTwilioMessages.$inferInsert;

const P = sql.placeholder;
const m = sandboxTwilioMessages;
const at = (name: string) => sql`${P(name)}`;
// Every column of a message as a placeholder of the same name: the insert below takes a whole row.
const ALL = Object.fromEntries(Object.keys(getTableColumns(m)).map((k) => [k, at(k)])) as unknown as NewMessage;
const LONGEST_KEYWORD = Math.max(...[...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS].map((k) => k.length));

// The per-message hot paths (every send, step and callback) use queries prepared once per connection: building each
// through the builder on every call costs more than the rest of a request (measured at 200 messages per second).
const Q = {
  get: preparedQuery((db) => db.select().from(m).where(eq(m.sid, P("sid"))).prepare()),
  insert: preparedQuery((db) => db.insert(m).values(ALL).prepare()),
  callbackDone: preparedQuery((db) => db.update(m).set({ callbackStatus: at("status") }).where(eq(m.sid, P("sid"))).prepare()),
  advance: preparedQuery((db) =>
    db
      .update(m)
      .set({ status: at("status"), errorCode: at("errorCode"), errorMessage: at("errorMessage"), dateUpdated: at("dateUpdated"), dateSent: at("dateSent"), nextAt: at("nextAt") })
      .where(eq(m.sid, P("sid")))
      .prepare(),
  ),
  due: preparedQuery((db) => db.select().from(m).where(and(isNotNull(m.nextAt), lte(m.nextAt, at("now")))).orderBy(m.nextAt).limit(P("limit")).prepare()),
  nextDue: preparedQuery((db) => db.select({ at: min(m.nextAt) }).from(m).prepare()),
  lastQueued: preparedQuery((db) =>
    db
      .select({ at: max(m.sendAt) })
      .from(m)
      .where(and(inArray(m.status, ["accepted", "queued"]), isNull(m.failCode), eq(sql`coalesce(${m.messagingServiceSid}, ${m.from})`, P("sender"))))
      .prepare(),
  ),
  callback: preparedQuery((db) =>
    db
      .insert(sandboxTwilioCallbacks)
      .values({ messageSid: at("messageSid"), status: at("status"), url: at("url"), httpStatus: at("httpStatus"), error: at("error"), fault: at("fault"), attemptedAt: at("attemptedAt") })
      .prepare(),
  ),
  // The number's latest opt-out or opt-in reply: its keyword class decides (lib/twilio/keywords.ts). The SQL only
  // narrows to bodies that can be a keyword (short); keywordOf() makes the decision, as for the app.
  lastKeywords: preparedQuery((db) =>
    db
      .select({ body: m.body })
      .from(m)
      .where(and(eq(m.direction, "inbound"), eq(m.from, P("number")), eq(m.to, P("sender")), lte(sql`length(trim(${m.body}))`, LONGEST_KEYWORD + 2)))
      .orderBy(desc(m.dateCreated), desc(sql`rowid`))
      .limit(20)
      .prepare(),
  ),
};

export function insertMessage(db: Db, row: NewMessage): SandboxTwilioMessage {
  const full = Object.fromEntries(Object.keys(ALL).map((k) => [k, row[k as keyof NewMessage] ?? null])) as SandboxTwilioMessage;
  Q.insert(db).run(full);
  return full;
}

export function getMessage(db: Db, sid: string): SandboxTwilioMessage | undefined {
  return Q.get(db).get({ sid });
}

/** For rare changes (inbound webhook results); the lifecycle uses markCallbackSent and advanceMessage. */
export function updateMessage(db: Db, sid: string, patch: Partial<NewMessage>): void {
  db.update(sandboxTwilioMessages).set(patch).where(eq(sandboxTwilioMessages.sid, sid)).run();
}

export function markCallbackSent(db: Db, sid: string, status: string): void {
  Q.callbackDone(db).run({ status, sid });
}

export function advanceMessage(
  db: Db,
  sid: string,
  step: { status: string; errorCode: number | null; errorMessage: string | null; dateUpdated: number; dateSent: number | null; nextAt: number | null },
): void {
  Q.advance(db).run({ sid, ...step });
}

export type ListFilter = {
  accountSid: string;
  to?: string;
  from?: string;
  dateSent?: { op: "=" | "<" | ">"; ms: number; dayOnly: boolean };
  /** Only messages created at or before this time (ms). */
  createdBefore?: number;
  /** Keyset paging: rows strictly older than this one (newest first). */
  after?: { dateCreated: number; sid: string };
  limit: number;
};

/** Newest first, like Twilio's list. */
export function listMessages(db: Db, f: ListFilter): SandboxTwilioMessage[] {
  const where: (SQL | undefined)[] = [eq(m.accountSid, f.accountSid)];
  if (f.to) where.push(eq(m.to, f.to));
  if (f.from) where.push(eq(m.from, f.from));
  if (f.dateSent) {
    const { op, ms, dayOnly } = f.dateSent;
    const dayEnd = ms + 86_400_000;
    if (op === "=") where.push(dayOnly ? and(gte(m.dateSent, ms), lt(m.dateSent, dayEnd)) : eq(m.dateSent, ms));
    // Twilio's DateSent> and DateSent< are inclusive ("on or after", "on or before").
    if (op === ">") where.push(gte(m.dateSent, ms));
    if (op === "<") where.push(dayOnly ? lt(m.dateSent, dayEnd) : lte(m.dateSent, ms));
  }
  if (f.createdBefore !== undefined) where.push(lte(m.dateCreated, f.createdBefore));
  if (f.after) {
    where.push(or(lt(m.dateCreated, f.after.dateCreated), and(eq(m.dateCreated, f.after.dateCreated), lt(m.sid, f.after.sid))));
  }
  return db
    .select()
    .from(m)
    .where(and(...where))
    .orderBy(desc(m.dateCreated), desc(m.sid))
    .limit(f.limit)
    .all();
}

/** When the last message waiting in `sender`'s queue will be sent (a sender is a number or a messaging service). */
export function lastQueuedSendAt(db: Db, sender: string): number | null {
  return Q.lastQueued(db).get({ sender })?.at ?? null;
}

/** How many messages wait in the senders' queues now, and how many seconds until the last of them leaves. */
export function queueStats(db: Db, now = Date.now()): { waiting: number; drainSeconds: number } {
  const row = db
    .select({ waiting: count(), last: max(m.sendAt) })
    .from(m)
    .where(inArray(m.status, ["accepted", "queued"]))
    .get() ?? { waiting: 0, last: null };
  return { waiting: row.waiting, drainSeconds: row.last ? Math.max(0, Math.ceil((row.last - now) / 1000)) : 0 };
}

/** Messages whose next lifecycle step is due, soonest first. */
export function dueMessages(db: Db, now: number, limit: number): SandboxTwilioMessage[] {
  return Q.due(db).all({ now, limit });
}

/**
 * After a restart: messages that still owe a status callback (the process stopped between a status change and its
 * callback) become due now, so the lifecycle sends them at its usual concurrency. Returns how many.
 */
export function makeOwedCallbacksDue(db: Db, now: number): number {
  return db
    .update(m)
    .set({ nextAt: sql`min(coalesce(${m.nextAt}, ${now}), ${now})` })
    .where(and(isNotNull(m.statusCallback), or(isNull(m.callbackStatus), ne(m.callbackStatus, m.status))))
    .run().changes;
}

export function nextDueAt(db: Db): number | null {
  return Q.nextDue(db).get()?.at ?? null;
}

export function recordCallback(db: Db, row: Omit<SandboxTwilioCallback, "id">): void {
  Q.callback(db).run(row);
}

export function callbacksFor(db: Db, sids: string[]): SandboxTwilioCallback[] {
  if (!sids.length) return [];
  return db.select().from(sandboxTwilioCallbacks).where(inArray(sandboxTwilioCallbacks.messageSid, sids)).orderBy(sandboxTwilioCallbacks.id).all();
}

/** Whether `number` last replied an opt-out keyword to `sender` (Twilio then refuses sends with 21610 until START). */
export function hasOptedOut(db: Db, number: string, sender: string): boolean {
  for (const { body } of Q.lastKeywords(db).all({ number, sender })) {
    const keyword = keywordOf(body)?.type;
    if (keyword === "STOP") return true;
    if (keyword === "START") return false;
  }
  return false;
}

/** The phone numbers the sandbox phone shows (recipients and repliers), most recently active first. */
export function recentNumbers(db: Db, limit: number): { number: string; last: number; count: number }[] {
  const number = sql<string>`case when ${m.direction} = 'inbound' then ${m.from} else ${m.to} end`;
  const last = max(m.dateCreated);
  return db
    .select({ number, last: sql<number>`${last}`, count: count() })
    .from(m)
    .groupBy(number)
    .orderBy(desc(last))
    .limit(limit)
    .all();
}

/** One number's conversation, newest first. */
export function conversation(db: Db, number: string, limit: number): SandboxTwilioMessage[] {
  return db
    .select()
    .from(m)
    .where(or(and(eq(m.to, number), ne(m.direction, "inbound")), and(eq(m.from, number), eq(m.direction, "inbound"))))
    .orderBy(desc(m.dateCreated), desc(sql`rowid`))
    .limit(limit)
    .all();
}

// --- Twilio Verify (sandbox_twilio_verifications) ---------------------------------------------------------------

const v = sandboxTwilioVerifications;

export function insertVerification(db: Db, row: SandboxTwilioVerification): void {
  db.insert(v).values(row).run();
}

export function getVerification(db: Db, sid: string): SandboxTwilioVerification | undefined {
  return db.select().from(v).where(eq(v.sid, sid)).get();
}

/** The newest verification of a service for a number (pending or not). */
export function latestVerification(db: Db, serviceSid: string, to: string): SandboxTwilioVerification | undefined {
  return db.select().from(v).where(and(eq(v.serviceSid, serviceSid), eq(v.to, to))).orderBy(desc(v.dateCreated), desc(sql`rowid`)).limit(1).get();
}

export function updateVerification(db: Db, sid: string, patch: Partial<Pick<SandboxTwilioVerification, "status" | "sends" | "checks" | "dateUpdated">>): void {
  db.update(v).set(patch).where(eq(v.sid, sid)).run();
}
