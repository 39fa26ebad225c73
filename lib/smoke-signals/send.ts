// Sending a smoke signal: validate, check consent, verification, suppression lists and limits, then write the signal, its
// first timeline entry and its outbox message in one transaction. The dispatcher sends it after commit. An "Own phone"
// signal sends nothing: the member gets the text and their personal join link to send from their own phone.
import "server-only";
import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { immediate, type Db } from "@/db/client";
import type { Member, SmokeSignal } from "@/db/schema";
import { emailSchema } from "@/lib/accounts/members";
import { mailboxKey } from "@/lib/email/address";
import { createUnsubscribeToken, EMAIL_SUPPRESSED_REASON, isEmailSuppressed, unsubscribePageUrl } from "@/lib/email/unsubscribe";
import type { Env } from "@/lib/env";
import { newUrlToken } from "@/lib/http/url-token";
import { enqueue } from "@/lib/outbox/queue";
import { normalisePhone } from "@/lib/twilio/phone";
import { MAX_SMS_BODY } from "@/lib/twilio/sms";
import { isVerified } from "@/lib/verification/service";
import { composeEmail, composeOwnPhone, composeSms, EMAIL_MAX_CHARS, joinUrl } from "./compose";
import { memberKey, SMOKE_SIGNAL } from "./delivery";
import { SignalRefused } from "./errors";
import { checkLimits } from "./limits";
import { insertSignal } from "./queries";
import { countryRefusal, takeSmsBudget } from "./sms-policy";
import { isSuppressed, SUPPRESSED_REASON } from "./suppression";
import { messageTextProblem, senderNameProblem } from "./text-rules";

const CHANNEL_NAMES: Record<string, string> = { sms: "SMS", email: "Email", "own phone": "Own phone", own_phone: "Own phone", ownphone: "Own phone" };
const NO_RECIPIENT = "Enter who to invite: a mobile number or an email address.";

