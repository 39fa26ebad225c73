// Deleting an account, by the member or by an admin, in one transaction: pending messages are cancelled, verification
// data deleted, sent smoke signals kept only as anonymised counts, the member's messages kept for usage and cost with
// nothing personal, suppression entries kept (they protect the recipients), and every session ended with the account.
import "server-only";
import { immediate, type Db, type Tx } from "@/db/client";
import type { Member } from "@/db/schema";
import { recordAudit } from "@/lib/console/audit";
import { log } from "@/lib/log";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { anonymiseMessages, cancelPendingMessages, countSignalsAnonymously, deleteMemberRows, otherActiveAdmins } from "./queries";
import { memberById } from "@/lib/accounts/members";

export class DeletionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeletionRefused";
  }
}

export type DeletionSummary = { cancelledMessages: number; anonymisedMessages: number; countedSignals: number };

export const LAST_ADMIN =
  "This is the only administrator account that can sign in: make another member an administrator first, so the site is not left without one.";

/** The deletion itself, inside the caller's transaction. Throws DeletionRefused for the last admin. */
function deleteInside(tx: Tx, member: Member, now: Date): DeletionSummary {
  if (member.role === "admin" && !member.disabledAt && otherActiveAdmins(tx, member.id) === 0) throw new DeletionRefused(LAST_ADMIN);
  const cancelledMessages = cancelPendingMessages(tx, member.id, "cancelled: the member deleted their account");
  const anonymisedMessages = anonymiseMessages(tx, member.id, maskRecipient, now);
  const countedSignals = countSignalsAnonymously(tx, member.id);
  deleteMemberRows(tx, member);
  return { cancelledMessages, anonymisedMessages, countedSignals };
}

/** A member deletes their own account (their password was checked by the caller). */
export function deleteOwnAccount(db: Db, member: Member, now = new Date()): DeletionSummary {
  const summary = immediate(db, () => deleteInside(db, member, now));
  // No email or id in the log: the account is gone, and the log is not a copy of it.
  log.info({ ...summary, by: "member" }, "account deleted");
  return summary;
}

/** An admin deletes a member's account, recorded in the audit log with the reason. Null when there is no such member. */
export async function deleteMemberByAdmin(db: Db, admin: Member, memberId: string, reason: string, now = new Date()): Promise<DeletionSummary | null> {
  const member = memberById(db, memberId);
  if (!member) return null;
  if (member.id === admin.id) throw new DeletionRefused("You cannot delete your own account from the console; do it from your profile.");
  const summary = immediate(db, () => {
    const result = deleteInside(db, member, now);
    recordAudit(db, admin, {
      action: "member.delete",
      targetType: "member",
      targetId: member.id,
      targetLabel: member.email,
      reason,
      before: { email: member.email, role: member.role, disabled: Boolean(member.disabledAt), createdAt: member.createdAt.toISOString() },
      after: { ...result },
    });
    return result;
  });
  log.info({ ...summary, by: "admin" }, "account deleted");
  return summary;
}
