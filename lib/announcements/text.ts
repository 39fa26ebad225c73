// What an announcement is made of and what each channel sends, written once for the server and the compose form (pure,
// no server code, so the browser counts the SMS exactly as it will be sent): limits, the SMS with its opt-out line,
// and the checks of an admin's input in plain words.
import { z } from "zod";
import type { AnnouncementAudience } from "@/db/schema/announcements";
import { messageTextProblem } from "@/lib/smoke-signals/text-rules";
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
const AUDIENCES = Object.keys(AUDIENCE_LABELS) as [AnnouncementAudience, ...AnnouncementAudience[]];

export const CHANNEL_LABELS = { inApp: "In the app", email: "Email", sms: "SMS" } as const;
export type AnnouncementChannel = keyof typeof CHANNEL_LABELS;

/** The SMS exactly as sent: who it is from, the title, the body, the opt-out line. */
export const smsText = (title: string, body: string) => `Select Exposure: ${title.trim()}\n${body.trim()}\n${SMS_OPT_OUT_LINE}`;

export type SmsShape = SegmentInfo & { text: string; length: number; tooLong: boolean };

/** The SMS as sent and what it costs in segments; `tooLong` beyond Twilio's 1,600 characters. */
export function smsShape(title: string, body: string): SmsShape {
  const text = smsText(title, body);
  const length = [...text].length;
  return { ...segmentInfo(text), text, length, tooLong: length > MAX_SMS_BODY };
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();

export const draftSchema = z
  .object({
    title: z
      .string({ error: "Give the announcement a title." })
      .transform(oneLine)
      .pipe(z.string().min(1, "Give the announcement a title.").max(MAX_TITLE, `Keep the title to ${MAX_TITLE} characters.`)),
    body: z
      .string({ error: "Write the announcement." })
      .transform((s) => s.replace(/\r\n/g, "\n").trim())
      .pipe(z.string().min(1, "Write the announcement.").max(MAX_BODY, `Keep the announcement to ${MAX_BODY.toLocaleString("en-GB")} characters.`)),
    audience: z.enum(AUDIENCES, { error: "Choose who the announcement is for." }),
    inApp: z.boolean(),
    email: z.boolean(),
    sms: z.boolean(),
  })
  .superRefine((d, ctx) => {
    // No control or text-direction characters: they could disguise what members read, in an email subject above all.
    const title = messageTextProblem(d.title, "The title");
    const body = messageTextProblem(d.body, "The announcement");
    if (title) ctx.addIssue({ code: "custom", path: ["title"], message: title });
    if (body) ctx.addIssue({ code: "custom", path: ["body"], message: body });
    if (!d.inApp && !d.email && !d.sms) ctx.addIssue({ code: "custom", path: ["channels"], message: "Choose at least one way to send it: in the app, email or SMS." });
    if (d.sms) {
      const shape = smsShape(d.title, d.body);
      if (shape.tooLong) {
        ctx.addIssue({
          code: "custom",
          path: ["body"],
          message: `As a text message (with “Select Exposure:”, the title and the opt-out line) it would be ${shape.length.toLocaleString("en-GB")} characters; SMS allow ${MAX_SMS_BODY.toLocaleString("en-GB")}. Shorten it, or do not send it by SMS.`,
        });
      }
    }
  });
export type DraftInput = z.infer<typeof draftSchema>;
