// A member's announcement choices: shown in the app (on unless they switch it off), email and SMS only with their
// consent, each given and withdrawn with its time; SMS only to the verified number the consent was given for, never on
// the strength of an alert, smoke-signal or any other consent. Enforced here, on the server.
import "server-only";
import { immediate, type Db } from "@/db/client";
import { verifiedPhone } from "@/lib/accounts/members";
import { smsAvailability } from "@/lib/alerts/preferences";
import { preferenceRow, recordConsent, upsertPreference } from "./queries";

export type AnnouncementChoices = {
  inApp: boolean;
  email: boolean;
  sms: boolean;
  emailSince: Date | null;
  smsSince: Date | null;
  /** The number the SMS consent was given for. */
  smsPhone: string | null;
  /** Set when the consent's number is no longer the member's verified number: nothing is texted until they agree again. */
  smsStale: boolean;
};

export function announcementChoices(db: Db, memberId: string): AnnouncementChoices {
  const row = preferenceRow(db, memberId);
  const phone = verifiedPhone(db, memberId);
  const smsSince = row?.smsConsentAt ?? null;
  return {
    inApp: row?.inApp ?? true,
    email: Boolean(row?.emailConsentAt),
    sms: Boolean(smsSince),
    emailSince: row?.emailConsentAt ?? null,
    smsSince,
    smsPhone: row?.smsConsentPhone ?? null,
    smsStale: Boolean(smsSince) && row?.smsConsentPhone !== phone,
  };
}

export class AnnouncementChoicesRefused extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields)[0] ?? "Check your choices.");
    this.name = "AnnouncementChoicesRefused";
  }
}

/**
 * Saves the member's announcement choices, all or nothing. A consent newly given is recorded with its time (and for
 * SMS the verified number it covers); one withdrawn likewise. Refused: SMS without a verified number that can be texted.
 */
export function saveAnnouncementChoices(db: Db, memberId: string, wanted: { inApp: boolean; email: boolean; sms: boolean }, now = new Date()): AnnouncementChoices {
  const current = announcementChoices(db, memberId);
  let smsPhone: string | null = null;
  if (wanted.sms) {
    const sms = smsAvailability(db, memberId);
    if (!sms.available) throw new AnnouncementChoicesRefused({ sms: sms.why.replace("Text message alerts go", "Texts go") });
    smsPhone = sms.phone;
  }
  immediate(db, () => {
    const emailSince = wanted.email ? (current.emailSince ?? now) : null;
    // Agreeing again for a changed number is a new consent for that number.
    const smsRenewed = wanted.sms && (!current.sms || current.smsPhone !== smsPhone);
    const smsSince = wanted.sms ? (smsRenewed ? now : current.smsSince) : null;
    if (wanted.email !== current.email) recordConsent(db, { memberId, channel: "Email", given: wanted.email, source: "preferences", at: now });
    if (smsRenewed || (!wanted.sms && current.sms)) recordConsent(db, { memberId, channel: "SMS", given: wanted.sms, phone: wanted.sms ? smsPhone : current.smsPhone, source: "preferences", at: now });
    upsertPreference(db, { memberId, inApp: wanted.inApp, emailConsentAt: emailSince, smsConsentAt: smsSince, smsConsentPhone: wanted.sms ? smsPhone : null });
  });
  return announcementChoices(db, memberId);
}

/** An announcement email's unsubscribe link: the email consent withdrawn (or, "changed my mind", given again). */
export function setAnnouncementEmail(db: Db, memberId: string, on: boolean, now = new Date()): void {
  immediate(db, () => {
    const row = preferenceRow(db, memberId);
    if (Boolean(row?.emailConsentAt) === on) return;
    recordConsent(db, { memberId, channel: "Email", given: on, source: "unsubscribe", at: now });
    upsertPreference(db, {
      memberId,
      inApp: row?.inApp ?? true,
      emailConsentAt: on ? now : null,
      smsConsentAt: row?.smsConsentAt ?? null,
      smsConsentPhone: row?.smsConsentPhone ?? null,
    });
  });
}
