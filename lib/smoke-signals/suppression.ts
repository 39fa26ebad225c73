// The SMS suppression list: numbers that replied STOP (or a synonym, lib/twilio/keywords.ts) get nothing until they
// reply START.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { preparedQuery, type Db, type Tx } from "@/db/client";
import { suppressions, type SmsSuppressionSource } from "@/db/schema";
import type { Refusal } from "@/lib/outbox/senders";
import { TWILIO_OPTED_OUT } from "@/lib/twilio/errors";

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

/** For every outbox sender of SMS: nothing goes to a number that replied STOP, even if it was queued before the STOP. */
export function refuseOptedOut(tx: Db, message: { channel: string; recipient: string }): Refusal | null {
  if (message.channel !== "SMS" || !isSuppressed(tx, message.recipient)) return null;
  return { errorCode: TWILIO_OPTED_OUT, operatorMessage: "recipient is on the suppression list (replied STOP)", memberMessage: SUPPRESSED_REASON };
}

/**
 * For every outbox sender of SMS: Twilio refused a send because the number opted out at Twilio (a STOP we never saw,
 * e.g. sent while the app was down). It goes on our list too, so the next message is refused before it is sent.
 */
export function learnOptOut(tx: Db, message: { channel: string; recipient: string }, failure: { errorCode: number | null }): void {
  if (message.channel === "SMS" && failure.errorCode === TWILIO_OPTED_OUT) suppress(tx, message.recipient, "STOP", "twilio_refusal");
}

export function unsuppress(db: Db, phone: string): void {
  db.delete(suppressions).where(eq(suppressions.phone, phone)).run();
}
