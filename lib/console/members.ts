// The Members section: search (email, screen name or id; role, state, verification), verification status at a glance,
// and the admin actions on a member (role, disable, enable, delete), each with its guard rails and an audit entry
// written in the same transaction. A disabled member cannot sign in, and their sessions and API tokens stop working.
import "server-only";
import { z } from "zod";
import { immediate, type Db } from "@/db/client";
import { ROLES, type Member, type Role } from "@/db/schema";
import { endMemberSessions } from "@/lib/auth/sessions";
import { DeletionRefused, deleteMemberByAdmin, LAST_ADMIN } from "@/lib/privacy/deletion";
import { otherActiveAdmins } from "@/lib/privacy/queries";
import { recordAudit } from "./audit";
import { fieldProblems, firstValues, optionalText, pageNumber, type FieldProblems, type QueryParams } from "./filters";
import { memberActivity, memberCount, memberPage, memberRow, setDisabled, setRole, type MemberQuery } from "./queries/members";

export const PAGE_SIZE = 50;

const filtersSchema = z.object({
  q: optionalText(z.string().max(254, "Search for at most 254 characters.")),
  role: optionalText(z.enum(ROLES, { error: "Role must be member or admin." })),
  state: optionalText(z.enum(["active", "disabled"], { error: "State must be active or disabled." })),
  verified: optionalText(z.enum(["yes", "no"], { error: "Verified must be yes or no." })),
  page: pageNumber,
});
export type MemberFilters = z.infer<typeof filtersSchema>;

export function parseMemberFilters(params: QueryParams): { ok: true; filters: MemberFilters; query: MemberQuery } | { ok: false; problems: FieldProblems } {
  const flat = firstValues(params);
  const parsed = filtersSchema.safeParse(flat);
  if (!parsed.success) return { ok: false, problems: fieldProblems(parsed.error) };
  const f = parsed.data;
  return { ok: true, filters: f, query: { q: f.q, role: f.role, state: f.state, verified: f.verified === undefined ? undefined : f.verified === "yes" } };
}

export function searchMembers(db: Db, query: MemberQuery, page: number) {
  const total = memberCount(db, query);
  return { items: memberPage(db, query, page, PAGE_SIZE), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export function memberDetail(db: Db, id: string, now = new Date()) {
  const member = memberRow(db, id);
  return member ? { member, activity: memberActivity(db, id, now) } : null;
}

/** What an action did, in words; `count` where a number matters to the page that reports it (sessions ended). */
export type ActionResult = { ok: true; message: string; count?: number } | { ok: false; error: string; fields?: FieldProblems };

export const reasonSchema = z
  .string({ error: "Give a reason: it goes in the audit log." })
  .trim()
  .min(1, "Give a reason: it goes in the audit log.")
  .min(3, "Give a reason of at least 3 characters: it goes in the audit log.")
  .max(500, "Keep the reason under 500 characters.");

const refuse = (error: string, fields?: FieldProblems): ActionResult => ({ ok: false, error: `${error} Nothing was changed.`, fields });
const NOT_FOUND = "There is no such member (they may have been deleted).";

export function changeRole(db: Db, admin: Member, memberId: string, input: { role: unknown; reason: unknown }): ActionResult {
  const parsed = z.object({ role: z.enum(ROLES, { error: "Choose member or admin." }), reason: optionalText(reasonSchema) }).safeParse(input);
  if (!parsed.success) return refuse(Object.values(fieldProblems(parsed.error))[0]!, fieldProblems(parsed.error));
  const { role, reason } = parsed.data;
  return immediate(db, () => {
    const member = memberRow(db, memberId);
    if (!member) return refuse(NOT_FOUND);
    if (member.role === role) return refuse(`${member.email} is already ${role === "admin" ? "an administrator" : "a member"}.`);
    if (member.id === admin.id) return refuse("You cannot remove your own administrator role: ask another administrator.");
    if (member.role === "admin" && !member.disabledAt && otherActiveAdmins(db, member.id) === 0) return refuse(LAST_ADMIN);
    setRole(db, member.id, role as Role);
    recordAudit(db, admin, { action: "member.role", targetType: "member", targetId: member.id, targetLabel: member.email, reason, before: { role: member.role }, after: { role } });
    return { ok: true as const, message: `${member.email} is now ${role === "admin" ? "an administrator" : "a member"}.` };
  });
}

export function disableMember(db: Db, admin: Member, memberId: string, input: { reason: unknown }, now = new Date()): ActionResult {
  const reason = reasonSchema.safeParse(input.reason);
  if (!reason.success) return refuse(reason.error.issues[0]!.message, { reason: reason.error.issues[0]!.message });
  return immediate(db, () => {
    const member = memberRow(db, memberId);
    if (!member) return refuse(NOT_FOUND);
    if (member.disabledAt) return refuse(`${member.email} is already disabled.`);
    if (member.id === admin.id) return refuse("You cannot disable your own account.");
    if (member.role === "admin" && otherActiveAdmins(db, member.id) === 0) return refuse(LAST_ADMIN);
    setDisabled(db, member.id, now);
    const ended = endMemberSessions(db, member.id, "disabled", null, now.getTime());
    recordAudit(db, admin, {
      action: "member.disable",
      targetType: "member",
      targetId: member.id,
      targetLabel: member.email,
      reason: reason.data,
      before: { disabled: false },
      after: { disabled: true, sessionsEnded: ended },
    });
    return { ok: true as const, count: ended, message: `${member.email} is disabled: ${ended === 1 ? "1 session was" : `${ended} sessions were`} ended, and their API tokens no longer work.` };
  });
}

export function enableMember(db: Db, admin: Member, memberId: string, input: { reason: unknown }): ActionResult {
  const reason = optionalText(reasonSchema).safeParse(input.reason);
  if (!reason.success) return refuse(reason.error.issues[0]!.message, { reason: reason.error.issues[0]!.message });
  return immediate(db, () => {
    const member = memberRow(db, memberId);
    if (!member) return refuse(NOT_FOUND);
    if (!member.disabledAt) return refuse(`${member.email} is not disabled.`);
    setDisabled(db, member.id, null);
    recordAudit(db, admin, { action: "member.enable", targetType: "member", targetId: member.id, targetLabel: member.email, reason: reason.data, before: { disabled: true }, after: { disabled: false } });
    return { ok: true as const, message: `${member.email} is enabled again: they can sign in, and their API tokens work again.` };
  });
}

/** Deletes a member's account as the member would (see lib/privacy/deletion.ts), after the admin typed their email. */
export async function deleteMember(db: Db, admin: Member, memberId: string, input: { reason: unknown; confirm: unknown }): Promise<ActionResult> {
  const member = memberRow(db, memberId);
  if (!member) return refuse(NOT_FOUND);
  const parsed = z
    .object({
      reason: reasonSchema,
      confirm: z.string({ error: "Type the member's email address to confirm." }).trim().toLowerCase().refine((v) => v === member.email, "Type the member's email address exactly, to confirm."),
    })
    .safeParse(input);
  if (!parsed.success) return refuse(Object.values(fieldProblems(parsed.error))[0]!, fieldProblems(parsed.error));
  try {
    const summary = await deleteMemberByAdmin(db, admin, member.id, parsed.data.reason);
    if (!summary) return refuse(NOT_FOUND);
    return {
      ok: true,
      message: `${member.email}'s account is deleted: ${summary.cancelledMessages} pending message(s) cancelled, ${summary.countedSignals} smoke signal(s) kept as anonymous counts, every session ended.`,
    };
  } catch (error) {
    if (error instanceof DeletionRefused) return refuse(error.message);
    throw error;
  }
}
