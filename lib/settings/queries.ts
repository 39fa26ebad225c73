// The operator_settings table: one JSON value per key.
import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { operatorSettings } from "@/db/schema";

export function readSetting(db: Tx, key: string): unknown {
  return db.select({ value: operatorSettings.value }).from(operatorSettings).where(eq(operatorSettings.key, key)).get()?.value;
}

export function writeSetting(db: Tx, key: string, value: unknown, by: string): void {
  const now = new Date();
  db.insert(operatorSettings)
    .values({ key, value, updatedAt: now, updatedBy: by })
    .onConflictDoUpdate({ target: operatorSettings.key, set: { value, updatedAt: now, updatedBy: by } })
    .run();
}
