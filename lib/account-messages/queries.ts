// The account-messages domain's query module: one row per email or SMS queued for an account reason, and what became
// of it.
import "server-only";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { accountMessages, type AccountMessage, type AccountMessageState } from "@/db/schema";

export function insertAccountMessage(
  tx: Tx,
  row: { memberId: string | null; purpose: string; kind: string; channel: "SMS" | "Email"; notificationId?: string | null; expiresAt?: Date | null },
): AccountMessage {
  return tx.insert(accountMessages).values(row).returning().get();
}

export function accountMessageById(db: Db | Tx, id: string): AccountMessage | undefined {
  return db.select().from(accountMessages).where(eq(accountMessages.id, id)).get();
}

export function setAccountMessageState(db: Db | Tx, id: string, state: AccountMessageState, reason: string | null): void {
  db.update(accountMessages).set({ state, reason }).where(eq(accountMessages.id, id)).run();
}

/** Texts queued for a member under one purpose since `since` (ms): the per-member SMS allowance counts these. */
export function smsQueuedSince(db: Db | Tx, memberId: string, purpose: string, since: number): number {
  return (
    db
      .select({ n: count() })
      .from(accountMessages)
      .where(and(eq(accountMessages.memberId, memberId), eq(accountMessages.channel, "SMS"), eq(accountMessages.purpose, purpose), gt(accountMessages.createdAt, sql`${since}`)))
      .get()?.n ?? 0
  );
}
