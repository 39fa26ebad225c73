// Members made for a story directly (epic-stack style): the account, its profile and a server-side session written to
// the test server's database, and the browser given the session and device cookies a sign-in would have set. A story
// then spends its time on the flow it names; the stories about signing up and signing in use the real forms.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { encode } from "next-auth/jwt";
import type { BrowserContext } from "@playwright/test";
import * as schema from "../db/schema";
import { addressKey } from "../lib/http/address";

const dataDir = path.resolve(process.env.E2E_DATA_DIR || ".e2e-data");
/** The second test server's folder: the same app with Twilio Verify switched on (playwright.config.ts). */
export const verifyDataDir = `${dataDir}-verify`;
/**
 * The last three digits of a number in Ofcom's drama range (+447700900000 to 999) that no other test of this run has
 * drawn: each is reserved by creating a file in the test server's folder, which is atomic across Playwright's workers
 * (the server empties the folder as each run starts). Drawn at random, 30 draws from 1,000 meet twice in about a third
 * of runs, and then a story finds its number already verified on another account or over its per-recipient limit.
 */
export function reserveDramaDigits(): string {
  const dir = path.join(dataDir, "e2e-drama-numbers");
  fs.mkdirSync(dir, { recursive: true });
  const start = Math.floor(Math.random() * 1000);
  for (let i = 0; i < 1000; i++) {
    const digits = String((start + i) % 1000).padStart(3, "0");
    try {
      fs.closeSync(fs.openSync(path.join(dir, digits), "wx"));
      return digits;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new Error(`Every number of Ofcom's drama range has been drawn in this run (${dir}).`);
}

// The cookies of an http APP_URL (the tests' server): Auth.js's session cookie and the device cookie.
const SESSION_COOKIE = "authjs.session-token";
const DEVICE_COOKIE = "se_device";

const dbs = new Map<string, ReturnType<typeof drizzle<typeof schema>>>();
function database(dir: string) {
  let db = dbs.get(dir);
  if (!db) {
    const sqlite = new Database(path.join(dir, "app.db"));
    sqlite.pragma("busy_timeout = 5000");
    dbs.set(dir, (db = drizzle(sqlite, { schema })));
  }
  return db;
}

const secrets = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "sandbox-secrets.json"), "utf8")) as { authSecret: string; twilio: { authToken: string } };
const authSecret = (dir: string) => secrets(dir).authSecret;

/** The sandbox Twilio account's auth token, for a story that signs a webhook as Twilio would. */
export const sandboxTwilioToken = () => secrets(dataDir).twilio.authToken;

export type MadeMember = { id: string; email: string; password: string };

/**
 * Creates a member (optionally age-verified, as Yoti's COMPLETE result would leave the profile) and signs `context`
 * in as them from `address` (the X-Forwarded-For the context sends): the same rows and cookies a sign-in writes.
 */
