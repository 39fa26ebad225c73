// Sending a smoke signal: validate, check consent, suppression and limits, then write the signal, its first timeline
// entry and its outbox message in one transaction. The dispatcher sends it after commit.
import "server-only";
import { randomBytes } from "node:crypto";
import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import type { Db } from "@/db/client";
import { smokeSignalEvents, smokeSignals, type Member, type SmokeSignal } from "@/db/schema";
import { emailSchema } from "@/lib/accounts/members";
import type { Env } from "@/lib/env";
import { enqueue } from "@/lib/outbox/queue";
import { normalisePhone } from "@/lib/twilio/phone";
import { composeEmail, composeSms, EMAIL_MAX_CHARS, joinUrl, SMS_MAX_CHARS } from "./compose";
import { SignalRefused } from "./errors";
import { checkLimits } from "./limits";
import { countryRefusal } from "./sms-policy";
import { isSuppressed, SUPPRESSED_REASON } from "./suppression";

export const sendSchema = z.object({
  to: z.string({ error: "Enter who to invite: a mobile number or an email address." }).trim().min(1, "Enter who to invite: a mobile number or an email address.").max(254),
  channel: z.preprocess(
    (v) => (typeof v === "string" ? ({ sms: "SMS", email: "Email" } as Record<string, string>)[v.trim().toLowerCase()] ?? v : v),
    z.enum(["SMS", "Email"], { error: 'Choose the channel: "SMS" or "Email".' }),
  ),
  message: z.string({ error: "Write a message." }).trim().min(1, "Write a message.").max(EMAIL_MAX_CHARS, `Keep the message under ${EMAIL_MAX_CHARS} characters.`),
  sender: z.string().trim().max(60, "Sign with at most 60 characters.").optional(),
  consent: z.boolean({ error: "consent must be true or false." }).optional(),
  /** Two-letter country for a number typed without its international prefix. */
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "Use a two-letter country code such as GB.")
    .transform((c) => c.toUpperCase())
    .refine((c) => isSupportedCountry(c), "We do not know that country code; use a two-letter code such as GB.")
    .optional(),
});
export type SendInput = z.infer<typeof sendSchema>;

export function newJoinToken(): string {
  return randomBytes(16).toString("base64url");
}

export type SendContext = {
  sender: Member;
  senderScreenName: string | null;
  /** The caller authenticated with an API token whose creation recorded the member's consent attestation. */
  tokenConsent: boolean;
  ip: string | null;
  env: Pick<Env, "mode" | "appUrl" | "twilio" | "limits">;
};

/** Creates and queues a smoke signal, or throws SignalRefused saying why not. */
export function sendSmokeSignal(db: Db, input: SendInput, ctx: SendContext): SmokeSignal {
  if (input.consent === false || (input.consent !== true && !ctx.tokenConsent)) {
    throw new SignalRefused(400, "consent_required", "Confirm that the person you are inviting has agreed to receive this message.", {
      consent: "Confirm that the recipient has agreed to be contacted.",
    });
  }
  const consent = input.consent === true ? "ui" : "api_token";
  let recipient: string;
  if (input.channel === "SMS") {
    const country = input.country ?? ctx.env.twilio.defaultCountry;
    const phone = normalisePhone(input.to, country);
    if (!phone.ok) throw new SignalRefused(400, "invalid_phone", phone.message, { to: phone.message });
    const refusal = countryRefusal(ctx.env, phone);
    if (refusal) throw new SignalRefused(400, "country_not_allowed", refusal, { to: refusal });
    recipient = phone.e164;
    if (isSuppressed(db, recipient)) throw new SignalRefused(400, "recipient_opted_out", SUPPRESSED_REASON, { to: SUPPRESSED_REASON });
  } else {
    const email = emailSchema.safeParse(input.to);
    if (!email.success) {
      const msg = email.error.issues[0]?.message ?? "Enter a valid email address.";
      throw new SignalRefused(400, "invalid_email", msg, { to: msg });
    }
    recipient = email.data;
  }

  const senderName = input.sender || ctx.senderScreenName || "A member";
  const token = newJoinToken();
  const link = joinUrl(ctx.env.appUrl, token);
  const sms = input.channel === "SMS" ? composeSms({ message: input.message, senderName, joinUrl: link }) : null;
  if (sms && sms.length > SMS_MAX_CHARS) {
    const room = SMS_MAX_CHARS - (sms.length - input.message.length);
    const msg = `The message is too long for SMS: with the join link, at most ${room} characters fit (you wrote ${input.message.length}).`;
    throw new SignalRefused(400, "message_too_long", msg, { message: msg });
  }

  return db.$client
    .transaction(() => {
      checkLimits(db, ctx.env.limits, { senderId: ctx.sender.id, recipientKey: recipient, ip: ctx.ip });
      const signal = db
        .insert(smokeSignals)
        .values({ senderId: ctx.sender.id, recipient, recipientKey: recipient, channel: input.channel, message: input.message, senderName: input.sender || null, joinToken: token, consent, ip: ctx.ip })
        .returning()
        .get();
      db.insert(smokeSignalEvents).values({ signalId: signal.id, status: "Pending", note: "Queued for sending" }).run();
      if (sms) enqueue(db, { channel: "SMS", recipient, body: sms, signalId: signal.id });
      else {
        const mail = composeEmail({ message: input.message, senderName, joinUrl: link });
        enqueue(db, { channel: "Email", recipient, signalId: signal.id, subject: mail.subject, body: mail.text, html: mail.html });
      }
      return signal;
    })
    .immediate();
}
