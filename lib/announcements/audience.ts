// Who an announcement reaches and by which channel, decided once for the preview and for the queuing: the audience's
// enabled members; in the app unless they switched it off; email only with their consent, to a confirmed address not
// on the unsubscribe list; SMS only with their separate SMS consent, to the verified number it was given for, within
// the platform's rules (STOP, allowed countries). And the preview an admin sees before sending: recipients per
// channel, the SMS as sent with its segments, and the estimated cost at Twilio's list prices.
import "server-only";
import type { Db, Tx } from "@/db/client";
import type { Announcement } from "@/db/schema";
import { accountSmsRefusal, type AccountSmsEnv } from "@/lib/account-messages/send";
import { isEmailSuppressed } from "@/lib/email/unsubscribe";
import { smsBudgetRefusal } from "@/lib/sms-budget/budget";
import { smsUsedOn } from "@/lib/smoke-signals/queries";
import { normalisePhone } from "@/lib/twilio/phone";
import { countryPricePerSegment, PRICE_UNIT } from "@/lib/twilio/prices";
import { audiencePage, type AudienceRow } from "./queries";
import { smsShape, type SmsShape } from "./text";

export type Reach = { inApp: boolean; email: string | null; sms: string | null };

/** Where one member of the audience gets the announcement (the channels it is sent on, within their choices). */
export function reachOf(db: Db | Tx, env: AccountSmsEnv, a: Pick<Announcement, "inApp" | "email" | "sms">, r: AudienceRow): Reach {
  const inApp = a.inApp && (r.inApp ?? true);
  const email = a.email && r.emailConsentAt && r.emailVerifiedAt && !isEmailSuppressed(db, r.email) ? r.email : null;
  const consented = a.sms && r.smsConsentAt && r.phoneVerifiedAt && r.phone && r.smsConsentPhone === r.phone;
  const sms = consented && !accountSmsRefusal(db as Db, env, r.phone!) ? r.phone : null;
  return { inApp, email, sms };
}

/** Members read per query while previewing and queuing: one batch is one transaction when queuing. */
export const PAGE = 500;

/** Every member of the audience with where they are reached, a page at a time (for the preview). */
export function* reachOfAudience(db: Db, env: AccountSmsEnv, a: Announcement): Generator<Reach & { row: AudienceRow }> {
  let after: string | null = null;
  for (;;) {
    const rows = audiencePage(db, a.audience, after, PAGE);
    for (const row of rows) yield { ...reachOf(db, env, a, row), row };
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.memberId;
  }
}

export type Preview = {
  /** Members in the audience (enabled accounts). */
  members: number;
  inApp: number;
  email: number;
  sms: number;
  /** The SMS as sent (with the opt-out line): characters, encoding, segments. */
  smsShape: SmsShape;
  /** Texts by destination country: recipients, price per segment (list price), and their cost in millionths. */
  countries: { country: string; recipients: number; perSegmentMicros: number; costMicros: number }[];
  estimateMicros: number;
  unit: string;
  /** Why SMS would be refused when sending now, or how many the daily cap leaves: the admin sees it before sending. */
  smsLimit: { stopped: string | null; leftToday: number };
};

const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** What sending the announcement now would do, counted with the rules the queuing applies. */
export function previewAnnouncement(db: Db, env: AccountSmsEnv, a: Announcement, now = new Date()): Preview {
  const shape = smsShape(a.title, a.body);
  const counts = { members: 0, inApp: 0, email: 0, sms: 0 };
  const byCountry = new Map<string, { recipients: number; perSegmentMicros: number }>();
  for (const reach of reachOfAudience(db, env, a)) {
    counts.members++;
    if (reach.inApp) counts.inApp++;
    if (reach.email) counts.email++;
    if (reach.sms) {
      counts.sms++;
      const phone = normalisePhone(reach.sms, env.twilio.defaultCountry);
      // Priced by the country the platform's caps count it under (the number's, as normalised).
      const where = phone.ok ? phone.country : undefined;
      const country = where ?? "other";
      const entry = byCountry.get(country) ?? { recipients: 0, perSegmentMicros: Math.round(countryPricePerSegment(where) * 1_000_000) };
      entry.recipients++;
      byCountry.set(country, entry);
    }
  }
  const countries = [...byCountry].map(([country, c]) => ({ country, ...c, costMicros: c.recipients * c.perSegmentMicros * shape.segments })).sort((x, y) => y.recipients - x.recipients);
  const used = smsUsedOn(db, utcDay(now), "").total;
  return {
    ...counts,
    smsShape: shape,
    countries,
    estimateMicros: countries.reduce((n, c) => n + c.costMicros, 0),
    unit: PRICE_UNIT,
    smsLimit: { stopped: smsBudgetRefusal(db, now), leftToday: Math.max(0, env.smsCaps.daily - used) },
  };
}
