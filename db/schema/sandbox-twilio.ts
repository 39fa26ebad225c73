// The local Twilio emulator's state (sandbox mode only): messages it accepted or received and the callbacks it made.
// In SQLite so pending status transitions survive a restart and every separately bundled route sees the same data.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const sandboxTwilioMessages = sqliteTable(
  "sandbox_twilio_messages",
  {
    sid: text("sid").primaryKey(),
    accountSid: text("account_sid").notNull(),
    messagingServiceSid: text("messaging_service_sid"),
    /** "outbound-api": sent by the app; "inbound": a tester's reply from the sandbox phone; "outbound-reply": an answer to it. */
    direction: text("direction", { enum: ["outbound-api", "outbound-reply", "inbound"] }).notNull(),
    /** For an outbound-reply: who wrote it, the app (its TwiML) or Twilio itself (default STOP/START/HELP replies). */
    replyBy: text("reply_by", { enum: ["app", "twilio"] }),
    from: text("from").notNull(),
    to: text("to").notNull(),
    body: text("body").notNull(),
    status: text("status").notNull(),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    numSegments: integer("num_segments").notNull(),
    statusCallback: text("status_callback"),
    /** The last status whose callback was attempted: a status ahead of it still owes its callback (even after a restart). */
    callbackStatus: text("callback_status"),
    /** When the next lifecycle step is due (ms); null once the message is final. */
    nextAt: integer("next_at"),
    /** When the sender's queue sends it (ms): one message per 1/MPS seconds per sender, as Twilio queues beyond its rate. */
    sendAt: integer("send_at"),
    /** The error the message fails with at its next step instead of being sent (30001: it waited the queue's maximum). */
    failCode: integer("fail_code"),
    dateCreated: integer("date_created").notNull(),
    dateUpdated: integer("date_updated").notNull(),
    dateSent: integer("date_sent"),
    /** Inbound only: what the app's inbound webhook answered (HTTP status and TwiML), or why it could not be reached. */
    replyHttpStatus: integer("reply_http_status"),
    replyBody: text("reply_body"),
    replyError: text("reply_error"),
  },
  (t) => [index("sandbox_twilio_messages_to_idx").on(t.to, t.dateCreated), index("sandbox_twilio_messages_next_idx").on(t.nextAt)],
);

export const sandboxTwilioCallbacks = sqliteTable(
  "sandbox_twilio_callbacks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageSid: text("message_sid").notNull(),
    status: text("status").notNull(),
    url: text("url").notNull(),
    /** The app's answer, or null when it could not be reached (then `error` says why). */
    httpStatus: integer("http_status"),
    error: text("error"),
    /** A fault the tester asked for: "duplicate", "delayed 3000 ms", "reordered", "dropped". */
    fault: text("fault"),
    attemptedAt: integer("attempted_at").notNull(),
  },
  (t) => [index("sandbox_twilio_callbacks_message_idx").on(t.messageSid)],
);

/**
 * Twilio Verify's verifications in the emulator: one per service and number while pending (a resend sends the same
 * code again), with the code in clear (it is the emulator's, shown on the sandbox phone anyway).
 */
export const sandboxTwilioVerifications = sqliteTable(
  "sandbox_twilio_verifications",
  {
    sid: text("sid").primaryKey(),
    accountSid: text("account_sid").notNull(),
    serviceSid: text("service_sid").notNull(),
    to: text("to").notNull(),
    channel: text("channel").notNull(),
    code: text("code").notNull(),
    /** pending | approved | canceled | max_attempts_reached | expired */
    status: text("status").notNull(),
    /** Message sids of each send (Twilio's send_code_attempts). */
    sends: text("sends", { mode: "json" }).$type<{ time: number; sid: string }[]>().notNull(),
    checks: integer("checks").notNull().default(0),
    dateCreated: integer("date_created").notNull(),
    dateUpdated: integer("date_updated").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sandbox_twilio_verifications_to_idx").on(t.serviceSid, t.to, t.dateCreated)],
);

export type SandboxTwilioVerification = typeof sandboxTwilioVerifications.$inferSelect;
export type SandboxTwilioMessage = typeof sandboxTwilioMessages.$inferSelect;
export type SandboxTwilioCallback = typeof sandboxTwilioCallbacks.$inferSelect;
