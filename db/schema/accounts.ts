// Accounts: members and their profiles, with inferred row types. SQLite dialect: dialect-specific code stays in db/.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const id = () => text("id").primaryKey().$defaultFn(() => randomUUID());
const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`)
    .$onUpdateFn(() => new Date());

export const ROLES = ["member", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const members = sqliteTable("members", {
  id: id(),
  /** Stored lower-cased and trimmed; unique. */
  email: text("email").notNull().unique(),
  /** argon2id, PHC string format. */
  passwordHash: text("password_hash").notNull(),
  /** When a link sent to `email` was opened (sign-up, verification, email change, password reset); null: not proven. */
  emailVerifiedAt: integer("email_verified_at", { mode: "timestamp_ms" }),
  role: text("role", { enum: ROLES }).notNull().default("member"),
  /** Set: the member cannot sign in and every session of theirs is ended (e.g. sandbox demo accounts in live mode). */
  disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
  /** Created by sandbox mode's seed, with a password printed in the start log: never usable in live mode. */
  sandboxDemo: integer("sandbox_demo", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** What we keep of a Yoti result: enough to prove and audit the check, no more. */
export type YotiVerificationData = {
  method: string | null;
  status: string;
  type: string;
  threshold: number | null;
  evidenceId: string | null;
  sessionId: string;
  checkedAt: string;
  /** Only for type AGE, where Yoti returns a real age. */
  age?: number | null;
};

export const profiles = sqliteTable(
  "profiles",
  {
  memberId: text("member_id")
    .primaryKey()
    .references(() => members.id, { onDelete: "cascade" }),
  screenName: text("screen_name"),
  /** E.164. */
  phone: text("phone"),
  phoneVerifiedAt: integer("phone_verified_at", { mode: "timestamp_ms" }),
  isOver18: integer("is_over_18", { mode: "boolean" }).notNull().default(false),
  yotiSessionId: text("yoti_session_id"),
  yotiVerified: integer("yoti_verified", { mode: "boolean" }).notNull().default(false),
  yotiVerificationDate: integer("yoti_verification_date", { mode: "timestamp_ms" }),
  yotiVerificationData: text("yoti_verification_data", { mode: "json" }).$type<YotiVerificationData>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  },
  // One account per verified number (a typed, unverified number may repeat): the database settles a race.
  (t) => [uniqueIndex("profiles_verified_phone_idx").on(t.phone).where(sql`${t.phoneVerifiedAt} is not null`)],
);

export type Member = typeof members.$inferSelect;
export type Profile = typeof profiles.$inferSelect;
