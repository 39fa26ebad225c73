// Raising an account alert: the one function every flow calls inside its own transaction. It writes the in-app
// notification and queues the email and SMS the member chose through the outbox (so an alert is never lost or sent
// twice, and only if the flow's change commits), within the platform's SMS rules. A security alert always reaches at
// least one channel: when none of the member's channels can carry it, it is shown in the app with the reason.
import "server-only";
import type { Db } from "@/db/client";
import { AccountSmsRefused, queueAccountMail, queueAccountSms, type AccountSmsEnv } from "@/lib/account-messages/send";
import { smsQueuedSince } from "@/lib/account-messages/queries";
import { createUnsubscribeToken, unsubscribePageUrl } from "@/lib/email/unsubscribe";
import { getEnv, type Env } from "@/lib/env";
import { notify, updateNotification } from "@/lib/notifications/notifications";
import { ALERTS, isSecurityAlert, type AlertDetails, type AlertEvent } from "./catalogue";
import { alertChoices, smsAvailability } from "./preferences";
import { memberEmail } from "./queries";

/** The outbox purpose of alerts (links and codes use "account_message"). */
export const ACCOUNT_ALERT = "account_alert";

export type AlertEnv = AccountSmsEnv & Pick<Env, "appUrl" | "alerts">;

export type RaisedAlert = {
  notificationId: string;
  /** Where it went: shown in the app, queued by email, queued by SMS. */
  inApp: boolean;
  email: boolean;
  sms: boolean;
  /** Why a chosen channel did not carry it, as the in-app notification says. */
  note: string | null;
};

const DAY_MS = 24 * 3600_000;

function emailFooter(tx: Db, env: AlertEnv, memberId: string, to: string, event: AlertEvent): string {
  if (isSecurityAlert(event)) {
    return `\n\n--\nSecurity alerts about your Select Exposure account cannot all be switched off. Choose how you get them: ${env.appUrl}/profile/preferences`;
  }
  // Last line: the alert's own unsubscribe link (the mailer mirrors it in List-Unsubscribe, RFC 8058).
  const token = createUnsubscribeToken(tx, to, { memberId, event });
  return `\n\n--\nYou chose to get this by email on ${env.appUrl}/profile/preferences. Stop these emails: ${unsubscribePageUrl(env.appUrl, token)}\n`;
}

/**
 * Raises `event` for the member inside the caller's transaction (`tx`): the caller's change and its alert commit
 * together. Returns what went where. Never throws for a channel that cannot be used: the note says why.
 */
export function raiseAlert<E extends AlertEvent>(tx: Db, memberId: string, event: E, details: AlertDetails[E], env: AlertEnv = getEnv()): RaisedAlert {
  const def = ALERTS[event];
  const address = memberEmail(tx, memberId);
  if (address === undefined) throw new Error(`raiseAlert: no member ${memberId}`);
  const rendered = def.render(details, { appUrl: env.appUrl, when: new Date() });
  const choice = alertChoices(tx, memberId)[event];
  const notes: string[] = [];

  // SMS: only to the member's verified number, within the per-member allowance and the platform's SMS rules.
  let smsTo: string | null = null;
  if (choice.sms) {
    const sms = smsAvailability(tx, memberId);
    if (!sms.available) notes.push(`We could not text you: ${sms.why}`);
    else if (smsQueuedSince(tx, memberId, ACCOUNT_ALERT, Date.now() - DAY_MS) >= env.alerts.smsPerMemberPerDay) {
      notes.push("We could not text you: we have sent you as many alert texts today as we allow.");
    } else smsTo = sms.phone;
  }

  const email = choice.email;
  // A security alert is never dropped: with no other channel left, it is shown here.
  const inApp = choice.inApp || (isSecurityAlert(event) && !email && !smsTo);
  const notificationId = notify(tx, memberId, { text: rendered.text, link: rendered.link, event, inApp, note: null });
  const owner = { purpose: ACCOUNT_ALERT, notificationId };

  let texted = false;
  if (smsTo) {
    try {
      queueAccountSms(tx, env, { memberId, to: smsTo, body: `${rendered.sms} Reply STOP to stop texts.`, kind: event }, owner);
      texted = true;
    } catch (error) {
      if (!(error instanceof AccountSmsRefused)) throw error;
      notes.push(`We could not text you: ${error.message}`);
    }
  }
  if (email) {
    const to = def.emailTo?.(details) ?? address;
    queueAccountMail(tx, { memberId, to, subject: rendered.subject, text: `${rendered.email}${emailFooter(tx, env, memberId, to, event)}`, kind: event }, owner);
  }
  const shown = inApp || (isSecurityAlert(event) && !email && !texted);
  const note = notes.length ? notes.join(" ") : null;
  if (shown !== inApp || note) updateNotification(tx, notificationId, { inApp: shown, note });
  return { notificationId, inApp: shown, email, sms: texted, note };
}
