// The phone-verification domain's query module: the member's mobile number as verification sets and removes it.
import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { profiles } from "@/db/schema";

/** Makes `phone` the member's verified number (the unique index refuses one verified on another account). */
export function setVerifiedPhone(tx: Db, memberId: string, phone: string, at: Date): void {
  tx.update(profiles).set({ phone, phoneVerifiedAt: at }).where(eq(profiles.memberId, memberId)).run();
}

/** Removes the member's number, verified or not. */
export function clearPhone(tx: Db, memberId: string): void {
  tx.update(profiles).set({ phone: null, phoneVerifiedAt: null }).where(eq(profiles.memberId, memberId)).run();
}
