// The operator's message log over the outbox: filtered pages newest first, counts, one message with its attempts, and
// keyset-paged batches for the CSV export (so an export of 100,000 rows never holds them all in memory).
import "server-only";
import { and, asc, count, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, outbox, outboxAttempts, type MessageOutcome, type SentChannel } from "@/db/schema";

export type MessageQuery = { outcome?: MessageOutcome; channel?: SentChannel; from?: Date; until?: Date; memberId?: string; recipient?: string };

function where(q: MessageQuery): SQL | undefined {
  const c: SQL[] = [];
  if (q.outcome) c.push(eq(outbox.outcome, q.outcome));
  if (q.channel) c.push(eq(outbox.channel, q.channel));
  if (q.from) c.push(gte(outbox.createdAt, q.from));
  if (q.until) c.push(lt(outbox.createdAt, q.until));
  if (q.memberId) c.push(eq(outbox.memberId, q.memberId));
  if (q.recipient) c.push(eq(outbox.recipient, q.recipient));
  return c.length ? and(...c) : undefined;
}

const columns = {
  id: outbox.id,
  channel: outbox.channel,
  purpose: outbox.purpose,
  recipient: outbox.recipient,
  outcome: outbox.outcome,
  state: outbox.state,
  providerStatus: outbox.providerStatus,
  providerId: outbox.providerId,
  errorCode: outbox.errorCode,
  lastError: outbox.lastError,
  segments: outbox.segments,
  priceMicros: outbox.priceMicros,
  priceUnit: outbox.priceUnit,
  attempts: outbox.attempts,
  createdAt: outbox.createdAt,
  sentAt: outbox.sentAt,
  memberId: outbox.memberId,
  memberEmail: members.email,
};

/** Messages with their member's email (null once the member is deleted). */
const selectMessages = (db: Db) => db.select(columns).from(outbox).leftJoin(members, eq(members.id, outbox.memberId));

export function messagePage(db: Db, q: MessageQuery, page: number, pageSize: number) {
  return selectMessages(db)
    .where(where(q))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
}

export type MessageRow = ReturnType<typeof messagePage>[number];

export function messageCount(db: Db, q: MessageQuery): number {
  return db.select({ n: count() }).from(outbox).where(where(q)).get()?.n ?? 0;
}

/** The next batch of the export after `after` (newest first), by (created_at, id). */
export function messageBatch(db: Db, q: MessageQuery, after: { createdAt: Date; id: string } | null, size: number): MessageRow[] {
  const keyset = after ? or(lt(outbox.createdAt, after.createdAt), and(eq(outbox.createdAt, after.createdAt), lt(outbox.id, after.id))) : undefined;
  const base = where(q);
  return selectMessages(db)
    .where(base && keyset ? and(base, keyset) : (base ?? keyset))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(size)
    .all();
}

export function messageById(db: Db, id: string): MessageRow | undefined {
  return selectMessages(db).where(eq(outbox.id, id)).get();
}

/** Every attempt and status of the given messages, oldest first. */
export function attemptsOf(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return db.select().from(outboxAttempts).where(inArray(outboxAttempts.outboxId, ids)).orderBy(asc(outboxAttempts.id)).all();
}

/** A member by exact email or id (the log's member filter). */
export function memberByEmailOrId(db: Db, text: string): { id: string; email: string } | undefined {
  return db
    .select({ id: members.id, email: members.email })
    .from(members)
    .where(or(eq(members.email, text.toLowerCase()), eq(members.id, text)))
    .get();
}
