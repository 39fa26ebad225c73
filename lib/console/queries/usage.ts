// Usage per UTC day: SMS (sent, delivered, failed, segments, Twilio's prices) and email from the outbox's covering
// usage index, and Yoti sessions by method. Grouped by day number (integer arithmetic); months are summed from days.
import "server-only";
import { and, count, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { utcDayNumberOf } from "@/db/sql";
import { outbox, verificationSessions } from "@/db/schema";

const countWhen = (cond: ReturnType<typeof sql>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`.mapWith(Number);

export function smsPerDay(db: Db, from: Date, until: Date) {
  const day = utcDayNumberOf(outbox.createdAt);
  const accepted = sql`${outbox.state} = 'sent'`;
  return db
    .select({
      day,
      sent: countWhen(accepted),
      delivered: countWhen(sql`${outbox.outcome} = 'delivered'`),
      failed: countWhen(sql`${outbox.outcome} = 'failed'`),
      segments: sql<number>`coalesce(sum(case when ${accepted} then ${outbox.segments} else 0 end), 0)`.mapWith(Number),
      priceMicros: sql<number>`coalesce(sum(${outbox.priceMicros}), 0)`.mapWith(Number),
    })
    .from(outbox)
    .where(and(eq(outbox.channel, "SMS"), gte(outbox.createdAt, from), lt(outbox.createdAt, until)))
    .groupBy(day)
    .all();
}

export function emailPerDay(db: Db, from: Date, until: Date) {
  const day = utcDayNumberOf(outbox.createdAt);
  return db
    .select({ day, sent: countWhen(sql`${outbox.state} = 'sent'`), failed: countWhen(sql`${outbox.outcome} = 'failed'`) })
    .from(outbox)
    .where(and(eq(outbox.channel, "Email"), gte(outbox.createdAt, from), lt(outbox.createdAt, until)))
    .groupBy(day)
    .all();
}

export function yotiPerDay(db: Db, from: Date, until: Date) {
  const day = utcDayNumberOf(verificationSessions.createdAt);
  return db
    .select({ day, method: verificationSessions.method, sessions: count() })
    .from(verificationSessions)
    .where(and(gte(verificationSessions.createdAt, from), lt(verificationSessions.createdAt, until)))
    .groupBy(day, verificationSessions.method)
    .all();
}
