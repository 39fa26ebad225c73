// The SMS opt-out (STOP) and email unsubscribe lists for the console: search, and removing one entry.
import "server-only";
import { count, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { containsText } from "@/db/sql";
import { emailSuppressions, suppressions } from "@/db/schema";

export function smsPage(db: Db, q: string | undefined, page: number, pageSize: number) {
  const where = q ? containsText(suppressions.phone, q) : undefined;
  const items = db.select().from(suppressions).where(where).orderBy(desc(suppressions.createdAt)).limit(pageSize).offset((page - 1) * pageSize).all();
  return { items, total: db.select({ n: count() }).from(suppressions).where(where).get()?.n ?? 0 };
}

export function emailPage(db: Db, q: string | undefined, page: number, pageSize: number) {
  const where = q ? containsText(emailSuppressions.mailbox, q) : undefined;
  const items = db.select().from(emailSuppressions).where(where).orderBy(desc(emailSuppressions.createdAt)).limit(pageSize).offset((page - 1) * pageSize).all();
  return { items, total: db.select({ n: count() }).from(emailSuppressions).where(where).get()?.n ?? 0 };
}

export function smsEntry(tx: Tx, phone: string) {
  return tx.select().from(suppressions).where(eq(suppressions.phone, phone)).get();
}

export function emailEntry(tx: Tx, mailbox: string) {
  return tx.select().from(emailSuppressions).where(eq(emailSuppressions.mailbox, mailbox)).get();
}

export function deleteSmsEntry(tx: Tx, phone: string): void {
  tx.delete(suppressions).where(eq(suppressions.phone, phone)).run();
}

export function deleteEmailEntry(tx: Tx, mailbox: string): void {
  tx.delete(emailSuppressions).where(eq(emailSuppressions.mailbox, mailbox)).run();
}
