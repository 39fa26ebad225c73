// Messaging: smoke signals, the durable outbox with its attempt log, suppressions, API tokens, notifications, caught mail.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./accounts";

const id = () => text("id").primaryKey().$defaultFn(() => randomUUID());
const now = sql`(unixepoch('subsec') * 1000)`;
const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(now);
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(now)
    .$onUpdateFn(() => new Date());

export const CHANNELS = ["SMS", "Email", "Own phone"] as const;
export type Channel = (typeof CHANNELS)[number];
/** The channels the platform itself sends (and pays for); "Own phone" is sent by the member from their own phone. */
export type SentChannel = Exclude<Channel, "Own phone">;
/** "Prepared": an "Own phone" invitation whose text and link were handed to the member's phone; we send nothing. */
export const SIGNAL_STATUSES = ["Pending", "Delivered", "Failed", "Prepared"] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

export const smokeSignals = sqliteTable(
  "smoke_signals",
  {
    id: id(),
    senderId: text("sender_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    /** E.164 for SMS, lower-cased address for email; for "Own phone" the number the member gave, or "". */
    recipient: text("recipient").notNull(),
    /** Who the per-recipient limit counts: the number, or the mailbox (name+tag@domain counts as name@domain). */
    recipientKey: text("recipient_key").notNull().default(""),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    message: text("message").notNull(),
    /** Optional name the sender signs with (the seed's `sender` field). */
    senderName: text("sender_name"),
    status: text("status", { enum: SIGNAL_STATUSES }).notNull().default("Pending"),
    /** Twilio's raw status (queued, sent, delivered...) or, for email, what the mail server said. */
    providerStatus: text("provider_status"),
    errorCode: integer("error_code"),
    /** Why it failed, in words the sender can act on. */
    reason: text("reason"),
    providerSid: text("provider_sid"),
    joinToken: text("join_token").notNull().unique(),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }),
    joinedMemberId: text("joined_member_id").references(() => members.id, { onDelete: "set null" }),
    /** How the recipient's consent was attested: "ui" (ticked per send) or "api_token" (attested when the token was made). */
    consent: text("consent", { enum: ["ui", "api_token"] }).notNull(),
    /** The client IP of the request, kept for the per-IP abuse limit. */
    ip: text("ip"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("smoke_signals_sender_idx").on(t.senderId, t.createdAt),
    index("smoke_signals_recipient_key_idx").on(t.recipientKey, t.createdAt),
    index("smoke_signals_ip_idx").on(t.ip, t.createdAt),
    index("smoke_signals_sid_idx").on(t.providerSid),
    index("smoke_signals_created_idx").on(t.createdAt),
  ],
);

/** Every status a signal went through, in the order we learned it: the timeline shown to the sender. */
export const smokeSignalEvents = sqliteTable(
  "smoke_signal_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    signalId: text("signal_id")
      .notNull()
      .references(() => smokeSignals.id, { onDelete: "cascade" }),
    status: text("status", { enum: SIGNAL_STATUSES }).notNull(),
    providerStatus: text("provider_status"),
    errorCode: integer("error_code"),
    note: text("note"),
    at: createdAt(),
  },
  (t) => [index("smoke_signal_events_signal_idx").on(t.signalId, t.id)],
);

/** "cancelled": never sent because its member deleted their account (or it was otherwise withdrawn before sending). */
/** What the operator's log calls a message's state (see `outbox.outcome`). */
export const MESSAGE_OUTCOMES = ["pending", "sent", "delivered", "failed", "cancelled"] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];
// SQLite expression (dialect-specific, so kept here in db/): Twilio's final statuses decide an SMS; an email accepted
// by the mail server has no later report, so it stays "sent".
const OUTCOME_SQL = sql`(case
  when state = 'cancelled' then 'cancelled'
  when state = 'failed' then 'failed'
  when state in ('queued', 'sending', 'unknown') then 'pending'
  when provider_status in ('delivered', 'read') then 'delivered'
  when provider_status in ('undelivered', 'failed', 'canceled') then 'failed'
  else 'sent' end)`;

