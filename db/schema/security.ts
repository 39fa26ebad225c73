// Security: server-side sessions (the JWT only names one), sign-in and sign-up attempts for the abuse limits, and the
// devices and addresses a member has signed in from (a stranger's guesses never slow those down).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./accounts";

const now = sql`(unixepoch('subsec') * 1000)`;

export const SESSION_END_REASONS = ["signed_out", "signed_out_everywhere", "password_changed", "password_reset", "disabled"] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];
/** How a session's sign-in passed its second step, or how two-factor was proven in it (turning it on). */
export const SECOND_FACTORS = ["totp", "sms", "recovery", "remembered"] as const;
export type SecondFactor = (typeof SECOND_FACTORS)[number];

/** One row per signed-in browser: the session cookie works only while its row is live (sign-out ends it here). */
export const sessions = sqliteTable(
  "sessions",
  {
    /** 128 random bits, carried in the (encrypted) session JWT. */
    id: text("id").primaryKey(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    /** Refreshed at most once a day; a session unused for 30 days has expired. */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull().default(now),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    endedReason: text("ended_reason", { enum: SESSION_END_REASONS }),
    /** Client address key (IPv6 /64) and browser at sign-in, for a future "your sessions" list. */
    address: text("address"),
    userAgent: text("user_agent"),
    /** How the sign-in passed two-factor (null: password alone; the admin console requires one). */
    secondFactor: text("second_factor", { enum: SECOND_FACTORS }),
  },
  (t) => [index("sessions_member_idx").on(t.memberId)],
);

/** two_factor: a wrong code at a sign-in's second step (the per-account and per-device daily limits count these). */
export const ATTEMPT_KINDS = ["sign_in", "sign_up", "two_factor"] as const;
/** How the client was known to the account it tried: a device that signed in before, an address that did, or neither. */
export const TRUST_LEVELS = ["device", "address", "none"] as const;
export type Trust = (typeof TRUST_LEVELS)[number];

/** Every password check and account creation, kept a day: the sign-in and sign-up limits count these rows. */
export const authAttempts = sqliteTable(
  "auth_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ATTEMPT_KINDS }).notNull(),
    /** The email tried, lower-cased (whether or not an account has it, so limits reveal nothing). */
    account: text("account").notNull(),
    /** Client address key (IPv4, or IPv6 /64). */
    address: text("address"),
    /** sha-256 of the device cookie, when the browser had one. */
    device: text("device"),
    trust: text("trust", { enum: TRUST_LEVELS }).notNull().default("none"),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("auth_attempts_account_idx").on(t.account, t.createdAt),
    index("auth_attempts_address_idx").on(t.address, t.createdAt),
    index("auth_attempts_device_idx").on(t.device, t.createdAt),
  ],
);

/** Devices (cookie hash) and addresses a member signed in from successfully. */
export const trustedSignIns = sqliteTable(
  "trusted_sign_ins",
  {
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["device", "address"] }).notNull(),
    value: text("value").notNull(),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.kind, t.value] })],
);

export type Session = typeof sessions.$inferSelect;

/** reset_password_code: a request for a password reset code by SMS; never a link (its token is never given out). */
export const ACCOUNT_LINK_PURPOSES = ["sign_up", "verify_email", "change_email", "reset_password", "reset_password_code"] as const;
export type AccountLinkPurpose = (typeof ACCOUNT_LINK_PURPOSES)[number];
/** The purposes whose token is emailed as a link. */
export type EmailedLinkPurpose = Exclude<AccountLinkPurpose, "reset_password_code">;

/**
 * Links sent by email for account flows: only the SHA-256 of the token is kept, with what it may do, until when, and
 * whether it was used or replaced. A request that sends nothing (a reset for an address with no account, a sign-up
 * for an address already registered) is recorded too, with no member and a token nobody holds: the limits count
 * every request alike and reveal nothing, and both paths write the same rows.
 */
export const accountLinks = sqliteTable(
  "account_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: ACCOUNT_LINK_PURPOSES }).notNull(),
    /** The account it acts on; null for a sign-up (no account yet) and for requests that sent nothing. */
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    /** The address the link was sent to (lower-cased): the new address for a change, the sign-up's address. */
    email: text("email").notNull(),
    /** False for a request that sent nothing: its token was never given out. */
    sent: integer("sent", { mode: "boolean" }).notNull(),
    /** A sign-up's chosen password (argon2id), screen name and invitation; the account is created when it is opened. */
    passwordHash: text("password_hash"),
    screenName: text("screen_name"),
    joinToken: text("join_token"),
    /** Client address key of the request (the per-network limits count it). */
    address: text("address"),
    /** Wrong passwords typed at a sign-up confirmation, or wrong codes at a reset code request: it dies after a few. */
    tries: integer("tries").notNull().default(0),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    /** A newer link for the same purpose replaced it, or the account changed (e.g. its address) so it may not be used. */
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
  },
  (t) => [
    index("account_links_email_idx").on(t.purpose, t.email, t.createdAt),
    index("account_links_member_idx").on(t.purpose, t.memberId, t.createdAt),
    index("account_links_address_idx").on(t.purpose, t.address, t.createdAt),
  ],
);

export type AccountLink = typeof accountLinks.$inferSelect;
