"use server";
// The announcements' server actions: an admin checked on the server (lib/console/gate.ts), then lib/announcements;
// refusals answered in words on the form, nothing changed.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Member } from "@/db/schema";
import { AnnouncementRefused } from "@/lib/announcements/errors";
import { createDraft, discardDraft, startSending } from "@/lib/announcements/sending";
import { requireAdminPage } from "@/lib/console/gate";
import type { FormState } from "../ConsoleForm";

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function createAnnouncementAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdminPage("/admin/announcements");
  const values = { title: text(form, "title"), body: text(form, "body"), audience: text(form, "audience") };
  const input = { ...values, audience: values.audience || undefined, inApp: form.get("inApp") === "on", email: form.get("email") === "on", sms: form.get("sms") === "on" };
  let id: string;
  try {
    id = createDraft(getDb(), admin, input, form.get("createKey")).announcement.id;
  } catch (error) {
    if (!(error instanceof AnnouncementRefused)) throw error;
    const checked = Object.fromEntries(["inApp", "email", "sms"].map((c) => [c, form.get(c) === "on" ? "on" : ""]));
    return { error: error.message, fields: error.fields, values: { ...values, ...checked }, at: Date.now() };
  }
  revalidatePath("/admin/announcements");
  redirect(`/admin/announcements/${id}`);
}

/** One step on an announcement's page: done (then back to `next`), or refused in words on the form. */
async function step(id: string, run: (admin: Member) => void, next: string): Promise<FormState> {
  const admin = await requireAdminPage(`/admin/announcements/${id}`);
  try {
    run(admin);
  } catch (error) {
    if (!(error instanceof AnnouncementRefused)) throw error;
    return { error: error.message, at: Date.now() };
  }
  revalidatePath("/admin/announcements", "layout");
  redirect(next);
}

export async function sendAnnouncementAction(id: string): Promise<FormState> {
  return step(id, (admin) => startSending(getDb(), admin, id), `/admin/announcements/${id}`);
}

export async function discardAnnouncementAction(id: string): Promise<FormState> {
  return step(id, (admin) => discardDraft(getDb(), admin, id), "/admin/announcements?done=discarded");
}
