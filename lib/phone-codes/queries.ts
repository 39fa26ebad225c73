// The phone-codes domain's query module: codes sent, the live one for a member and purpose, tries and ends, and the
// windows the limits count.
import "server-only";
import { and, count, desc, eq, gt, inArray, isNotNull, isNull, min, ne, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { phoneCodes, type PhoneCode, type PhoneCodeEnd, type PhoneCodePurpose } from "@/db/schema";
import type { RollingWindow } from "@/lib/limits";

export type NewPhoneCode = typeof phoneCodes.$inferInsert;
/** What a limit counts (lib/limits.ts). */
export type Window = RollingWindow;

export function insertPhoneCode(tx: Tx, row: NewPhoneCode): PhoneCode {
  return tx.insert(phoneCodes).values(row).returning().get();
}

export function deletePhoneCode(tx: Tx, id: string): void {
  tx.delete(phoneCodes).where(eq(phoneCodes.id, id)).run();
}

export function setVerification(tx: Tx, id: string, verificationSid: string, expiresAt: Date): void {
  tx.update(phoneCodes).set({ verificationSid, expiresAt }).where(eq(phoneCodes.id, id)).run();
}

export function setOwnCode(tx: Tx, id: string, codeHash: string, accountMessageId: string): void {
  tx.update(phoneCodes).set({ codeHash, accountMessageId }).where(eq(phoneCodes.id, id)).run();
}

/**
 * The newest code of a member for a purpose (for one sign-in when `challengeId` is given), ended or not; `sent`: only
 * codes known to be sent (a Verify request still under way has no verification yet).
 */
export function latestPhoneCode(db: Db | Tx, memberId: string, purpose: PhoneCodePurpose, opts: { challengeId?: string; sent?: boolean } = {}): PhoneCode | undefined {
  return db
    .select()
    .from(phoneCodes)
    .where(
      and(
        eq(phoneCodes.memberId, memberId),
        eq(phoneCodes.purpose, purpose),
        opts.challengeId ? eq(phoneCodes.challengeId, opts.challengeId) : undefined,
        opts.sent ? or(isNotNull(phoneCodes.codeHash), isNotNull(phoneCodes.verificationSid)) : undefined,
      ),
    )
    .orderBy(desc(phoneCodes.createdAt), desc(sql`rowid`))
    .limit(1)
    .get();
}

/** The first code sent in a Twilio verification (a resend reuses it: the code lives from the first send). */
export function firstOfVerification(db: Db | Tx, verificationSid: string): PhoneCode | undefined {
  return db.select().from(phoneCodes).where(eq(phoneCodes.verificationSid, verificationSid)).orderBy(phoneCodes.createdAt).limit(1).get();
}

/** Ends the member's open codes of a purpose but `except` (a newer one was sent, or the flow ended); returns them. */
export function endOpenCodes(tx: Tx, memberId: string, purpose: PhoneCodePurpose, reason: PhoneCodeEnd, now: number, except = ""): PhoneCode[] {
  return tx
    .update(phoneCodes)
    .set({ endedAt: new Date(now), endedReason: reason })
    .where(and(eq(phoneCodes.memberId, memberId), eq(phoneCodes.purpose, purpose), isNull(phoneCodes.endedAt), ne(phoneCodes.id, except)))
    .returning()
    .all();
}

/** Ends one code if it is still open: true for the first caller (a second tab using the same code gets false). */
export function endCode(tx: Tx, id: string, reason: PhoneCodeEnd, now: number): boolean {
  return tx.update(phoneCodes).set({ endedAt: new Date(now), endedReason: reason }).where(and(eq(phoneCodes.id, id), isNull(phoneCodes.endedAt))).run().changes === 1;
}

/** Counts one wrong try; returns the tries now counted (only while the code is open and at `seen` tries). */
export function countTry(tx: Tx, id: string, seen: number): number | null {
  const row = tx
    .update(phoneCodes)
    .set({ tries: seen + 1 })
    .where(and(eq(phoneCodes.id, id), isNull(phoneCodes.endedAt), eq(phoneCodes.tries, seen)))
    .returning({ tries: phoneCodes.tries })
    .get();
  return row?.tries ?? null;
}

/** Codes of these purposes sent since `since` (ms) where `column` is `value`. */
function codesSince(db: Db | Tx, column: typeof phoneCodes.phone | typeof phoneCodes.memberId, value: string, purposes: readonly PhoneCodePurpose[], since: number): Window {
  return (
    db
      .select({ n: count(), oldest: min(phoneCodes.createdAt) })
      .from(phoneCodes)
      .where(and(eq(column, value), inArray(phoneCodes.purpose, purposes), gt(phoneCodes.createdAt, new Date(since))))
      .get() ?? { n: 0, oldest: null }
  );
}

/** Codes of these purposes sent to a number (any account) since `since` (ms). */
export const codesToNumberSince = (db: Db | Tx, phone: string, purposes: readonly PhoneCodePurpose[], since: number): Window => codesSince(db, phoneCodes.phone, phone, purposes, since);

/** Codes of these purposes sent for a member (any number) since `since` (ms). */
export const codesForMemberSince = (db: Db | Tx, memberId: string, purposes: readonly PhoneCodePurpose[], since: number): Window =>
  codesSince(db, phoneCodes.memberId, memberId, purposes, since);