export const sendSchema = z
  .object({
    /** Required for SMS and Email; optional for "Own phone" (it prefills the number in the member's messages app). */
    to: z.string({ error: NO_RECIPIENT }).trim().max(254).default(""),
    channel: z.preprocess(
      (v) => (typeof v === "string" ? (CHANNEL_NAMES[v.trim().toLowerCase()] ?? v) : v),
      z.enum(["SMS", "Email", "Own phone"], { error: 'Choose the channel: "SMS", "Email" or "Own phone".' }),
    ),
    message: z
      .string({ error: "Write a message." })
      .transform((m) => m.replace(/\r\n?/g, "\n"))
      .pipe(z.string().trim().min(1, "Write a message.").max(EMAIL_MAX_CHARS, `Keep the message under ${EMAIL_MAX_CHARS} characters.`))
      .superRefine((m, ctx) => {
        const problem = messageTextProblem(m);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    sender: z
      .string()
      .trim()
      .max(60, "Sign with at most 60 characters.")
      .superRefine((name, ctx) => {
        const problem = senderNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    consent: z.boolean({ error: "consent must be true or false." }).optional(),
    /** Two-letter country for a number typed without its international prefix. */
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "Use a two-letter country code such as GB.")
      .transform((c) => c.toUpperCase())
      .refine((c) => isSupportedCountry(c), "We do not know that country code; use a two-letter code such as GB.")
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.channel !== "Own phone" && !v.to) ctx.addIssue({ code: "custom", path: ["to"], message: NO_RECIPIENT });
  });
export type SendInput = z.infer<typeof sendSchema>;


export type SendContext = {
  sender: Member;
  senderScreenName: string | null;
  /** The caller authenticated with an API token whose creation recorded the member's consent attestation. */
  tokenConsent: boolean;
  /** Client address key (IPv4, or the IPv6 /64) for the per-address limit. */
  ip: string | null;
  env: Pick<Env, "mode" | "appUrl" | "twilio" | "limits" | "smsCaps">;
};

export const VERIFICATION_REQUIRED =
  "Text messages from Select Exposure are for members who have verified their age. Verify your age on your profile, or invite by email or from your own phone meanwhile.";

/** A queued signal; for "Own phone", also the text to send and the sms: link that opens it in a messages app. */
export type Sent = SmokeSignal & { ownPhone?: { text: string; smsUri: string } };

/** Creates and queues a smoke signal, or throws SignalRefused saying why not. */
export function sendSmokeSignal(db: Db, input: SendInput, ctx: SendContext): Sent {
  if (input.channel === "Own phone") return prepareOwnPhone(db, input, ctx);
  if (input.consent === false || (input.consent !== true && !ctx.tokenConsent)) {
    throw new SignalRefused(400, "consent_required", "Confirm that the person you are inviting has agreed to receive this message.", {
      consent: "Confirm that the recipient has agreed to be contacted.",
    });
  }
  const consent = input.consent === true ? "ui" : "api_token";
  let recipient: string;
  let smsCountry: string | undefined;
  if (input.channel === "SMS") {
    // Platform SMS costs money and can be pumped: only members who proved their age may have us send one.
    if (!isVerified(db, ctx.sender.id)) throw new SignalRefused(403, "age_verification_required", VERIFICATION_REQUIRED, { channel: VERIFICATION_REQUIRED });
    const country = input.country ?? ctx.env.twilio.defaultCountry;
    const phone = normalisePhone(input.to, country);
    if (!phone.ok) throw new SignalRefused(400, "invalid_phone", phone.message, { to: phone.message });
    const refusal = countryRefusal(ctx.env, phone);
    if (refusal) throw new SignalRefused(400, "country_not_allowed", refusal, { to: refusal });
    recipient = phone.e164;
    smsCountry = phone.country;
    if (isSuppressed(db, recipient)) throw new SignalRefused(400, "recipient_opted_out", SUPPRESSED_REASON, { to: SUPPRESSED_REASON });
  } else {
    const email = emailSchema.safeParse(input.to);
    if (!email.success) {
      const msg = email.error.issues[0]?.message ?? "Enter a valid email address.";
      throw new SignalRefused(400, "invalid_email", msg, { to: msg });
    }
    recipient = email.data;
    if (isEmailSuppressed(db, recipient)) throw new SignalRefused(400, "recipient_unsubscribed", EMAIL_SUPPRESSED_REASON, { to: EMAIL_SUPPRESSED_REASON });
  }
  // One mailbox, however it is written: name+tag@domain counts against name@domain's per-recipient limit.
  const recipientKey = input.channel === "Email" ? mailboxKey(recipient) : recipient;
  const senderName = input.sender || ctx.senderScreenName || "A member";
  const token = newUrlToken();
  const link = joinUrl(ctx.env.appUrl, token);
  const sms = input.channel === "SMS" ? composeSms({ message: input.message, senderName, joinUrl: link }) : null;
  if (sms && sms.length > MAX_SMS_BODY) {
    const room = MAX_SMS_BODY - (sms.length - input.message.length);
    const msg = `The message is too long for SMS: with the join link, at most ${room} characters fit (you wrote ${input.message.length}).`;
    throw new SignalRefused(400, "message_too_long", msg, { message: msg });
  }
  return immediate(db, () => {
    checkLimits(db, ctx.env.limits, { senderId: ctx.sender.id, recipientKey, ip: ctx.ip });
    if (sms) takeSmsBudget(db, ctx.env, smsCountry);
    const signal = insertSignal(
      db,
      { senderId: ctx.sender.id, recipient, recipientKey, channel: input.channel, message: input.message, senderName: input.sender || null, joinToken: token, consent, ip: ctx.ip },
      { status: "Pending", note: "Queued for sending" },
    );
    const owner = { purpose: SMOKE_SIGNAL, ownerId: signal.id, fairnessKey: memberKey(ctx.sender.id), memberId: ctx.sender.id };
    if (sms) enqueue(db, { channel: "SMS", recipient, body: sms, ...owner });
    else {
      const unsubscribeUrl = unsubscribePageUrl(ctx.env.appUrl, createUnsubscribeToken(db, recipient));
      const mail = composeEmail({ message: input.message, senderName, joinUrl: link, unsubscribeUrl });
      enqueue(db, { channel: "Email", recipient, subject: mail.subject, body: mail.text, html: mail.html, ...owner });
    }
    return signal;
    });
}

/**
 * "Own phone": the member texts the invitation themselves. We send and pay for nothing, so no consent, verification,
 * country or cap applies; the signal only records the personal join link so the member hears when someone joins.
 */
function prepareOwnPhone(db: Db, input: SendInput, ctx: SendContext): Sent {
  let recipient = "";
  if (input.to) {
    const phone = normalisePhone(input.to, input.country ?? ctx.env.twilio.defaultCountry);
    if (!phone.ok) throw new SignalRefused(400, "invalid_phone", phone.message, { to: phone.message });
    recipient = phone.e164;
  }
  const token = newUrlToken();
  const text = composeOwnPhone({ message: input.message, joinUrl: joinUrl(ctx.env.appUrl, token) });
  const signal = immediate(db, () => {
    // The recipient is whoever the member texts: no per-recipient count (key ""), the member and address limits apply.
    checkLimits(db, ctx.env.limits, { senderId: ctx.sender.id, recipientKey: "", ip: ctx.ip });
    return insertSignal(
      db,
      { senderId: ctx.sender.id, recipient, recipientKey: "", channel: "Own phone", status: "Prepared", message: input.message, joinToken: token, consent: "ui", ip: ctx.ip },
      { status: "Prepared", note: "Handed to your phone: Select Exposure sent nothing" },
    );
    });
  return { ...signal, ownPhone: { text, smsUri: smsUri(recipient, text) } };
}

/** An sms: link that opens the messages app with the text (and the number, when known) filled in, on iOS and Android. */
export function smsUri(number: string, text: string): string {
  return `sms:${number}?&body=${encodeURIComponent(text)}`;
}