export const OUTBOX_STATES = ["queued", "sending", "unknown", "sent", "failed", "cancelled"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * Outgoing SMS and email, written in the same transaction as the record they belong to, sent by the dispatcher. The
 * outbox knows nothing of smoke signals: `purpose` names the sender module that registered for it (lib/outbox/senders)
 * and is told every outcome, `owner_id` is that module's record, `fairness_key` whose backlog the message is part of.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: id(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    html: text("html"),
    /** Which registered sender this message belongs to, e.g. "smoke_signal" or "join_alert". */
    purpose: text("purpose").notNull(),
    /** That sender's record (e.g. the smoke signal's id), handed back to it with every outcome. */
    ownerId: text("owner_id"),
    /** Messages are claimed round-robin across these keys (e.g. "member:<id>"), so one backlog never delays the rest. */
    fairnessKey: text("fairness_key").notNull(),
    state: text("state", { enum: OUTBOX_STATES }).notNull().default("queued"),
    /** Send attempts (requests that may have created a message), not outcome look-ups. */
    attempts: integer("attempts").notNull().default(0),
    /** Outcome look-ups that found nothing since the last send attempt: two are needed before sending again. */
    checks: integer("checks").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull().default(now),
    /** While state is "sending": the claim expires then, and a send still unconfirmed counts as outcome unknown. */
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    /** When the current (or last) claim was taken; a send made under it starts no earlier. */
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }),
    /** When the last send attempt started: its request cannot create a message after this + the provider's settle time. */
    attemptStartedAt: integer("attempt_started_at", { mode: "timestamp_ms" }),
    /** When the first attempt started: the lower bound for looking the message up at Twilio. */
    firstAttemptAt: integer("first_attempt_at", { mode: "timestamp_ms" }),
    providerId: text("provider_id"),
    providerStatus: text("provider_status"),
    lastError: text("last_error"),
    /** The provider's error code of a failure (Twilio's 30003, an SMTP 550...), explained in words where it is shown. */
    errorCode: integer("error_code"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    /** For a sent message whose final status has not arrived: when to ask the provider (a callback may have been lost). */
    statusCheckAt: integer("status_check_at", { mode: "timestamp_ms" }),
    statusChecks: integer("status_checks").notNull().default(0),
    /** The member on whose behalf it is sent (the operator's log filters by it; account deletion cancels and anonymises). */
    memberId: text("member_id").references(() => members.id, { onDelete: "set null" }),
    /** SMS segments Twilio counted (0 until known: a messaging service assigns a sender first). */
    segments: integer("segments"),
    /** What Twilio billed, in millionths of `price_unit`, positive; null until Twilio has priced it (after the final status). */
    priceMicros: integer("price_micros"),
    priceUnit: text("price_unit"),
    /** When the body (and html) were purged by the retention job; the row itself is kept for usage and cost. */
    bodyPurgedAt: integer("body_purged_at", { mode: "timestamp_ms" }),
    /**
     * One word for the operator's log, derived by SQLite from the state and the provider's status (so every writer
     * keeps it right for free): pending, sent (accepted, no final report yet; email's last word), delivered, failed, cancelled.
     */
    outcome: text("outcome", { enum: MESSAGE_OUTCOMES }).generatedAlwaysAs(OUTCOME_SQL, { mode: "virtual" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("outbox_due_idx").on(t.state, t.nextAttemptAt),
    // The operator's message log: newest first, by outcome, by member; usage sums per channel and day from the index alone.
    index("outbox_created_idx").on(t.createdAt, t.id),
    index("outbox_member_idx").on(t.memberId, t.createdAt),
    index("outbox_outcome_idx").on(t.outcome, t.createdAt),
    index("outbox_usage_idx").on(t.channel, t.createdAt, t.state, t.outcome, t.segments, t.priceMicros),
    index("outbox_provider_idx").on(t.providerId),
    index("outbox_owner_idx").on(t.purpose, t.ownerId),
    // Covers the fair claim: each key's oldest due message without touching the table.
    index("outbox_fair_due_idx").on(t.state, t.fairnessKey, t.nextAttemptAt),
    index("outbox_status_check_idx").on(t.statusCheckAt),
  ],
);

/** When each fairness key was last served: the key served longest ago goes first among equals. */
export const outboxFairness = sqliteTable("outbox_fairness", {
  key: text("key").primaryKey(),
  lastClaimedAt: integer("last_claimed_at").notNull(),
});

/** One row per send attempt, whatever its outcome: the audit trail behind retries. */
export const outboxAttempts = sqliteTable(
  "outbox_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    outboxId: text("outbox_id")
      .notNull()
      .references(() => outbox.id, { onDelete: "cascade" }),
    /** sent | retry | failed | unknown | found (an earlier unknown send was found at the provider) | not_found | check_failed | suppressed | status */
    outcome: text("outcome").notNull(),
    errorCode: integer("error_code"),
    detail: text("detail"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: createdAt(),
  },
  (t) => [index("outbox_attempts_outbox_idx").on(t.outboxId)],
);

/** Status callbacks for a message sid we did not know yet (they can overtake the send's own answer); applied later. */
export const orphanStatusCallbacks = sqliteTable(
  "orphan_status_callbacks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    providerId: text("provider_id").notNull(),
    status: text("status").notNull(),
    errorCode: integer("error_code"),
    receivedAt: createdAt(),
  },
  // Looked up for every message sent.
  (t) => [index("orphan_status_callbacks_provider_idx").on(t.providerId)],
);

