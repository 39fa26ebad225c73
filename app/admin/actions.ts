"use server";
// The console's server actions: each checks on the server that an admin is asking (lib/console/gate.ts), calls lib,
// and answers in words; data pages are revalidated after a change.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb, immediate } from "@/db/client";
import { recordAudit } from "@/lib/console/audit";
import { requireAdminPage } from "@/lib/console/gate";
import { integrationChecks } from "@/lib/console/integrations";
import { runJob } from "@/lib/console/jobs";
import { changeRole, deleteMember, disableMember, enableMember, type ActionResult } from "@/lib/console/members";
import { updateSetting } from "@/lib/console/settings";
import { removeEmailSuppression, removeSmsSuppression } from "@/lib/console/suppressions";
import { getEnv } from "@/lib/env";
import type { FormState } from "./ConsoleForm";

/** What the form shows: the result's words, and on a refusal the values as typed (secrets never echoed). */
function answer(result: ActionResult, form: FormData): FormState {
  if (result.ok) return { ok: result.message, at: Date.now() };
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")).map(([k, v]) => [k, v as string]));
  return { error: result.error, fields: result.fields, values, at: Date.now() };
}

export async function runChecksAction(): Promise<FormState> {
  const admin = await requireAdminPage("/admin/integrations");
  const run = await integrationChecks(getEnv(), { fresh: true });
  const failed = run.results.filter((r) => r.status === "FAIL").length;
  const warned = run.results.filter((r) => r.status === "WARN").length;
  const db = getDb();
  immediate(db, () => recordAudit(db, admin, { action: "doctor.run", targetType: "job", targetId: "doctor", targetLabel: "Integration checks", after: { failed, warned, total: run.results.length } }));
  revalidatePath("/admin/integrations");
  return { ok: `Checks run again: ${run.results.length - failed - warned} passed, ${warned} warnings, ${failed} failed.`, at: Date.now() };
}

function settingAction(key: "sms_budget" | "alerts" | "yoti_prices") {
  return async (_prev: FormState, form: FormData): Promise<FormState> => {
    const admin = await requireAdminPage("/admin/usage");
    const result = updateSetting(getDb(), admin, key, form);
    if (result.ok) revalidatePath("/admin", "layout");
    return answer(result, form);
  };
}

export async function saveBudgetAction(prev: FormState, form: FormData): Promise<FormState> {
  return settingAction("sms_budget")(prev, form);
}
export async function saveAlertsAction(prev: FormState, form: FormData): Promise<FormState> {
  return settingAction("alerts")(prev, form);
}
export async function saveYotiPricesAction(prev: FormState, form: FormData): Promise<FormState> {
  return settingAction("yoti_prices")(prev, form);
}

/**
 * After a change that removes the form itself from the page (the entry it removed, the disable form once disabled), the
 * page says what happened: back to it with a `done` code its fixed words are looked up by (nothing typed in the URL).
 */
function doneAt(path: string, done: string, extra: Record<string, string> = {}): never {
  const url = new URL(path, "http://x");
  url.searchParams.set("done", done);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  redirect(`${url.pathname}${url.search}`);
}

export async function removeSmsSuppressionAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage("/admin/suppressions");
  const result = removeSmsSuppression(getDb(), admin, { phone: form.get("phone"), reason: form.get("reason") });
  if (!result.ok) return answer(result, form);
  revalidatePath("/admin/suppressions");
  doneAt(`/admin/suppressions?q=${encodeURIComponent(String(form.get("q") ?? ""))}`, "sms_removed");
}

export async function removeEmailSuppressionAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage("/admin/suppressions");
  const result = removeEmailSuppression(getDb(), admin, { mailbox: form.get("mailbox"), reason: form.get("reason") });
  if (!result.ok) return answer(result, form);
  revalidatePath("/admin/suppressions");
  doneAt(`/admin/suppressions?q=${encodeURIComponent(String(form.get("q") ?? ""))}`, "email_removed");
}

export async function changeRoleAction(memberId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage(`/admin/members/${memberId}`);
  const result = changeRole(getDb(), admin, memberId, { role: form.get("role"), reason: form.get("reason") });
  if (!result.ok) return answer(result, form);
  revalidatePath("/admin/members", "layout");
  doneAt(`/admin/members/${memberId}`, "role");
}

export async function disableMemberAction(memberId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage(`/admin/members/${memberId}`);
  const result = disableMember(getDb(), admin, memberId, { reason: form.get("reason") });
  if (!result.ok) return answer(result, form);
  revalidatePath("/admin/members", "layout");
  doneAt(`/admin/members/${memberId}`, "disabled", { ended: String(result.count ?? 0) });
}

export async function enableMemberAction(memberId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage(`/admin/members/${memberId}`);
  const result = enableMember(getDb(), admin, memberId, { reason: form.get("reason") });
  if (!result.ok) return answer(result, form);
  revalidatePath("/admin/members", "layout");
  doneAt(`/admin/members/${memberId}`, "enabled");
}

export async function deleteMemberAction(memberId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage(`/admin/members/${memberId}`);
  const result = await deleteMember(getDb(), admin, memberId, { reason: form.get("reason"), confirm: form.get("confirm") });
  if (!result.ok) return answer(result, form);
  revalidatePath("/admin", "layout");
  // The member's page no longer exists: back to the list, which says what happened (no email in the URL).
  doneAt("/admin/members", "deleted");
}

export async function runRetentionAction(): Promise<FormState> {
  const admin = await requireAdminPage("/admin/privacy");
  const db = getDb();
  const outcome = runJob(db, getEnv(), "retention", admin.email);
  if (!outcome.ran) return { error: "The retention job is running already (started elsewhere). Nothing was started; look again in a minute.", at: Date.now() };
  immediate(db, () => recordAudit(db, admin, { action: "retention.run", targetType: "job", targetId: "retention", targetLabel: "Retention", after: outcome.summary }));
  revalidatePath("/admin/privacy");
  return outcome.ok
    ? { ok: "Retention ran: see what it purged below.", at: Date.now() }
    : { error: `Retention failed: ${String(outcome.summary.error)}. It runs again at its next turn.`, at: Date.now() };
}
