// The checks of an admin's announcement draft, in plain words: the server's alone (zod stays out of the compose form's
// bundle, where its probe for eval would be reported as a Content Security Policy violation).
import { z } from "zod";
import { messageTextProblem } from "@/lib/smoke-signals/text-rules";
import { MAX_SMS_BODY } from "@/lib/twilio/sms";
import { AUDIENCES, MAX_BODY, MAX_TITLE, smsShape } from "./text";

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
