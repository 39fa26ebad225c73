// The admin audit log: every admin action with who, what, to what, when, and the record before and after. Written in
// the same transaction as the action itself, so the log and the data never disagree.
import "server-only";
import type { Db, Tx } from "@/db/client";
import type { AdminAuditEntry, Member } from "@/db/schema";
import { auditPage, insertAuditEntry } from "./queries/audit";

/** Every action the console records, with the words the log shows for it. */
export const AUDIT_ACTIONS = {
  "member.role": "Changed a member's role",
  "member.disable": "Disabled a member",
  "member.enable": "Enabled a member",
  "member.delete": "Deleted a member's account",
  "suppression.sms.remove": "Removed a number from the SMS opt-out list",
  "suppression.email.remove": "Removed an address from the email unsubscribe list",
  "settings.sms_budget": "Changed the monthly SMS budget",
  "settings.alerts": "Changed the alert thresholds",
  "settings.yoti_prices": "Changed Yoti's unit prices",
  "retention.run": "Ran the retention job",
  "doctor.run": "Ran the integration checks",
  "announcement.create": "Wrote an announcement",
  "announcement.discard": "Discarded an announcement",
  "announcement.send": "Sent an announcement",
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export type AuditInput = {
  action: AuditAction;
  targetType: "member" | "sms_suppression" | "email_suppression" | "setting" | "job" | "announcement";
  targetId?: string | null;
  targetLabel?: string | null;
  reason?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Records one admin action (inside the action's own transaction). */
export function recordAudit(tx: Tx, actor: Pick<Member, "id" | "email">, entry: AuditInput): void {
  insertAuditEntry(tx, {
    actorId: actor.id,
    actorEmail: actor.email,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    targetLabel: entry.targetLabel ?? null,
    reason: entry.reason ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

export type AuditFilters = { action?: AuditAction; q?: string; targetId?: string };

/** A page of the log, newest first. */
export function listAudit(db: Db, filters: AuditFilters, page: number, pageSize = 50): { entries: AdminAuditEntry[]; total: number } {
  return auditPage(db, filters, page, pageSize);
}
