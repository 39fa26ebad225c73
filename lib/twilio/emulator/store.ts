// The emulator's reads and writes over its sandbox_twilio_* tables; every state change is committed before answering.
import "server-only";
import { and, desc, eq, gte, inArray, isNotNull, lt, lte, ne, notInArray, or, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxTwilioCallbacks, sandboxTwilioMessages, type SandboxTwilioCallback, type SandboxTwilioMessage } from "@/db/schema";
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "./magic";

export type NewMessage = typeof sandboxTwilioMessages.$inferInsert;

export function insertMessage(db: Db, row: NewMessage): SandboxTwilioMessage {
  return db.insert(sandboxTwilioMessages).values(row).returning().get();
}

export function getMessage(db: Db, sid: string): SandboxTwilioMessage | undefined {
  return db.select().from(sandboxTwilioMessages).where(eq(sandboxTwilioMessages.sid, sid)).get();
}

export function updateMessage(db: Db, sid: string, patch: Partial<NewMessage>): void {
  db.update(sandboxTwilioMessages).set(patch).where(eq(sandboxTwilioMessages.sid, sid)).run();
}

export type ListFilter = {
  accountSid: string;
  to?: string;
  from?: string;
  dateSent?: { op: "=" | "<" | ">"; ms: number; dayOnly: boolean };
  /** Keyset paging: rows strictly older than this one (newest first). */
  after?: { dateCreated: number; sid: string };
  limit: number;
};

/** Newest first, like Twilio's list. */
export function listMessages(db: Db, f: ListFilter): SandboxTwilioMessage[] {
  const m = sandboxTwilioMessages;
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

/** Messages whose next lifecycle step is due. */
export function dueMessages(db: Db, now: number, exclude: string[], limit: number): SandboxTwilioMessage[] {
  const m = sandboxTwilioMessages;
  return db
    .select()
    .from(m)
    .where(and(isNotNull(m.nextAt), lte(m.nextAt, now), exclude.length ? notInArray(m.sid, exclude) : undefined))
    .orderBy(m.nextAt)
    .limit(limit)
    .all();
}

/** Messages that still owe a status callback (e.g. the process stopped between a status change and its callback). */
export function owingCallbacks(db: Db): string[] {
  const m = sandboxTwilioMessages;
  return db
    .select({ sid: m.sid })
    .from(m)
    .where(and(isNotNull(m.statusCallback), or(isNull(m.callbackStatus), ne(m.callbackStatus, m.status))))
    .all()
    .map((r) => r.sid);
}

export function nextDueAt(db: Db): number | null {
  const row = db.select({ at: sql<number | null>`min(${sandboxTwilioMessages.nextAt})` }).from(sandboxTwilioMessages).get();
  return row?.at ?? null;
}

export function recordCallback(db: Db, row: Omit<SandboxTwilioCallback, "id">): void {
  db.insert(sandboxTwilioCallbacks).values(row).run();
}

export function callbacksFor(db: Db, sids: string[]): SandboxTwilioCallback[] {
  if (!sids.length) return [];
  return db.select().from(sandboxTwilioCallbacks).where(inArray(sandboxTwilioCallbacks.messageSid, sids)).orderBy(sandboxTwilioCallbacks.id).all();
}

/** Whether `number` last replied an opt-out keyword to `sender` (Twilio then refuses sends with 21610 until START). */
export function hasOptedOut(db: Db, number: string, sender: string): boolean {
  const m = sandboxTwilioMessages;
  const keywords = [...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS];
  const last = db
    .select({ body: m.body })
    .from(m)
    .where(and(eq(m.direction, "inbound"), eq(m.from, number), eq(m.to, sender), inArray(sql`upper(trim(${m.body}))`, keywords)))
    .orderBy(desc(m.dateCreated))
    .limit(1)
    .get();
  return last !== undefined && OPT_OUT_KEYWORDS.includes(last.body.trim().toUpperCase());
}

/** The phone numbers the sandbox phone shows (recipients and repliers), most recently active first. */
export function recentNumbers(db: Db, limit: number): { number: string; last: number; count: number }[] {
  return db.$client
    .prepare(
      `select number, max(date_created) as last, count(*) as count from (
         select case when direction = 'inbound' then "from" else "to" end as number, date_created from sandbox_twilio_messages
       ) group by number order by last desc limit ?`,
    )
    .all(limit) as { number: string; last: number; count: number }[];
}

/** One number's conversation, newest first. */
export function conversation(db: Db, number: string, limit: number): SandboxTwilioMessage[] {
  const m = sandboxTwilioMessages;
  return db
    .select()
    .from(m)
    .where(or(and(eq(m.to, number), ne(m.direction, "inbound")), and(eq(m.from, number), eq(m.direction, "inbound"))))
    .orderBy(desc(m.dateCreated), desc(sql`rowid`))
    .limit(limit)
    .all();
}
