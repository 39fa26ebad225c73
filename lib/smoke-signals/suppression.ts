// The SMS suppression list: numbers that replied STOP (or a synonym) get nothing until they reply START.
import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { suppressions, type SmsSuppressionSource } from "@/db/schema";

export const OPT_OUT = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const OPT_IN = ["START", "YES", "UNSTOP"] as const;
export const HELP = ["HELP", "INFO"] as const;

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

/** The keyword a reply is, if any: Twilio matches the whole message, trimmed, any case. */
export function keywordOf(body: string): { kind: "opt_out" | "opt_in" | "help"; keyword: string } | null {
  const word = body.trim().replace(/[.!]+$/, "").toUpperCase();
  if ((OPT_OUT as readonly string[]).includes(word)) return { kind: "opt_out", keyword: word };
  if ((OPT_IN as readonly string[]).includes(word)) return { kind: "opt_in", keyword: word };
  if ((HELP as readonly string[]).includes(word)) return { kind: "help", keyword: word };
  return null;
}
