// The SMS suppression list: numbers that replied STOP (or a synonym, lib/twilio/keywords.ts) get nothing until they
// reply START.
import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { suppressions, type SmsSuppressionSource } from "@/db/schema";

export const SUPPRESSED_REASON = "This number has replied STOP to our messages, so we cannot text it. It can reply START to receive messages again.";

export function isSuppressed(db: Db | Tx, phone: string): boolean {
  return Boolean(db.select().from(suppressions).where(eq(suppressions.phone, phone)).get());
}

/** Puts a number on the list (idempotent: the first arrival is kept, with how it arrived). */
export function suppress(db: Db, phone: string, keyword: string, source: SmsSuppressionSource = "reply"): void {
  db.insert(suppressions).values({ phone, keyword, source }).onConflictDoNothing().run();
}

export function unsuppress(db: Db, phone: string): void {
  db.delete(suppressions).where(eq(suppressions.phone, phone)).run();
}
