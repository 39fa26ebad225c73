// The alerts domain's query module: members' channel choices per event, and the address an alert goes to.
import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { alertPreferences, members, type AlertPreferenceRow } from "@/db/schema";

export function preferenceRows(db: Db | Tx, memberId: string): AlertPreferenceRow[] {
  return db.select().from(alertPreferences).where(eq(alertPreferences.memberId, memberId)).all();
}

export function upsertPreference(tx: Db | Tx, row: { memberId: string; event: string; inApp: boolean; email: boolean; sms: boolean }): void {
  tx.insert(alertPreferences)
    .values(row)
    .onConflictDoUpdate({ target: [alertPreferences.memberId, alertPreferences.event], set: { inApp: row.inApp, email: row.email, sms: row.sms, updatedAt: new Date() } })
    .run();
}

/** The member's email address (inside the caller's transaction), or undefined when there is no such member. */
export function memberEmail(tx: Db | Tx, memberId: string): string | undefined {
  return tx.select({ email: members.email }).from(members).where(eq(members.id, memberId)).get()?.email;
}
