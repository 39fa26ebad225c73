// Age verification: our Yoti sessions with their status history, received notifications, and the Yoti emulator's state.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./accounts";

const now = () => sql`(unixepoch('subsec') * 1000)`;

/** What we asked Yoti for, kept with the session so a result is validated against the request, not today's config. */
export type VerificationRequest = {
  type: "OVER";
  sdkId: string;
  ageThreshold: number;
  /** Threshold per allowed method, e.g. { AGE_ESTIMATION: 25, DIGITAL_ID: 18, DOC_SCAN: 18 }. */
  thresholds: Partial<Record<"AGE_ESTIMATION" | "DIGITAL_ID" | "DOC_SCAN", number>>;
};

export type StatusChange = { status: string; at: string; source: "create" | "result" | "notification" | "browser" | "expiry" };

export const verificationSessions = sqliteTable(
  "verification_sessions",
  {
    /** Yoti's session id. */
    id: text("id").primaryKey(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    /** Opaque random reference sent to Yoti (never PII); echoed back in results and signed notifications. */
    referenceId: text("reference_id").notNull().unique(),
    status: text("status").notNull(),
    method: text("method"),
    request: text("request", { mode: "json" }).$type<VerificationRequest>().notNull(),
    evidenceId: text("evidence_id"),
    /** Why a result was refused (fail-closed validation), for the audit trail. */
    rejectedReason: text("rejected_reason"),
    history: text("history", { mode: "json" }).$type<StatusChange[]>().notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    checkedAt: integer("checked_at", { mode: "timestamp_ms" }),
    /** When the session first reached a final status (COMPLETE, FAIL, ERROR, CANCELLED, EXPIRED): "time to result". */
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    /** When the retention job removed what Yoti returned beyond status, method and dates (evidence id). */
    rawPurgedAt: integer("raw_purged_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now()),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(now())
      .$onUpdateFn(() => new Date()),
  },
  (t) => [
    index("verification_sessions_member_idx").on(t.memberId, t.createdAt),
    // The console's per-day statistics and retention read sessions by creation time.
    index("verification_sessions_created_idx").on(t.createdAt, t.status, t.method),
  ],
);

export const verificationNotifications = sqliteTable(
  "verification_notifications",
  {
    /** Yoti's notification id: the de-duplication key. */
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    state: text("state").notNull(),
    sequenceNumber: integer("sequence_number"),
    /** Yoti's own timestamp (epoch seconds). */
    sentAt: integer("sent_at").notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull().default(now()),
    duplicates: integer("duplicates").notNull().default(0),
  },
  // The retention job deletes notifications by age.
  (t) => [index("verification_notifications_received_idx").on(t.receivedAt)],
);

/** The emulator's copy of a session, as Yoti would hold it (sandbox mode only). */
export const sandboxYotiSessions = sqliteTable("sandbox_yoti_sessions", {
  id: text("id").primaryKey(),
  sdkId: text("sdk_id").notNull(),
  /** The create-session body as received. */
  request: text("request", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  status: text("status").notNull(),
  method: text("method"),
  /** The age the tester entered; only returned by results of type AGE. */
  age: integer("age"),
  evidenceId: text("evidence_id"),
  responseConfig: text("response_config", { mode: "json" }).$type<{ status: string; age?: number; method?: string }>(),
  /** Attempts used per method, e.g. { AGE_ESTIMATION: 1 }. */
  attempts: text("attempts", { mode: "json" }).$type<Record<string, number>>().notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
});

/** Notifications the emulator owes the app, retried with backoff until answered 200, as Yoti does. */
export const sandboxYotiDeliveries = sqliteTable("sandbox_yoti_deliveries", {
  id: text("id").primaryKey(),
  sessionId: text("session_id").notNull(),
  url: text("url").notNull(),
  body: text("body").notNull(),
  attempts: integer("attempts").notNull().default(0),
  /** When the next attempt is due (ms); null once delivered. */
  nextAttemptAt: integer("next_attempt_at"),
  /** Extra copies sent on purpose (the "duplicate notifications" fault). */
  duplicates: integer("duplicates").notNull().default(0),
  lastError: text("last_error"),
  deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now()),
});

export type VerificationSession = typeof verificationSessions.$inferSelect;
export type SandboxYotiSession = typeof sandboxYotiSessions.$inferSelect;
