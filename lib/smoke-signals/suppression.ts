// The SMS suppression list: numbers that replied STOP (or a synonym, lib/twilio/keywords.ts) get nothing until they
// reply START.
import "server-only";
import type { Db, Tx } from "@/db/client";
import type { SmsSuppressionSource } from "@/db/schema";
import type { Refusal } from "@/lib/outbox/senders";
import { TWILIO_OPTED_OUT } from "@/lib/twilio/errors";
import { addSuppression, isOnSuppressionList, removeSuppression } from "./queries";

export const SUPPRESSED_REASON = "This number has replied STOP to our messages, so we cannot text it. It can reply START to receive messages again.";

export function isSuppressed(db: Db | Tx, phone: string): boolean {
  return isOnSuppressionList(db, phone);
}

/** Puts a number on the list (idempotent: the first arrival is kept, with how it arrived). */
export function suppress(db: Db, phone: string, keyword: string, source: SmsSuppressionSource = "reply"): void {
  addSuppression(db, phone, keyword, source);
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
  removeSuppression(db, phone);
}
