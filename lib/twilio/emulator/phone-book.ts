// What the sandbox phone page shows: the numbers the emulator has texted or heard from, and one number's
// conversation (newest first) with each message's status, failure reason, callbacks and webhook answer.
import "server-only";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Db } from "@/db/client";
import type { SandboxTwilioCallback, SandboxTwilioMessage } from "@/db/schema";
import { explainTwilioCode } from "../errors";
import { statusOutcome } from "../status";
import { callbacksFor, conversation, recentNumbers } from "./store";

export type PhoneMessage = SandboxTwilioMessage & {
  outcome: "Pending" | "Delivered" | "Failed" | "Received";
  reason: string | null;
  callbacks: SandboxTwilioCallback[];
};

export type PhoneBook = {
  numbers: { number: string; display: string; count: number; last: number }[];
  selected: string | null;
  messages: PhoneMessage[];
};

const OUTCOME_LABEL = { pending: "Pending", delivered: "Delivered", failed: "Failed" } as const;

export function displayNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

export function phoneBook(db: Db, selected: string | undefined): PhoneBook {
  const numbers = recentNumbers(db, 50).map((n) => ({ ...n, display: displayNumber(n.number) }));
  const current = selected ?? numbers[0]?.number ?? null;
  if (!current) return { numbers, selected: null, messages: [] };
  const rows = conversation(db, current, 100);
  const callbacks = callbacksFor(
    db,
    rows.filter((m) => m.direction === "outbound-api").map((m) => m.sid),
  );
  const messages = rows.map((m) => ({
    ...m,
    outcome: m.direction === "inbound" ? ("Received" as const) : OUTCOME_LABEL[statusOutcome(m.status)],
    reason: m.errorCode !== null ? `${explainTwilioCode(m.errorCode).memberMessage} (error ${m.errorCode}${m.errorMessage ? `: ${m.errorMessage}` : ""})` : null,
    callbacks: callbacks.filter((c) => c.messageSid === m.sid),
  }));
  return { numbers, selected: current, messages };
}