export async function signedInMember(
  context: BrowserContext,
  baseURL: string,
  opts: {
    email: string;
    password: string;
    address: string;
    verified?: boolean;
    role?: "member" | "admin";
    dataDir?: string;
    /** A verified mobile number (E.164), as confirming a code leaves the profile. */
    phone?: string;
    /** An admin's two-factor: on and passed in this session (the default), "off", or on but "not passed" (a password-only session). */
    twoFactor?: "passed" | "off" | "not passed";
  },
): Promise<MadeMember> {
  const dir = opts.dataDir ?? dataDir;
  const d = database(dir);
  const now = new Date();
  // The server's own parameters (lib/accounts/password.ts), so the member can also sign in with the password.
  const passwordHash = await hash(opts.password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const id = randomUUID();
  const sessionId = randomBytes(16).toString("base64url");
  const device = randomBytes(16).toString("base64url");
  d.transaction((tx) => {
    tx.insert(schema.members).values({ id, email: opts.email, passwordHash, role: opts.role ?? "member" }).run();
    tx.insert(schema.profiles)
      .values({
        memberId: id,
        ...(opts.phone ? { phone: opts.phone, phoneVerifiedAt: now } : {}),
        ...(opts.verified
          ? {
              yotiVerified: true,
              isOver18: true,
              yotiVerificationDate: now,
              yotiVerificationData: { method: "AGE_ESTIMATION", status: "COMPLETE", type: "OVER", threshold: 25, evidenceId: null, sessionId: "fixture", checkedAt: now.toISOString() },
            }
          : {}),
      })
      .run();
    // Admin features need two-factor on and passed in the session (lib/auth/admin.ts): an admin is made as one who
    // turned the authenticator app on and signed in with it. The stored secret is a placeholder: such an admin never
    // types a code in these stories (two-factor.spec.ts covers the real thing).
    const admin = opts.role === "admin";
    const twoFactor = admin ? (opts.twoFactor ?? "passed") : "off";
    if (twoFactor !== "off") tx.insert(schema.twoFactor).values({ memberId: id, totpSecret: "e2e: never used to check a code", totpEnabledAt: now }).run();
    tx.insert(schema.sessions).values({ id: sessionId, memberId: id, createdAt: now, lastSeenAt: now, address: addressKey(opts.address), secondFactor: twoFactor === "passed" ? "totp" : null }).run();
    tx.insert(schema.trustedSignIns)
      .values([
        { memberId: id, kind: "device", value: createHash("sha256").update(device).digest("hex"), lastSignInAt: now },
        { memberId: id, kind: "address", value: addressKey(opts.address)!, lastSignInAt: now },
      ])
      .run();
  });
  const token = await encode({
    token: { sub: id, email: opts.email, role: opts.role ?? "member", sid: sessionId },
    secret: authSecret(dir),
    salt: SESSION_COOKIE,
    maxAge: 30 * 24 * 3600,
  });
  const url = new URL(baseURL);
  const cookie = { domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" as const, secure: false };
  await context.addCookies([
    { name: SESSION_COOKIE, value: token, ...cookie },
    { name: DEVICE_COOKIE, value: device, ...cookie },
  ]);
  return { id, email: opts.email, password: opts.password };
}

/**
 * Gives a made member what a story about messages needs and other stories prove through their own flows: a confirmed
 * email address and, optionally, a verified mobile number (E.164).
 */
export function confirmContact(memberId: string, opts: { phone?: string; dataDir?: string } = {}): void {
  const d = database(opts.dataDir ?? dataDir);
  const now = new Date();
  d.update(schema.members).set({ emailVerifiedAt: now }).where(eq(schema.members.id, memberId)).run();
  if (opts.phone) d.update(schema.profiles).set({ phone: opts.phone, phoneVerifiedAt: now }).where(eq(schema.profiles.memberId, memberId)).run();
}

/**
 * Moves the codes texted for a member `ms` into the past, as if that long had gone by since they were sent: the story
 * of asking for a new code then need not sit through the 30-second wait before a resend (its refusal has its own step).
 */
export function agePhoneCodes(email: string, ms: number, opts: { dataDir?: string } = {}): void {
  const d = database(opts.dataDir ?? dataDir);
  const member = d.select({ id: schema.members.id }).from(schema.members).where(eq(schema.members.email, email)).get();
  if (!member) throw new Error(`agePhoneCodes: no member ${email}`);
  d.update(schema.phoneCodes)
    .set({ createdAt: sql`${schema.phoneCodes.createdAt} - ${ms}` })
    .where(eq(schema.phoneCodes.memberId, member.id))
    .run();
}

/**
 * Age checks that reached a result (COMPLETE or FAIL) since `since`, counted in the test server's database, so a story
 * can compare the console's figures with the data under it while other stories add sessions of their own.
 */
export function verificationResultsSince(since: Date): { complete: number; fail: number } {
  const rows = database(dataDir)
    .select({ status: schema.verificationSessions.status, n: sql<number>`count(*)` })
    .from(schema.verificationSessions)
    .where(sql`${schema.verificationSessions.createdAt} >= ${since.getTime()} and ${schema.verificationSessions.status} in ('COMPLETE', 'FAIL')`)
    .groupBy(schema.verificationSessions.status)
    .all();
  const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { complete: n("COMPLETE"), fail: n("FAIL") };
}

/**
 * Withdraws every member's announcement choices (as for members who never chose: in the app only), so that a story
 * counting the members who opted in counts only its own, and its retry finds none left over from the first attempt.
 * Only e2e/announcements.spec.ts gives these consents, and its stories run one after another.
 */
export function forgetAnnouncementChoices(): void {
  database(dataDir).delete(schema.announcementPreferences).run();
}

/**
 * Forgets the platform SMS counted to `country` (an ISO code) on every day, so that a story about that country's daily
 * cap starts under it, its retry too. Only the cap's story in e2e/smoke-signals.spec.ts texts Ireland, the one
 * country playwright.config.ts caps.
 */
export function forgetSmsCountedTo(country: string): void {
  database(dataDir).delete(schema.smsDailyUsage).where(eq(schema.smsDailyUsage.country, country)).run();
}
