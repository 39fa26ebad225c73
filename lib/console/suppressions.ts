// The Suppression lists section: numbers that texted STOP (or that Twilio refused as opted out) and mailboxes that
// unsubscribed, searchable, each with when and how it arrived, and removable with a reason (in the audit log).
import "server-only";
import { z } from "zod";
import { immediate, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { recordAudit } from "./audit";
import { firstValues, optionalText, pageNumber, type QueryParams } from "./filters";
import { reasonSchema, type ActionResult } from "./members";
import { deleteEmailEntry, deleteSmsEntry, emailEntry, emailPage, smsEntry, smsPage } from "./queries/suppressions";

export const PAGE_SIZE = 50;

const searchSchema = z.object({
  q: optionalText(z.string().max(254, "Search for at most 254 characters.")),
  page: pageNumber,
});

/** A number is searched by its digits (so "07700 900123" finds +447700900123 by its end), an address as typed. */
export function searchTerms(params: QueryParams) {
  const flat = firstValues(params);
  const parsed = searchSchema.safeParse(flat);
  if (!parsed.success) return { ok: false as const, problem: parsed.error.issues[0]!.message };
  const q = parsed.data.q;
  const digits = q?.replace(/\D/g, "");
  // A national number (leading 0) is matched without its 0, so it finds the international form's end.
  const phone = q && !q.includes("@") && digits ? digits.replace(/^0+/, "") : undefined;
  return { ok: true as const, q, phone, mailbox: q?.toLowerCase(), page: parsed.data.page };
}

export function howSmsArrived(entry: { keyword: string; source: string }): string {
  return entry.source === "twilio_refusal"
    ? "Twilio refused a send with 21610: the number opted out at Twilio (a STOP we did not receive)"
    : `The number texted “${entry.keyword}” to our number`;
}

export function howEmailArrived(entry: { source: string }): string {
  return entry.source === "one-click" ? "One-click unsubscribe from their mail app (RFC 8058)" : "The unsubscribe link at the foot of an invitation email";
}

export function listSms(db: Db, phone: string | undefined, page: number) {
  const { items, total } = smsPage(db, phone, page, PAGE_SIZE);
  return { items: items.map((e) => ({ ...e, masked: maskRecipient(e.phone), how: howSmsArrived(e) })), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export function listEmail(db: Db, mailbox: string | undefined, page: number) {
  const { items, total } = emailPage(db, mailbox, page, PAGE_SIZE);
  return { items: items.map((e) => ({ ...e, how: howEmailArrived(e) })), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

const refuse = (error: string, fields?: Record<string, string>): ActionResult => ({ ok: false, error: `${error} Nothing was changed.`, fields });

export function removeSmsSuppression(db: Db, admin: Member, input: { phone: unknown; reason: unknown }): ActionResult {
  const reason = reasonSchema.safeParse(input.reason);
  if (!reason.success) return refuse(reason.error.issues[0]!.message, { reason: reason.error.issues[0]!.message });
  const phone = typeof input.phone === "string" ? input.phone : "";
  return immediate(db, () => {
    const entry = smsEntry(db, phone);
    if (!entry) return refuse("That number is not on the list (someone may have removed it, or it texted START).");
    deleteSmsEntry(db, phone);
    recordAudit(db, admin, {
      action: "suppression.sms.remove",
      targetType: "sms_suppression",
      targetId: phone,
      targetLabel: maskRecipient(phone),
      reason: reason.data,
      before: { keyword: entry.keyword, source: entry.source, since: entry.createdAt.toISOString() },
      after: null,
    });
    return {
      ok: true as const,
      message: `${maskRecipient(phone)} is off the list. Twilio keeps its own opt-out until the number texts START: until then a send to it fails with 21610 and puts it back here.`,
    };
  });
}

export function removeEmailSuppression(db: Db, admin: Member, input: { mailbox: unknown; reason: unknown }): ActionResult {
  const reason = reasonSchema.safeParse(input.reason);
  if (!reason.success) return refuse(reason.error.issues[0]!.message, { reason: reason.error.issues[0]!.message });
  const mailbox = typeof input.mailbox === "string" ? input.mailbox : "";
  return immediate(db, () => {
    const entry = emailEntry(db, mailbox);
    if (!entry) return refuse("That address is not on the list (someone may have removed it).");
    deleteEmailEntry(db, mailbox);
    recordAudit(db, admin, {
      action: "suppression.email.remove",
      targetType: "email_suppression",
      targetId: mailbox,
      targetLabel: mailbox,
      reason: reason.data,
      before: { source: entry.source, since: entry.createdAt.toISOString() },
      after: null,
    });
    return { ok: true as const, message: `${mailbox} is off the list: invitations to it are accepted again.` };
  });
}
