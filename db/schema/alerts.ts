// Account alerts and the messages the account flows send: each member's alert choices per event and channel, and one
// row per email or SMS queued for an account reason (an alert, a link, a code), which the outbox reports back to.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./accounts";
import { notifications } from "./messaging";

const now = sql`(unixepoch('subsec') * 1000)`;

/**
 * A member's choice of channels for one alert event (lib/alerts/catalogue.ts names the events). No row: the event's
 * defaults apply. Security events keep at least one channel on (enforced in lib/alerts/preferences.ts).
 */
export const alertPreferences = sqliteTable(
  "alert_preferences",
  {
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    inApp: integer("in_app", { mode: "boolean" }).notNull(),
    email: integer("email", { mode: "boolean" }).notNull(),
    sms: integer("sms", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(now)
      .$onUpdateFn(() => new Date()),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.event] })],
);

export const ACCOUNT_MESSAGE_STATES = ["queued", "sent", "failed"] as const;
export type AccountMessageState = (typeof ACCOUNT_MESSAGE_STATES)[number];

/**
 * One email or SMS queued for an account reason: an alert (purpose "account_alert") or a link or code (purpose
 * "account_message"). The outbox row's owner; it records what became of the message, and when it stops being worth
 * sending (a code or link that has expired is not sent late).
 */
export const accountMessages = sqliteTable(
  "account_messages",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => randomUUID()),
    /** Null for mail to an address with no account yet (a sign-up's confirmation link). */
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    /** The outbox purpose it was queued under. */
    purpose: text("purpose").notNull(),
    /** What it is: an alert's event key, or a message kind such as "email_verification" or "password_reset". */
    kind: text("kind").notNull(),
    channel: text("channel", { enum: ["SMS", "Email"] }).notNull(),
    /** For an alert: its in-app notification (shown when every other channel failed for a security alert). */
    notificationId: text("notification_id").references(() => notifications.id, { onDelete: "set null" }),
    /** Not sent after this (a link or code that would arrive dead). */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    state: text("state", { enum: ACCOUNT_MESSAGE_STATES }).notNull().default("queued"),
    /** Why it failed (or is late), in words the member can be shown. */
    reason: text("reason"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(now)
      .$onUpdateFn(() => new Date()),
  },
  (t) => [index("account_messages_member_idx").on(t.memberId, t.channel, t.createdAt)],
);

export type AlertPreferenceRow = typeof alertPreferences.$inferSelect;
export type AccountMessage = typeof accountMessages.$inferSelect;
