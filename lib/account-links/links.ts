// Single-use links sent by email for account flows (sign-up, email verification, email change, password reset): the
// token goes in the email, only its SHA-256 is kept, and a link works once, until it expires, unless a newer one
// replaced it. Requests that send nothing are recorded alike (see db/schema/security.ts), so limits reveal nothing.
import "server-only";
import { createHash } from "node:crypto";
import { and, count, desc, eq, gt, inArray, isNull, min, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accountLinks, type AccountLink, type AccountLinkPurpose, type EmailedLinkPurpose } from "@/db/schema";
import { isUrlToken, newUrlToken } from "@/lib/http/url-token";
import type { RollingWindow } from "@/lib/limits";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export type NewLink = {
  purpose: AccountLinkPurpose;
  memberId: string | null;
  email: string;
  /** False: a request that sends nothing (its token is thrown away). */
  sent: boolean;
  ttlMs: number;
  address: string | null;
  passwordHash?: string;
  screenName?: string | null;
  joinToken?: string | null;
};

/**
 * Records a link inside the caller's transaction and returns its token (put it in the email). A sent link replaces the
 * open links of the same purpose for the same member (or, for a sign-up, the same address): only the newest works.
 */
export function issueLink(tx: Db, link: NewLink, now = Date.now()): { token: string; tokenHash: string; expiresAt: Date } {
  const token = newUrlToken();
  if (link.sent) {
    const same = link.memberId ? eq(accountLinks.memberId, link.memberId) : eq(accountLinks.email, link.email);
    tx.update(accountLinks)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(accountLinks.purpose, link.purpose), same, isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt), gt(accountLinks.expiresAt, new Date(now))))
      .run();
  }
  const expiresAt = new Date(now + link.ttlMs);
  tx.insert(accountLinks)
    .values({
      tokenHash: hash(token),
      purpose: link.purpose,
      memberId: link.memberId,
      email: link.email,
      sent: link.sent,
      passwordHash: link.passwordHash ?? null,
      screenName: link.screenName ?? null,
      joinToken: link.joinToken ?? null,
      address: link.address,
      expiresAt,
      createdAt: new Date(now),
    })
    .run();
  return { token, tokenHash: hash(token), expiresAt };
}

export type LinkState =
  | { state: "ok"; link: AccountLink }
  | { state: "unknown" }
  | { state: "expired"; link: AccountLink }
  | { state: "used"; link: AccountLink }
  | { state: "replaced"; link: AccountLink };

/** What a token from a link is, without using it (pages show the form, or why it cannot be used). */
export function inspectLink(db: Db, purpose: EmailedLinkPurpose, token: string, now = Date.now()): LinkState {
  if (!isUrlToken(token)) return { state: "unknown" };
  const link = db.select().from(accountLinks).where(and(eq(accountLinks.tokenHash, hash(token)), eq(accountLinks.purpose, purpose))).get();
  if (!link || !link.sent) return { state: "unknown" };
  if (link.usedAt) return { state: "used", link };
  if (link.revokedAt) return { state: "replaced", link };
  if (link.expiresAt.getTime() <= now) return { state: "expired", link };
  return { state: "ok", link };
}

/**
 * Uses the link inside the caller's transaction: true once, for the first caller while it is still valid (a second
 * tab or a replayed request gets false).
 */
export function useLink(tx: Db, link: AccountLink, now = Date.now()): boolean {
  const result = tx
    .update(accountLinks)
    .set({ usedAt: new Date(now) })
    .where(and(eq(accountLinks.tokenHash, link.tokenHash), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt), gt(accountLinks.expiresAt, new Date(now))))
    .run();
  return result.changes === 1;
}

/** Counts one wrong try at a link and kills it after `max` (a sign-up confirmation's password). Returns tries left. */
export function countWrongTry(db: Db, link: AccountLink, max: number, now = Date.now()): number {
  const tries = link.tries + 1;
  db.update(accountLinks)
    .set({ tries, ...(tries >= max ? { revokedAt: new Date(now) } : {}) })
    .where(eq(accountLinks.tokenHash, link.tokenHash))
    .run();
  return Math.max(0, max - tries);
}

/** Makes every open link of a member unusable (their address or password changed), optionally of some purposes only. */
export function revokeMemberLinks(tx: Db, memberId: string, purposes: AccountLinkPurpose[], now = Date.now()): void {
  for (const purpose of purposes) {
    tx.update(accountLinks)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(accountLinks.purpose, purpose), eq(accountLinks.memberId, memberId), isNull(accountLinks.usedAt), isNull(accountLinks.revokedAt)))
      .run();
  }
}

/** The newest request of a purpose for an address, whatever became of it. */
export function latestRequest(db: Db, purpose: AccountLinkPurpose, email: string): AccountLink | undefined {
  return db.select().from(accountLinks).where(and(eq(accountLinks.purpose, purpose), eq(accountLinks.email, email))).orderBy(desc(accountLinks.createdAt), desc(sql`rowid`)).limit(1).get();
}

/** What a limit counts (lib/limits.ts). */
export type Window = RollingWindow;

/**
 * Requests of a purpose (or of several, counted together) since `since` (ms) by one key: the address asked for, the
 * member, or the client's network.
 */
export function requestsSince(db: Db, purpose: AccountLinkPurpose | AccountLinkPurpose[], by: { email: string } | { memberId: string } | { address: string }, since: number): Window {
  const key: SQL =
    "email" in by ? eq(accountLinks.email, by.email) : "memberId" in by ? eq(accountLinks.memberId, by.memberId) : eq(accountLinks.address, by.address);
  return (
    db
      .select({ n: count(), oldest: min(accountLinks.createdAt) })
      .from(accountLinks)
      .where(and(Array.isArray(purpose) ? inArray(accountLinks.purpose, purpose) : eq(accountLinks.purpose, purpose), key, gt(accountLinks.createdAt, sql`${since}`)))
      .get() ?? { n: 0, oldest: null }
  );
}

