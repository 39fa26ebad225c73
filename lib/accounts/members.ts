// Members and their profiles: creation (with duplicate detection), look-ups, the writes other account modules make
// (address, screen name, sandbox demo accounts) and credential checks.
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { immediate, type Db, type Tx } from "@/db/client";
import { fieldErrors } from "@/lib/http/fields";
import { members, profiles, type Member, type Profile, type Role } from "@/db/schema";
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from "./password";

export class AccountError extends Error {
  constructor(
    readonly code: "email_taken" | "invalid",
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AccountError";
  }
}

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const screenNameSchema = z
  .string()
  .trim()
  .max(40, "Use at most 40 characters for your screen name.")
  .regex(/^[\p{L}\p{N} _.'-]*$/u, "Use letters, numbers, spaces, dots, dashes or underscores in your screen name.")
  .optional()
  .transform((v) => (v ? v : undefined));

export const newMemberSchema = z
  .object({
    email: emailSchema,
    password: z.string({ error: "Choose a password." }),
    screenName: screenNameSchema,
    role: z.enum(["member", "admin"]).default("member"),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

export type NewMember = z.input<typeof newMemberSchema>;

/** The new member's details, checked without hashing anything; throws AccountError naming each field to fix. */
export function validateNewMember(input: NewMember): z.output<typeof newMemberSchema> {
  const parsed = newMemberSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error, "form");
    throw new AccountError("invalid", Object.values(fields)[0] ?? "Check the form.", fields);
  }
  return parsed.data;
}

/**
 * Creates a member and their profile. Throws AccountError for invalid input or an email already in use, and
 * PasswordHashBusy when every hashing slot is taken.
 */
export async function createMember(db: Db, input: NewMember & { sandboxDemo?: boolean }): Promise<Member> {
  const { email, password, screenName, role } = validateNewMember(input);
  const passwordHash = await hashPassword(password);
  try {
    return immediate(db, () => insertMember(db, { email, passwordHash, screenName, role, sandboxDemo: input.sandboxDemo ?? false }));
  } catch (error) {
    if (isEmailTaken(error)) {
      throw new AccountError("email_taken", "An account with this email already exists. Sign in instead, or use another email.", {
        email: "An account with this email already exists.",
      });
    }
    throw error;
  }
}

/** Whether a write failed because another member has the address (the unique index decides). */
export const isEmailTaken = (error: unknown) => String((error as { code?: string }).code).startsWith("SQLITE_CONSTRAINT") && /members\.email/.test(String(error));

/** Writes a member and their profile inside the caller's transaction (the password already hashed). */
export function insertMember(
  tx: Db | Tx,
  m: { email: string; passwordHash: string; screenName?: string | null; role?: Role; sandboxDemo?: boolean; emailVerifiedAt?: Date | null },
): Member {
  const member = tx
    .insert(members)
    .values({ email: m.email, passwordHash: m.passwordHash, role: m.role ?? "member", sandboxDemo: m.sandboxDemo ?? false, emailVerifiedAt: m.emailVerifiedAt ?? null })
    .returning()
    .get();
  tx.insert(profiles).values({ memberId: member.id, screenName: m.screenName ?? null }).run();
  return member;
}

export async function findMemberByEmail(db: Db, email: string): Promise<Member | undefined> {
  return memberWithEmail(db, email);
}

/** The member with this address (trimmed, any case), read synchronously (inside a transaction). */
export function memberWithEmail(db: Db | Tx, email: string): Member | undefined {
  return db.select().from(members).where(eq(members.email, email.trim().toLowerCase())).get();
}

/** The member with this id, read synchronously (inside a transaction). */
export function memberById(db: Db | Tx, id: string): Member | undefined {
  return db.select().from(members).where(eq(members.id, id)).get();
}

/** The member's profile (screen name, mobile number, age verification). */
export function getProfile(db: Db | Tx, memberId: string): Profile | undefined {
  return db.select().from(profiles).where(eq(profiles.memberId, memberId)).get();
}

/** The member's mobile number as stored, and when it was verified (null: typed, never proven); undefined without a profile. */
export function phoneRow(db: Db | Tx, memberId: string): { phone: string | null; at: Date | null } | undefined {
  return db.select({ phone: profiles.phone, at: profiles.phoneVerifiedAt }).from(profiles).where(eq(profiles.memberId, memberId)).get();
}

/**
 * The member's verified mobile number (E.164), or null: the only number account SMS (alerts) may go to. Phone
 * verification sets profiles.phone_verified_at; a number without it was typed, never proven.
 */
export function verifiedPhone(db: Db | Tx, memberId: string): string | null {
  const row = phoneRow(db, memberId);
  return row?.phone && row.at ? row.phone : null;
}

/** The member whose email and password match, or null. Takes the same time whether or not the email exists. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<Member | null> {
  const member = await findMemberByEmail(db, email);
  if (!member) {
    await verifyPassword(await dummyHash(), password);
    return null;
  }
  return (await verifyPassword(member.passwordHash, password)) ? member : null;
}

/** Records that the member proved their address now. */
export function setEmailVerified(db: Db, memberId: string): void {
  db.update(members).set({ emailVerifiedAt: new Date() }).where(eq(members.id, memberId)).run();
}

/** Gives the member a new address, proven now. */
export function setEmail(db: Db, memberId: string, email: string): void {
  db.update(members).set({ email, emailVerifiedAt: new Date() }).where(eq(members.id, memberId)).run();
}

/** Sets the screen name on the member's profile (null clears it). */
export function setProfileScreenName(db: Db, memberId: string, screenName: string | null): void {
  db.update(profiles).set({ screenName }).where(eq(profiles.memberId, memberId)).run();
}

/** Makes the member a usable sandbox demo account again: enabled, and marked as a demo account. */
export function enableSandboxDemo(db: Db, memberId: string): void {
  db.update(members).set({ disabledAt: null, sandboxDemo: true }).where(eq(members.id, memberId)).run();
}

/** Disables every sandbox demo account not yet disabled, inside the caller's transaction; returns their ids and emails. */
export function disableSandboxDemoMembers(tx: Tx, now: Date): { id: string; email: string }[] {
  return tx
    .update(members)
    .set({ disabledAt: now })
    .where(and(eq(members.sandboxDemo, true), isNull(members.disabledAt)))
    .returning({ id: members.id, email: members.email })
    .all();
}

/** The emails of the sandbox demo accounts in this database. */
export function sandboxDemoEmails(db: Db): string[] {
  return db.select({ email: members.email }).from(members).where(eq(members.sandboxDemo, true)).all().map((m) => m.email);
}

export function isRole(value: unknown): value is Role {
  return value === "member" || value === "admin";
}
