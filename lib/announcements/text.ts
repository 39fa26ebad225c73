// What an announcement is made of and what each channel sends, written once for the server and the compose form (pure,
// no server code, so the browser counts the SMS exactly as it will be sent): limits, labels and the SMS with its
// opt-out line. The checks of an admin's input are in draft.ts, kept out of the browser's bundle (zod's probe for
// eval breaks the console's Content Security Policy).
import type { AnnouncementAudience } from "@/db/schema/announcements";
import { MAX_SMS_BODY, segmentInfo, type SegmentInfo } from "@/lib/twilio/sms";

/** The event of an announcement's in-app notification, and the scope of its emails' unsubscribe links. */
export const ANNOUNCEMENT_EVENT = "announcements";

export const MAX_TITLE = 120;
export const MAX_BODY = 5000;

/** The last line of every announcement SMS (carriers and Twilio's opt-out handling expect it). */
export const SMS_OPT_OUT_LINE = "Reply STOP to opt out.";

/** Every audience in words (the type makes it name each of the schema's, and no other). */
export const AUDIENCE_LABELS: Record<AnnouncementAudience, string> = {
  all: "All members",
  age_verified: "Age-verified members",
  opted_in: "Members who opted in to announcements (email or SMS)",
};
export const AUDIENCES = Object.keys(AUDIENCE_LABELS) as [AnnouncementAudience, ...AnnouncementAudience[]];

export const CHANNEL_LABELS = { inApp: "In the app", email: "Email", sms: "SMS" } as const;

/** The SMS exactly as sent: who it is from, the title, the body, the opt-out line. */
export const smsText = (title: string, body: string) => `Select Exposure: ${title.trim()}\n${body.trim()}\n${SMS_OPT_OUT_LINE}`;

export type SmsShape = SegmentInfo & { text: string; length: number; tooLong: boolean };

/** The SMS as sent and what it costs in segments; `tooLong` beyond Twilio's 1,600 characters. */
export function smsShape(title: string, body: string): SmsShape {
  const text = smsText(title, body);
  const length = [...text].length;
  return { ...segmentInfo(text), text, length, tooLong: length > MAX_SMS_BODY };
}
