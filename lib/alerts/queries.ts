// The alerts domain's query module: members' channel choices per event.
import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { alertPreferences, type AlertPreferenceRow } from "@/db/schema";

export function preferenceRows(db: Db | Tx, memberId: string): AlertPreferenceRow[] {
  return db.select().from(alertPreferences).where(eq(alertPreferences.memberId, memberId)).all();
}

export function upsertPreference(tx: Db | Tx, row: { memberId: string; event: string; inApp: boolean; email: boolean; sms: boolean }): void {
  tx.insert(alertPreferences)
    .values(row)
    .onConflictDoUpdate({ target: [alertPreferences.memberId, alertPreferences.event], set: { inApp: row.inApp, email: row.email, sms: row.sms, updatedAt: new Date() } })
    .run();
}
