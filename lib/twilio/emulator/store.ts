// The emulator's reads and writes over its sandbox_twilio_* tables; every state change is committed before answering.
import "server-only";
import { and, desc, eq, gte, inArray, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxTwilioCallbacks, sandboxTwilioMessages, type SandboxTwilioCallback, type SandboxTwilioMessage } from "@/db/schema";
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "../keywords";

export type NewMessage = typeof sandboxTwilioMessages.$inferInsert;

// The per-message hot paths (every send, step and callback) use cached prepared statements: building each query
// through the ORM on every call costs more than the rest of a request (measured at 200 messages per second).
const COLUMNS: [keyof SandboxTwilioMessage, string][] = [
  ["sid", "sid"],
  ["accountSid", "account_sid"],
  ["messagingServiceSid", "messaging_service_sid"],
  ["direction", "direction"],
  ["replyBy", "reply_by"],
  ["from", "from"],
  ["to", "to"],
  ["body", "body"],
  ["status", "status"],
  ["errorCode", "error_code"],
  ["errorMessage", "error_message"],
  ["numSegments", "num_segments"],
  ["statusCallback", "status_callback"],
  ["callbackStatus", "callback_status"],
  ["nextAt", "next_at"],
  ["sendAt", "send_at"],
  ["failCode", "fail_code"],
  ["dateCreated", "date_created"],
  ["dateUpdated", "date_updated"],
  ["dateSent", "date_sent"],
  ["replyHttpStatus", "reply_http_status"],
  ["replyBody", "reply_body"],
  ["replyError", "reply_error"],
];
const SELECT = `select ${COLUMNS.map(([k, c]) => `"${c}" as "${k}"`).join(", ")} from sandbox_twilio_messages`;

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  const c = db.$client;
  return {
    get: c.prepare(`${SELECT} where sid = ?`),
    insert: c.prepare(`insert into sandbox_twilio_messages (${COLUMNS.map(([, col]) => `"${col}"`).join(", ")}) values (${COLUMNS.map(([k]) => `@${k}`).join(", ")})`),
    callbackDone: c.prepare("update sandbox_twilio_messages set callback_status = ? where sid = ?"),
    advance: c.prepare(
      "update sandbox_twilio_messages set status = @status, error_code = @errorCode, error_message = @errorMessage, date_updated = @dateUpdated, date_sent = @dateSent, next_at = @nextAt where sid = @sid",
    ),
    due: c.prepare(`${SELECT} where next_at is not null and next_at <= ? order by next_at limit ?`),
    nextDue: c.prepare("select min(next_at) as at from sandbox_twilio_messages"),
    lastQueued: c.prepare(
      "select max(send_at) as at from sandbox_twilio_messages where status in ('accepted', 'queued') and fail_code is null and coalesce(messaging_service_sid, \"from\") = ?",
    ),
    callback: c.prepare(
      "insert into sandbox_twilio_callbacks (message_sid, status, url, http_status, error, fault, attempted_at) values (@messageSid, @status, @url, @httpStatus, @error, @fault, @attemptedAt)",
    ),
    lastKeyword: c.prepare(
      `select body from sandbox_twilio_messages where direction = 'inbound' and "from" = ? and "to" = ? and upper(trim(body)) in (${[...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS].map(() => "?").join(", ")}) order by date_created desc, rowid desc limit 1`,
    ),
  };
}

function stmts(db: Db) {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
}

export function insertMessage(db: Db, row: NewMessage): SandboxTwilioMessage {
  const full = Object.fromEntries(COLUMNS.map(([k]) => [k, row[k as keyof NewMessage] ?? null])) as SandboxTwilioMessage;
  stmts(db).insert.run(full);
  return full;
}

export function getMessage(db: Db, sid: string): SandboxTwilioMessage | undefined {
  return stmts(db).get.get(sid) as SandboxTwilioMessage | undefined;
}

/** For rare changes (inbound webhook results); the lifecycle uses markCallbackSent and advanceMessage. */
export function updateMessage(db: Db, sid: string, patch: Partial<NewMessage>): void {
  db.update(sandboxTwilioMessages).set(patch).where(eq(sandboxTwilioMessages.sid, sid)).run();
}

export function markCallbackSent(db: Db, sid: string, status: string): void {
  stmts(db).callbackDone.run(status, sid);
}

export function advanceMessage(
  db: Db,
  sid: string,
  step: { status: string; errorCode: number | null; errorMessage: string | null; dateUpdated: number; dateSent: number | null; nextAt: number | null },
): void {
  stmts(db).advance.run({ sid, ...step });
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
  return (stmts(db).lastQueued.get(sender) as { at: number | null }).at;
}

/** How many messages wait in the senders' queues now, and how many seconds until the last of them leaves. */
export function queueStats(db: Db, now = Date.now()): { waiting: number; drainSeconds: number } {
  const row = db.$client
    .prepare("select count(*) as waiting, max(send_at) as last from sandbox_twilio_messages where status in ('accepted', 'queued')")
    .get() as { waiting: number; last: number | null };
  return { waiting: row.waiting, drainSeconds: row.last ? Math.max(0, Math.ceil((row.last - now) / 1000)) : 0 };
}

/** Messages whose next lifecycle step is due, soonest first. */
export function dueMessages(db: Db, now: number, limit: number): SandboxTwilioMessage[] {
  return stmts(db).due.all(now, limit) as SandboxTwilioMessage[];
}

/**
 * After a restart: messages that still owe a status callback (the process stopped between a status change and its
 * callback) become due now, so the lifecycle sends them at its usual concurrency. Returns how many.
 */
export function makeOwedCallbacksDue(db: Db, now: number): number {
  return db.$client
    .prepare(
      "update sandbox_twilio_messages set next_at = min(coalesce(next_at, ?), ?) where status_callback is not null and (callback_status is null or callback_status != status)",
    )
    .run(now, now).changes;
}

export function nextDueAt(db: Db): number | null {
  return (stmts(db).nextDue.get() as { at: number | null }).at;
}

export function recordCallback(db: Db, row: Omit<SandboxTwilioCallback, "id">): void {
  stmts(db).callback.run(row);
}

export function callbacksFor(db: Db, sids: string[]): SandboxTwilioCallback[] {
  if (!sids.length) return [];
  return db.select().from(sandboxTwilioCallbacks).where(inArray(sandboxTwilioCallbacks.messageSid, sids)).orderBy(sandboxTwilioCallbacks.id).all();
}

/** Whether `number` last replied an opt-out keyword to `sender` (Twilio then refuses sends with 21610 until START). */
export function hasOptedOut(db: Db, number: string, sender: string): boolean {
  const last = stmts(db).lastKeyword.get(number, sender, ...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS) as { body: string } | undefined;
  return last !== undefined && (OPT_OUT_KEYWORDS as readonly string[]).includes(last.body.trim().toUpperCase());
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
