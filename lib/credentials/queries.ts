// The credential_use table: when each outgoing credential last worked and was last refused.
import "server-only";
import { asc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { credentialUse, type CredentialUse } from "@/db/schema";

export function recordCredentialOk(db: Db, name: string, at: Date): void {
  db.insert(credentialUse).values({ name, lastOkAt: at }).onConflictDoUpdate({ target: credentialUse.name, set: { lastOkAt: at } }).run();
}

export function recordCredentialRefused(db: Db, name: string, at: Date, refusal: string): void {
  db.insert(credentialUse)
    .values({ name, lastRefusedAt: at, lastRefusal: refusal })
    .onConflictDoUpdate({ target: credentialUse.name, set: { lastRefusedAt: at, lastRefusal: refusal } })
    .run();
}

export function listCredentialUse(db: Db): CredentialUse[] {
  return db.select().from(credentialUse).orderBy(asc(credentialUse.name)).all();
}
