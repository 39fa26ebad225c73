// A member's alert choices: each event by channel (in the app, email, SMS), with the event's defaults where they chose
// nothing. The rules are enforced here, on the server: SMS only to a verified mobile number, and a security alert
// always keeps at least one channel on.
import "server-only";
import { immediate, type Db, type Tx } from "@/db/client";
import { verifiedPhone } from "@/lib/accounts/members";
import { isSuppressed } from "@/lib/smoke-signals/suppression";
import { ALERT_EVENTS, ALERTS, isSecurityAlert, keepOneChannel, type AlertEvent, type ChannelChoice } from "./catalogue";
import { preferenceRows, upsertPreference } from "./queries";

export type AlertChoices = Record<AlertEvent, ChannelChoice>;

/** Every event's channels for this member: their choice, or the event's defaults. */
export function alertChoices(db: Db | Tx, memberId: string): AlertChoices {
  const rows = new Map(preferenceRows(db, memberId).map((r) => [r.event, r]));
  return Object.fromEntries(
    ALERT_EVENTS.map((event) => {
      const row = rows.get(event);
      return [event, row ? { inApp: row.inApp, email: row.email, sms: row.sms } : { ...ALERTS[event].defaults }];
    }),
  ) as AlertChoices;
}

export type SmsAvailability = { available: true; phone: string } | { available: false; why: string };

export const NO_VERIFIED_PHONE =
  "Text message alerts go only to a mobile number you have verified on your profile. You have none yet, so SMS is not offered.";

/** Whether alerts can be texted to this member, and to which number; words for why not. */
export function smsAvailability(db: Db | Tx, memberId: string): SmsAvailability {
  const phone = verifiedPhone(db, memberId);
  if (!phone) return { available: false, why: NO_VERIFIED_PHONE };
  if (isSuppressed(db as Db, phone)) return { available: false, why: "Your mobile number replied STOP to our texts, so we cannot text it. Reply START to it to receive texts again." };
  return { available: true, phone };
}

/** Choices refused, with words per event (field name: the event key); nothing was saved. */
export class AlertChoicesRefused extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields)[0] ?? "Check your choices.");
    this.name = "AlertChoicesRefused";
  }
}

/**
 * Saves the member's choices for the events given (others keep theirs), all or nothing. Refused: SMS without a
 * verified number that can be texted, or a security alert left with no channel on.
 */
export function saveAlertChoices(db: Db, memberId: string, choices: Partial<AlertChoices>): void {
  const sms = smsAvailability(db, memberId);
  const fields: Record<string, string> = {};
  for (const [event, choice] of Object.entries(choices) as [AlertEvent, ChannelChoice][]) {
    if (choice.sms && !sms.available) fields[event] = sms.why;
    else if (isSecurityAlert(event) && !choice.inApp && !choice.email && !choice.sms) fields[event] = keepOneChannel(event);
  }
  if (Object.keys(fields).length) throw new AlertChoicesRefused(fields);
  immediate(db, () => {
    for (const [event, choice] of Object.entries(choices) as [AlertEvent, ChannelChoice][]) upsertPreference(db, { memberId, event, ...choice });
  });
}

/**
 * The one-click unsubscribe of an activity alert's email (the link at its foot): its email channel off. Security
 * alerts carry no such link; if asked anyway, their email stays on unless another channel is on.
 */
export function setAlertEmail(db: Db, memberId: string, event: AlertEvent, on: boolean): boolean {
  const current = alertChoices(db, memberId)[event];
  const next = { ...current, email: on };
  if (!on && isSecurityAlert(event) && !next.inApp && !next.sms) return false;
  upsertPreference(db, { memberId, event, ...next });
  return true;
}

/**
 * Inside the caller's transaction, when the verified number is removed: SMS goes off for every event (a number
 * verified later does not start texting without the member choosing it again), and a security alert left with no
 * channel is shown in the app.
 */
export function dropSmsChoices(tx: Db, memberId: string): void {
  for (const [event, choice] of Object.entries(alertChoices(tx, memberId)) as [AlertEvent, ChannelChoice][]) {
    if (!choice.sms) continue;
    const next = { ...choice, sms: false };
    if (isSecurityAlert(event) && !next.email) next.inApp = true;
    upsertPreference(tx, { memberId, event, ...next });
  }
}
