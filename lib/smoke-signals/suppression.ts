// The SMS suppression list: numbers that replied STOP (or a synonym, lib/twilio/keywords.ts) get nothing until they
// reply START.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { preparedQuery, type Db, type Tx } from "@/db/client";
import { suppressions, type SmsSuppressionSource } from "@/db/schema";

export const SUPPRESSED_REASON = "This number has replied STOP to our messages, so we cannot text it. It can reply START to receive messages again.";

// Asked before every SMS queued and sent (an announcement asks it for every member it texts): prepared once.
const suppressed = preparedQuery((db) => db.select({ phone: suppressions.phone }).from(suppressions).where(eq(suppressions.phone, sql.placeholder("phone"))).prepare());

export function isSuppressed(db: Db | Tx, phone: string): boolean {
  return Boolean(suppressed(db as Db).get({ phone }));
}

/** Puts a number on the list (idempotent: the first arrival is kept, with how it arrived). */
export function suppress(db: Db, phone: string, keyword: string, source: SmsSuppressionSource = "reply"): void {
  db.insert(suppressions).values({ phone, keyword, source }).onConflictDoNothing().run();
}

export function unsuppress(db: Db, phone: string): void {
  db.delete(suppressions).where(eq(suppressions.phone, phone)).run();
}
