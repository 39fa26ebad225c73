// Phone codes and two-factor sign-in: one-time codes sent by SMS (our own, or through Twilio Verify), each member's
// authenticator app and recovery codes, sign-ins waiting for their second step, and browsers that may skip it.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./accounts";

const now = sql`(unixepoch('subsec') * 1000)`;
const id = () => text("id").primaryKey().$defaultFn(() => randomUUID());
const memberId = () =>
  text("member_id")
    .notNull()
    .references(() => members.id, { onDelete: "cascade" });

/** What a code proves: a new mobile number, the second step of a sign-in, or a password reset. */
export const PHONE_CODE_PURPOSES = ["phone_verification", "sign_in", "password_reset"] as const;
export type PhoneCodePurpose = (typeof PHONE_CODE_PURPOSES)[number];
/** "sms": our own code, hashed here and sent through the outbox; "verify": Twilio Verify holds the code. */
export const PHONE_CODE_VIA = ["sms", "verify"] as const;
export const PHONE_CODE_ENDS = ["used", "tries", "replaced", "canceled"] as const;
export type PhoneCodeEnd = (typeof PHONE_CODE_ENDS)[number];

/**
 * One row per code sent (a resend is a new row; through Verify it carries the same verification). The limits count
 * these rows: per number per hour, per account per day, and the wait before a resend.
 */
export const phoneCodes = sqliteTable(
  "phone_codes",
  {
    id: id(),
    memberId: memberId(),
    purpose: text("purpose", { enum: PHONE_CODE_PURPOSES }).notNull(),
    /** E.164: the number the code went to. */
    phone: text("phone").notNull(),
    via: text("via", { enum: PHONE_CODE_VIA }).notNull(),
    /** Own codes: HMAC-SHA-256 of the code under a key derived from AUTH_SECRET and this row's id. */
    codeHash: text("code_hash"),
    /** Verify: the verification (VE…) Twilio holds the code for. */
    verificationSid: text("verification_sid"),
    /** Own codes: the queued SMS (what became of it, when a member asks why no code came). */
    accountMessageId: text("account_message_id"),
    /** The sign-in waiting for this code (purpose sign_in): a code works only for the sign-in that asked for it. */
    challengeId: text("challenge_id"),
    tries: integer("tries").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    endedReason: text("ended_reason", { enum: PHONE_CODE_ENDS }),
  },
  (t) => [
    index("phone_codes_member_idx").on(t.memberId, t.purpose, t.createdAt),
    index("phone_codes_phone_idx").on(t.phone, t.createdAt),
    index("phone_codes_created_idx").on(t.memberId, t.createdAt),
  ],
);

/**
 * A member's two-factor sign-in. On while `totpEnabledAt` is set: an authenticator app is required (SMS codes are
 * only ever offered beside it). Secrets are encrypted (AES-256-GCM, key derived from AUTH_SECRET).
 */
export const twoFactor = sqliteTable("two_factor", {
  memberId: text("member_id")
    .primaryKey()
    .references(() => members.id, { onDelete: "cascade" }),
  totpSecret: text("totp_secret"),
  totpEnabledAt: integer("totp_enabled_at", { mode: "timestamp_ms" }),
  /** The last accepted 30-second step: a code of that step or an older one is a replay. */
  totpLastStep: integer("totp_last_step"),
  /** A secret shown for setting up, not yet confirmed with a code (replaced when the page is opened again). */
  pendingSecret: text("pending_secret"),
  pendingCreatedAt: integer("pending_created_at", { mode: "timestamp_ms" }),
  /** SMS codes to the verified number are accepted too (only with the authenticator app on). */
  smsEnabled: integer("sms_enabled", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(now)
    .$onUpdateFn(() => new Date()),
});

/** Single-use recovery codes: only their SHA-256; a new set replaces the old one. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: id(),
    memberId: memberId(),
    codeHash: text("code_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("recovery_codes_hash_idx").on(t.memberId, t.codeHash)],
);

/**
 * A sign-in whose password was right, waiting for its second step. The browser holds the token (a cookie); only its
 * SHA-256 is kept. It dies after its tries or minutes, and once used.
 */
export const twoFactorChallenges = sqliteTable(
  "two_factor_challenges",
  {
    tokenHash: text("token_hash").primaryKey(),
    memberId: memberId(),
    /** Client address key and device cookie hash of the browser that proved the password. */
    address: text("address"),
    device: text("device"),
    userAgent: text("user_agent"),
    tries: integer("tries").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("two_factor_challenges_member_idx").on(t.memberId)],
);

/** Browsers a member asked to remember after a second step: they skip it until `expiresAt` or revocation. */
export const rememberedDevices = sqliteTable(
  "remembered_devices",
  {
    id: id(),
    memberId: memberId(),
    /** SHA-256 of the browser's device cookie. */
    device: text("device").notNull(),
    browser: text("browser").notNull(),
    address: text("address"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(now),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }).notNull().default(now),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("remembered_devices_member_idx").on(t.memberId, t.device)],
);

export type PhoneCode = typeof phoneCodes.$inferSelect;
export type TwoFactor = typeof twoFactor.$inferSelect;
export type TwoFactorChallenge = typeof twoFactorChallenges.$inferSelect;
export type RememberedDevice = typeof rememberedDevices.$inferSelect;