/** Numbers that replied STOP (or similar): nothing is sent to them until they reply START. */
export const SMS_SUPPRESSION_SOURCES = ["reply", "twilio_refusal"] as const;
export type SmsSuppressionSource = (typeof SMS_SUPPRESSION_SOURCES)[number];

export const suppressions = sqliteTable("sms_suppressions", {
  phone: text("phone").primaryKey(),
  keyword: text("keyword").notNull(),
  /** How it arrived: "reply" (the number texted STOP to us), "twilio_refusal" (Twilio refused a send with 21610). */
  source: text("source", { enum: SMS_SUPPRESSION_SOURCES }).notNull().default("reply"),
  createdAt: createdAt(),
});

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: id(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** sha-256 (hex) of the token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    /** First characters of the token, so a member can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    /** The member attested, when creating the token, that every recipient they message with it has consented. */
    consentAttestedAt: integer("consent_attested_at", { mode: "timestamp_ms" }).notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_member_idx").on(t.memberId)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: id(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    link: text("link"),
    /** The alert event it tells of (lib/alerts/catalogue.ts), when it is one. */
    event: text("event"),
    /**
     * Shown in the app (the bell and the notifications page). False: the member chose other channels for this event;
     * the row stays as the alert's record and is shown after all if every other channel of a security alert fails.
     */
    inApp: integer("in_app", { mode: "boolean" }).notNull().default(true),
    /** What became of the other channels, when the member should know (e.g. "We could not text you: ..."). */
    note: text("note"),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_member_idx").on(t.memberId, t.createdAt)],
);

/** Sandbox mode without SMTP_URL: outgoing mail is caught here and shown at /sandbox/mail. */
export const sandboxMailMessages = sqliteTable("sandbox_mail_messages", {
  id: id(),
  from: text("from_address").notNull(),
  to: text("to_address").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html"),
  /** Extra headers the message carried (List-Unsubscribe...), as a real SMTP server would have received them. */
  headers: text("headers", { mode: "json" }).$type<Record<string, string>>(),
  createdAt: createdAt(),
});

/** Platform SMS queued per UTC day and destination country: the daily caps against SMS pumping count here. */
export const smsDailyUsage = sqliteTable(
  "sms_daily_usage",
  {
    /** YYYY-MM-DD (UTC). */
    day: text("day").notNull(),
    /** ISO 3166 alpha-2 of the destination, or "" when the number has none. */
    country: text("country").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.country] })],
);

/** Mailboxes that unsubscribed from invitations (name+tag@domain is stored as name@domain): nothing is sent to them. */
export const emailSuppressions = sqliteTable("email_suppressions", {
  mailbox: text("mailbox").primaryKey(),
  /** "one-click" (RFC 8058 POST from the mail client) or "link" (the visible link's page). */
  source: text("source").notNull(),
  createdAt: createdAt(),
});

/** The unsubscribe link of each invitation or alert email: only a hash of its token is kept, with what it stops. */
export const emailUnsubscribeTokens = sqliteTable("email_unsubscribe_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  address: text("address").notNull(),
  /**
   * Set for the link in an account alert's email (the member's own address): it switches that alert's email off in
   * the member's preferences instead of putting the mailbox on the invitation suppression list.
   */
  memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
  event: text("event"),
  createdAt: createdAt(),
});

export type SmokeSignal = typeof smokeSignals.$inferSelect;
export type SmokeSignalEvent = typeof smokeSignalEvents.$inferSelect;
export type OutboxMessage = typeof outbox.$inferSelect;
export type OutboxAttempt = typeof outboxAttempts.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type SandboxMail = typeof sandboxMailMessages.$inferSelect;
export type EmailSuppression = typeof emailSuppressions.$inferSelect;
export type SmsSuppression = typeof suppressions.$inferSelect;
