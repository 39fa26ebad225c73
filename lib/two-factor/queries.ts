// The two-factor domain's query module: each member's factors, recovery codes, sign-ins waiting for their second
// step, and remembered browsers.
import "server-only";
import { and, count, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { recoveryCodes, rememberedDevices, twoFactor, twoFactorChallenges, type RememberedDevice, type TwoFactor, type TwoFactorChallenge } from "@/db/schema";

export function twoFactorRow(db: Db | Tx, memberId: string): TwoFactor | undefined {
  return db.select().from(twoFactor).where(eq(twoFactor.memberId, memberId)).get();
}

export function saveTwoFactor(tx: Tx, memberId: string, change: Partial<Omit<TwoFactor, "memberId" | "updatedAt">>): void {
  tx.insert(twoFactor)
    .values({ memberId, ...change })
    .onConflictDoUpdate({ target: twoFactor.memberId, set: change })
    .run();
}

export function deleteTwoFactor(tx: Tx, memberId: string): void {
  tx.delete(twoFactor).where(eq(twoFactor.memberId, memberId)).run();
  tx.delete(recoveryCodes).where(eq(recoveryCodes.memberId, memberId)).run();
}

/** Moves the last accepted step forward, only past an older one: false when another request took this step first. */
export function advanceTotpStep(tx: Tx, memberId: string, step: number): boolean {
  return (
    tx
      .update(twoFactor)
      .set({ totpLastStep: step })
      .where(and(eq(twoFactor.memberId, memberId), or(isNull(twoFactor.totpLastStep), lt(twoFactor.totpLastStep, step))))
      .run().changes === 1
  );
}

export function replaceRecoveryCodes(tx: Tx, memberId: string, hashes: string[]): void {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.memberId, memberId)).run();
  tx.insert(recoveryCodes)
    .values(hashes.map((codeHash) => ({ memberId, codeHash })))
    .run();
}

/** Uses a recovery code once: true for the first caller. */
export function useRecoveryCode(tx: Tx, memberId: string, codeHash: string, now: number): boolean {
  return (
    tx
      .update(recoveryCodes)
      .set({ usedAt: new Date(now) })
      .where(and(eq(recoveryCodes.memberId, memberId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
      .run().changes === 1
  );
}

export function recoveryCodesLeft(db: Db | Tx, memberId: string): number {
  return db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.memberId, memberId), isNull(recoveryCodes.usedAt))).get()?.n ?? 0;
}

// --- Sign-ins waiting for their second step ------------------------------------------------------------------------

export function insertChallenge(tx: Tx, row: typeof twoFactorChallenges.$inferInsert): void {
  tx.insert(twoFactorChallenges).values(row).run();
}

export function challengeByHash(db: Db | Tx, tokenHash: string): TwoFactorChallenge | undefined {
  return db.select().from(twoFactorChallenges).where(eq(twoFactorChallenges.tokenHash, tokenHash)).get();
}

/** Counts a wrong code; returns the tries now counted, or null when the challenge is no longer open. */
export function countChallengeTry(tx: Tx, tokenHash: string, seen: number): number | null {
  return (
    tx
      .update(twoFactorChallenges)
      .set({ tries: seen + 1 })
      .where(and(eq(twoFactorChallenges.tokenHash, tokenHash), eq(twoFactorChallenges.tries, seen), isNull(twoFactorChallenges.usedAt)))
      .returning({ tries: twoFactorChallenges.tries })
      .get()?.tries ?? null
  );
}

/** Uses the challenge once: true for the first caller while it is open. */
export function useChallenge(tx: Tx, tokenHash: string, now: number): boolean {
  return (
    tx
      .update(twoFactorChallenges)
      .set({ usedAt: new Date(now) })
      .where(and(eq(twoFactorChallenges.tokenHash, tokenHash), isNull(twoFactorChallenges.usedAt), gt(twoFactorChallenges.expiresAt, new Date(now))))
      .run().changes === 1
  );
}

export function pruneChallenges(tx: Tx, before: number): void {
  tx.delete(twoFactorChallenges).where(lt(twoFactorChallenges.expiresAt, new Date(before))).run();
}

// --- Remembered browsers ---------------------------------------------------------------------------------------------

/** The live remembering of this browser for this member, if any. */
export function rememberedDevice(db: Db | Tx, memberId: string, device: string, now: number): RememberedDevice | undefined {
  return db
    .select()
    .from(rememberedDevices)
    .where(and(eq(rememberedDevices.memberId, memberId), eq(rememberedDevices.device, device), isNull(rememberedDevices.revokedAt), gt(rememberedDevices.expiresAt, new Date(now))))
    .orderBy(desc(rememberedDevices.expiresAt))
    .limit(1)
    .get();
}

export function insertRememberedDevice(tx: Tx, row: typeof rememberedDevices.$inferInsert): void {
  tx.insert(rememberedDevices).values(row).run();
}

export function touchRememberedDevice(tx: Tx, id: string, now: number): void {
  tx.update(rememberedDevices).set({ lastUsedAt: new Date(now) }).where(eq(rememberedDevices.id, id)).run();
}

/** The member's live remembered browsers, newest first. */
export function listRememberedDevices(db: Db | Tx, memberId: string, now: number): RememberedDevice[] {
  return db
    .select()
    .from(rememberedDevices)
    .where(and(eq(rememberedDevices.memberId, memberId), isNull(rememberedDevices.revokedAt), gt(rememberedDevices.expiresAt, new Date(now))))
    .orderBy(desc(rememberedDevices.createdAt))
    .all();
}

/** Forgets one remembered browser of the member (or all of them when `id` is null); returns how many. */
export function revokeRememberedDevices(tx: Tx, memberId: string, id: string | null, now: number): number {
  return tx
    .update(rememberedDevices)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(rememberedDevices.memberId, memberId), isNull(rememberedDevices.revokedAt), id ? eq(rememberedDevices.id, id) : sql`1`))
    .run().changes;
}
