// The admin_audit table: one entry per admin action (written in the action's transaction), and filtered pages of the log.
import "server-only";
import { and, count, desc, eq, or, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { containsText } from "@/db/sql";
import { adminAudit, type AdminAuditEntry } from "@/db/schema";

export type AuditQuery = { action?: string; q?: string; targetId?: string };

export function insertAuditEntry(tx: Tx, entry: Omit<typeof adminAudit.$inferInsert, "id" | "at">): void {
  tx.insert(adminAudit).values(entry).run();
}

function where(f: AuditQuery): SQL | undefined {
  const conditions: SQL[] = [];
  if (f.action) conditions.push(eq(adminAudit.action, f.action));
  if (f.targetId) conditions.push(eq(adminAudit.targetId, f.targetId));
  if (f.q) conditions.push(or(containsText(adminAudit.actorEmail, f.q), containsText(adminAudit.targetLabel, f.q))!);
  return conditions.length ? and(...conditions) : undefined;
}

/** A page of the log, newest first, and how many entries match. */
export function auditPage(db: Db, filters: AuditQuery, page: number, pageSize: number): { entries: AdminAuditEntry[]; total: number } {
  const w = where(filters);
  const entries = db
    .select()
    .from(adminAudit)
    .where(w)
    .orderBy(desc(adminAudit.at), desc(adminAudit.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const total = db.select({ n: count() }).from(adminAudit).where(w).get()?.n ?? 0;
  return { entries, total };
}
