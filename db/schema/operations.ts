// Operations: what the operator console records and reads beside the members' own data: the admin audit log,
// operator settings, alert states, scheduled job runs, webhook receipts, credential use and anonymised counts.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

/**
 * Every admin action: who, what, to what, when, and the record before and after. Rows keep the actor's and the
 * target's email as text (no foreign key), so the log survives the deletion of either account.
 */
export const adminAudit = sqliteTable(
  "admin_audit",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull().default(now),
    actorId: text("actor_id").notNull(),
    actorEmail: text("actor_email").notNull(),
    /** A dotted verb such as "member.disable" or "settings.sms_budget" (lib/console/audit.ts lists them). */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    /** What a person recognises the target by (an email, a masked number, a setting's name). */
    targetLabel: text("target_label"),
    reason: text("reason"),
    before: text("before", { mode: "json" }).$type<Record<string, unknown> | null>(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown> | null>(),
  },
  (t) => [index("admin_audit_at_idx").on(t.at), index("admin_audit_target_idx").on(t.targetType, t.targetId, t.at), index("admin_audit_action_idx").on(t.action, t.at)],
);

/** Operator settings changed on the console (budget, alert thresholds, unit prices): one JSON value per key. */
export const operatorSettings = sqliteTable("operator_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull().default(now),
  updatedBy: text("updated_by"),
});

/** Alerts the console raises (budget thresholds, delivery rate, verification pass rate): firing or not, and since when. */
export const operatorAlerts = sqliteTable("operator_alerts", {
  /** e.g. "sms_budget:2026-12:80", "delivery_rate", "verification_pass_rate". */
  key: text("key").primaryKey(),
  firing: integer("firing", { mode: "boolean" }).notNull(),
  since: integer("since", { mode: "timestamp_ms" }).notNull(),
  /** When the admins were last emailed about it (null: never). */
  notifiedAt: integer("notified_at", { mode: "timestamp_ms" }),
  /** What the console shows, in words. */
  detail: text("detail").notNull(),
});

/** Scheduled jobs (retention, alert checks): one row each, a lease so one process runs it at a time, and its last run. */
export const jobRuns = sqliteTable("job_runs", {
  name: text("name").primaryKey(),
  leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
  lastStartedAt: integer("last_started_at", { mode: "timestamp_ms" }),
  lastFinishedAt: integer("last_finished_at", { mode: "timestamp_ms" }),
  lastOk: integer("last_ok", { mode: "boolean" }),
  /** What the last run did (counts), or why it failed. */
  lastSummary: text("last_summary", { mode: "json" }).$type<Record<string, unknown>>(),
  /** Who started the last run: "schedule" or an admin's email. */
  lastTrigger: text("last_trigger"),
});

export const WEBHOOK_KINDS = ["yoti_notification", "twilio_status", "twilio_inbound"] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/**
 * Webhook receipts counted per kind, hour, outcome and detail (for accepted Twilio webhooks: which auth token signed
 * them; for refusals: the likely cause). Counted in memory and written at most once a second (lib/webhooks/receipts.ts),
 * so a flood of forged requests costs no write each.
 */
export const webhookReceipts = sqliteTable(
  "webhook_receipts",
  {
    kind: text("kind", { enum: WEBHOOK_KINDS }).notNull(),
    /** The hour (epoch ms, UTC) the requests arrived in. */
    hour: integer("hour").notNull(),
    outcome: text("outcome", { enum: ["accepted", "refused"] }).notNull(),
    /** Accepted: "primary" / "secondary" (Twilio's signing token) or the notification's handling; refused: the cause code. */
    detail: text("detail").notNull(),
    count: integer("count").notNull(),
    lastAt: integer("last_at", { mode: "timestamp_ms" }).notNull(),
    /** The last refusal's clue for the operator (e.g. the URL Twilio signed when it was not APP_URL). */
    hint: text("hint"),
  },
  (t) => [primaryKey({ columns: [t.kind, t.hour, t.outcome, t.detail] }), index("webhook_receipts_hour_idx").on(t.hour)],
);

/** Outgoing credentials (Twilio REST auth, Yoti keys): when each last worked and was last refused by the provider. */
export const credentialUse = sqliteTable("credential_use", {
  /** The variable that holds it, e.g. "YOTI_API_KEY_SECONDARY". */
  name: text("name").primaryKey(),
  lastOkAt: integer("last_ok_at", { mode: "timestamp_ms" }),
  lastRefusedAt: integer("last_refused_at", { mode: "timestamp_ms" }),
  lastRefusal: text("last_refusal"),
});

/** What is kept of deleted members' smoke signals: counts per day, channel and final status, with nothing personal. */
export const anonymisedSignalCounts = sqliteTable(
  "anonymised_signal_counts",
  {
    /** YYYY-MM-DD (UTC) the signals were created. */
    day: text("day").notNull(),
    channel: text("channel").notNull(),
    status: text("status").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.channel, t.status] })],
);

export type AdminAuditEntry = typeof adminAudit.$inferSelect;
export type OperatorAlert = typeof operatorAlerts.$inferSelect;
export type JobRun = typeof jobRuns.$inferSelect;
export type WebhookReceipt = typeof webhookReceipts.$inferSelect;
export type CredentialUse = typeof credentialUse.$inferSelect;
