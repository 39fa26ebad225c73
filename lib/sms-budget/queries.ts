// What platform SMS cost in a period, from Twilio's prices on the outbox rows (read from the usage index alone).
import "server-only";
import { and, count, eq, gte, isNotNull, isNull, lt, max, ne, sql, sum } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outbox } from "@/db/schema";

export type SpendRow = { pricedMicros: number; priced: number; awaitingPrice: number; unit: string | null };

/** SMS accepted by Twilio between `from` and `to`: the sum of their prices, and how many still await one. */
export function smsSpend(db: Db, from: Date, to: Date): SpendRow {
  const inPeriod = and(eq(outbox.channel, "SMS"), gte(outbox.createdAt, from), lt(outbox.createdAt, to), eq(outbox.state, "sent"));
  const priced = db
    .select({ micros: sum(outbox.priceMicros).mapWith(Number), n: count(), unit: max(outbox.priceUnit) })
    .from(outbox)
    .where(and(inPeriod, isNotNull(outbox.priceMicros)))
    .get();
  // Accepted and not (yet) failed, without a price: Twilio prices them a while after their final status.
  const awaiting = db
    .select({ n: count() })
    .from(outbox)
    .where(and(inPeriod, isNull(outbox.priceMicros), ne(outbox.outcome, "failed")))
    .get();
  return { pricedMicros: priced?.micros ?? 0, priced: priced?.n ?? 0, awaitingPrice: awaiting?.n ?? 0, unit: priced?.unit ?? null };
}

/** The last price unit Twilio used (USD unless the account bills in another currency). */
export function lastPriceUnit(db: Db): string | null {
  return db.select({ unit: outbox.priceUnit }).from(outbox).where(isNotNull(outbox.priceUnit)).orderBy(sql`${outbox.createdAt} desc`).limit(1).get()?.unit ?? null;
}
