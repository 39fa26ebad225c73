// Email and SMS for account reasons (links, codes, alerts) through the outbox, so none is lost or sent twice: each is
// queued inside the caller's transaction with an account_messages row that hears every outcome and stops a link or
// code from going out after it has expired. SMS keep the platform's rules: STOP, allowed countries, daily caps.
import "server-only";
import type { Db } from "@/db/client";
import type { AccountMessage } from "@/db/schema";
import { enqueue } from "@/lib/outbox/queue";
import { SignalRefused } from "@/lib/smoke-signals/errors";
import { countryRefusal, takeSmsBudget, type SmsBudgetEnv, type SmsPolicyEnv } from "@/lib/smoke-signals/sms-policy";
import { isSuppressed, SUPPRESSED_REASON } from "@/lib/smoke-signals/suppression";
import { normalisePhone } from "@/lib/twilio/phone";
import { insertAccountMessage } from "./queries";

/** The outbox purpose of links and codes (alerts have their own, "account_alert"). */
export const ACCOUNT_MESSAGE = "account_message";

/**
 * Fairness key: a member's account messages take their own turn in the outbox, never queued behind their (or anyone's)
 * smoke signals; mail to an address with no account yet is keyed by the address.
 */
export const accountKey = (memberIdOrAddress: string) => `account:${memberIdOrAddress}`;

export type AccountMail = {
  /** Null: an address with no account (yet). */
  memberId: string | null;
  to: string;
  subject: string;
  text: string;
  /** What it is, e.g. "email_verification", "password_reset" (kept on the account_messages row). */
  kind: string;
  /** Not sent after this: a link that would arrive dead. */
  expiresAt?: Date;
};

export type AccountSms = { memberId: string; to: string; body: string; kind: string; expiresAt?: Date };

/** Queues an email inside the caller's transaction. */
export function queueAccountMail(tx: Db, mail: AccountMail, owner: { purpose?: string; notificationId?: string } = {}): AccountMessage {
  const purpose = owner.purpose ?? ACCOUNT_MESSAGE;
  const row = insertAccountMessage(tx, { memberId: mail.memberId, purpose, kind: mail.kind, channel: "Email", notificationId: owner.notificationId, expiresAt: mail.expiresAt });
  enqueue(tx, { channel: "Email", recipient: mail.to, subject: mail.subject, body: mail.text, purpose, ownerId: row.id, fairnessKey: accountKey(mail.memberId ?? mail.to.toLowerCase()), memberId: mail.memberId ?? undefined });
  return row;
}

/** Why an account SMS was not queued, in the member's words; `status` is what an API answers. */
export class AccountSmsRefused extends Error {
  constructor(
    readonly code: "sms_stopped" | "sms_not_allowed" | "sms_daily_cap" | "invalid_phone",
    message: string,
    readonly status: 400 | 429,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AccountSmsRefused";
  }
}

export type AccountSmsEnv = SmsPolicyEnv & SmsBudgetEnv;

/** Why the platform may not text this number at all (STOP, or a country not allowed), or null. Counts nothing. */
export function accountSmsRefusal(db: Db, env: AccountSmsEnv, e164: string): AccountSmsRefused | null {
  const phone = normalisePhone(e164, env.twilio.defaultCountry);
  if (!phone.ok) return new AccountSmsRefused("invalid_phone", phone.message, 400);
  if (isSuppressed(db, phone.e164)) return new AccountSmsRefused("sms_stopped", SUPPRESSED_REASON, 400);
  const refusal = countryRefusal(env, { e164: phone.e164, country: phone.country });
  return refusal ? new AccountSmsRefused("sms_not_allowed", refusal, 400) : null;
}

/**
 * Inside the caller's transaction: checks that the platform may text this number (STOP, allowed countries) and takes
 * one SMS from the daily caps and the monthly budget. Throws AccountSmsRefused with nothing counted. Returns the number
 * as sent. For every platform SMS sent for a member (codes, alerts, announcements).
 */
export function takePlatformSms(tx: Db, env: AccountSmsEnv, to: string): { e164: string; country: string | undefined } {
  const refusal = accountSmsRefusal(tx, env, to);
  if (refusal) throw refusal;
  const phone = normalisePhone(to, env.twilio.defaultCountry);
  if (!phone.ok) throw new AccountSmsRefused("invalid_phone", phone.message, 400);
  try {
    takeSmsBudget(tx, env, phone.country);
  } catch (error) {
    if (error instanceof SignalRefused) throw new AccountSmsRefused("sms_daily_cap", error.message.replace(/ Try again tomorrow.*$/, " Try again tomorrow."), 429, error.retryAfterSeconds);
    throw error;
  }
  return { e164: phone.e164, country: phone.country };
}

/**
 * Queues an SMS inside the caller's transaction, within the platform's SMS rules: not to a number that replied STOP,
 * only to allowed countries, within the daily caps (counted here). Throws AccountSmsRefused (nothing queued or counted).
 */
export function queueAccountSms(tx: Db, env: AccountSmsEnv, sms: AccountSms, owner: { purpose?: string; notificationId?: string } = {}): AccountMessage {
  const phone = takePlatformSms(tx, env, sms.to);
  const purpose = owner.purpose ?? ACCOUNT_MESSAGE;
  const row = insertAccountMessage(tx, { memberId: sms.memberId, purpose, kind: sms.kind, channel: "SMS", notificationId: owner.notificationId, expiresAt: sms.expiresAt });
  enqueue(tx, { channel: "SMS", recipient: phone.e164, body: sms.body, purpose, ownerId: row.id, fairnessKey: accountKey(sms.memberId), memberId: sms.memberId });
  return row;
}
