// The webhook_receipts table: counts per kind, hour, outcome and detail, added to in batches and summed for the console.
import "server-only";
import { and, desc, eq, gte, inArray, lt, max, sql, sum } from "drizzle-orm";
import { immediate, type Db } from "@/db/client";
import { webhookReceipts, type WebhookKind } from "@/db/schema";

export type ReceiptBatchRow = { kind: WebhookKind; hour: number; outcome: "accepted" | "refused"; detail: string; count: number; lastAt: Date; hint: string | null };

/** Adds a batch of counts (one transaction). */
export function addReceipts(db: Db, rows: ReceiptBatchRow[]): void {
  if (!rows.length) return;
  immediate(db, () => {
    for (const r of rows) {
      db.insert(webhookReceipts)
        .values(r)
        .onConflictDoUpdate({
          target: [webhookReceipts.kind, webhookReceipts.hour, webhookReceipts.outcome, webhookReceipts.detail],
          set: {
            count: sql`${webhookReceipts.count} + excluded.count`,
            lastAt: sql`max(${webhookReceipts.lastAt}, excluded.last_at)`,
            hint: sql`coalesce(excluded.hint, ${webhookReceipts.hint})`,
          },
        })
        .run();
    }
  });
}

/** The last time each kind was accepted and refused (all time kept: 30 days). */
export function lastReceipts(db: Db) {
  return db
    .select({ kind: webhookReceipts.kind, outcome: webhookReceipts.outcome, lastAt: max(webhookReceipts.lastAt) })
    .from(webhookReceipts)
    .groupBy(webhookReceipts.kind, webhookReceipts.outcome)
    .all();
}

/** Counts per kind, outcome and detail since `since`, with the newest hint of each. */
export function receiptCounts(db: Db, since: Date) {
  const hour = Math.floor(since.getTime() / 3600_000) * 3600_000;
  const rows = db
    .select({
      kind: webhookReceipts.kind,
      outcome: webhookReceipts.outcome,
      detail: webhookReceipts.detail,
      count: sum(webhookReceipts.count).mapWith(Number),
      lastAt: max(webhookReceipts.lastAt),
    })
    .from(webhookReceipts)
    .where(gte(webhookReceipts.hour, hour))
    .groupBy(webhookReceipts.kind, webhookReceipts.outcome, webhookReceipts.detail)
    .all();
  return rows.map((r) => ({ ...r, hint: latestHint(db, r.kind, r.outcome, r.detail, hour) }));
}

function latestHint(db: Db, kind: WebhookKind, outcome: "accepted" | "refused", detail: string, fromHour: number): string | null {
  if (outcome !== "refused") return null;
  return (
    db
      .select({ hint: webhookReceipts.hint })
      .from(webhookReceipts)
      .where(and(eq(webhookReceipts.kind, kind), eq(webhookReceipts.outcome, outcome), eq(webhookReceipts.detail, detail), gte(webhookReceipts.hour, fromHour)))
      .orderBy(desc(webhookReceipts.lastAt))
      .limit(1)
      .get()?.hint ?? null
  );
}

/** Forgets hours older than `before`. */
export function pruneReceipts(db: Db, before: Date): number {
  return db.delete(webhookReceipts).where(lt(webhookReceipts.hour, before.getTime())).run().changes;
}

/** Accepted Twilio webhooks by the token that signed them: how many since `since`, and when each was last seen. */
export function signingTokenUse(db: Db, since: Date) {
  const hour = Math.floor(since.getTime() / 3600_000) * 3600_000;
  return db
    .select({
      token: webhookReceipts.detail,
      recent: sql<number>`coalesce(sum(case when ${webhookReceipts.hour} >= ${hour} then ${webhookReceipts.count} else 0 end), 0)`.mapWith(Number),
      lastAt: max(webhookReceipts.lastAt),
    })
    .from(webhookReceipts)
    .where(and(inArray(webhookReceipts.kind, ["twilio_status", "twilio_inbound"]), eq(webhookReceipts.outcome, "accepted")))
    .groupBy(webhookReceipts.detail)
    .all();
}
