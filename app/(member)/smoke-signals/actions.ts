"use server";
// Server action behind the "tell me when someone joins" choices on the smoke signals page (the invitee_joined alert).
import { getDb } from "@/db/client";
import { AlertChoicesRefused, saveAlertChoices } from "@/lib/alerts/preferences";
import { requireMemberPage } from "@/lib/auth/session";

export type AlertState = { ok?: string; error?: string };

export async function saveJoinAlertAction(_prev: AlertState, form: FormData): Promise<AlertState> {
  const member = await requireMemberPage("/smoke-signals");
  const choice = { inApp: form.get("inApp") === "on", email: form.get("email") === "on", sms: form.get("sms") === "on" };
  try {
    saveAlertChoices(getDb(), member.id, { invitee_joined: choice });
  } catch (error) {
    if (error instanceof AlertChoicesRefused) return { error: error.message };
    throw error;
  }
  const ways = [choice.inApp && "in the app", choice.email && "by email", choice.sms && "by SMS"].filter(Boolean);
  return { ok: ways.length ? `Saved: you will be told ${ways.join(" and ")}.` : "Saved: you will not be told when someone joins." };
}
