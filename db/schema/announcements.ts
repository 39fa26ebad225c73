// Announcements (contests and wins): what an admin wrote and to whom, each member's announcement choices and consents
// (email and SMS are opt-in, each recorded with its time), and one row per message it became, which the outbox and
// the console's progress read.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./accounts";
import { outbox } from "./messaging";

const now = sql`(unixepoch('subsec') * 1000)`;
const id = () => text("id").primaryKey().$defaultFn(() => randomUUID());

/** Who an announcement is for (lib/announcements/audience.ts says who each is). */
export const ANNOUNCEMENT_AUDIENCES = ["all", "age_verified", "opted_in"] as const;
export type AnnouncementAudience = (typeof ANNOUNCEMENT_AUDIENCES)[number];

/** draft: being prepared; sending: recipients are being queued (resumable from `cursor`); sent: all queued; discarded. */
export const ANNOUNCEMENT_STATES = ["draft", "sending", "sent", "discarded"] as const;
export type AnnouncementState = (typeof ANNOUNCEMENT_STATES)[number];

export const announcements = sqliteTable(
  "announcements",
  {
    id: id(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    audience: text("audience", { enum: ANNOUNCEMENT_AUDIENCES }).notNull(),
    inApp: integer("in_app", { mode: "boolean" }).notNull(),
    email: integer("email", { mode: "boolean" }).notNull(),
    sms: integer("sms", { mode: "boolean" }).notNull(),
    state: text("state", { enum: ANNOUNCEMENT_STATES }).notNull().default("draft"),
    /** The compose form's one-time key: a double submit finds the draft the first one made instead of making another. */
    createKey: text("create_key").notNull().unique(),
    /** Kept as text (no foreign key), like the audit log: the record outlives the admin's account. */
    createdBy: text("created_by").notNull(),
    sentBy: text("sent_by"),
    sendStartedAt: integer("send_started_at", { mode: "timestamp_ms" }),
    /** When the last recipient was queued. */
    queuedAt: integer("queued_at", { mode: "timestamp_ms" }),
    /** The last member id queued (members are queued in id order, a batch per transaction): where a restart resumes. */
    cursor: text("cursor"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(now)
      .$onUpdateFn(() => new Date()),
  },
  (t) => [index("announcements_state_idx").on(t.state, t.createdAt)],
);

/**
 * A member's announcement choices. No row: shown in the app, no email, no SMS. Email and SMS are consents given on the
 * preferences page, each with its time; the SMS consent names the verified number it was given for, so a changed
 * number is not texted on an old consent.
 */
export const announcementPreferences = sqliteTable("announcement_preferences", {
  memberId: text("member_id")
    .primaryKey()
    .references(() => members.id, { onDelete: "cascade" }),
  inApp: integer("in_app", { mode: "boolean" }).notNull().default(true),
  emailConsentAt: integer("email_consent_at", { mode: "timestamp_ms" }),
  smsConsentAt: integer("sms_consent_at", { mode: "timestamp_ms" }),
  smsConsentPhone: text("sms_consent_phone"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(now)
    .$onUpdateFn(() => new Date()),
});

/** Every announcement consent given or withdrawn, with its time and how: the record behind the current choice. */
export const announcementConsents = sqliteTable(
  "announcement_consents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: ["Email", "SMS"] }).notNull(),
    given: integer("given", { mode: "boolean" }).notNull(),
    /** For SMS: the number it was given for. */
    phone: text("phone"),
    /** "preferences" (the member's page), "unsubscribe" (an email's link). */
    source: text("source").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [index("announcement_consents_member_idx").on(t.memberId, t.at)],
);

/** What became of an announcement for one member on one channel. */
export const ANNOUNCEMENT_MESSAGE_STATES = ["shown", "queued", "failed"] as const;

export const announcementMessages = sqliteTable(
  "announcement_messages",
  {
    id: id(),
    announcementId: text("announcement_id")
      .notNull()
      .references(() => announcements.id, { onDelete: "cascade" }),
    /** Null once the member deleted their account (the row stays for the announcement's counts). */
    memberId: text("member_id").references(() => members.id, { onDelete: "set null" }),
    channel: text("channel", { enum: ["InApp", "Email", "SMS"] }).notNull(),
    /** The queued email or SMS; its outcome is the outbox's (null: shown in the app, or refused before queuing). */
    outboxId: text("outbox_id").references(() => outbox.id, { onDelete: "set null" }),
    /** shown (in the app), queued (see the outbox row), failed (refused before queuing: a daily cap, the budget). */
    state: text("state", { enum: ANNOUNCEMENT_MESSAGE_STATES }).notNull(),
    /** Why it failed, in words the admin is shown. */
    reason: text("reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    // Nothing twice: one message per member and channel, whatever restarts or races happen while queuing.
    uniqueIndex("announcement_messages_once_idx").on(t.announcementId, t.memberId, t.channel),
    index("announcement_messages_outbox_idx").on(t.outboxId),
  ],
);

export type Announcement = typeof announcements.$inferSelect;
export type AnnouncementPreference = typeof announcementPreferences.$inferSelect;
export type AnnouncementConsent = typeof announcementConsents.$inferSelect;
export type AnnouncementMessage = typeof announcementMessages.$inferSelect;
