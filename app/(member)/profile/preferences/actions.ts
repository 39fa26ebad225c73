"use server";
// The alerts and preferences form: every event's channels saved at once, or nothing and the reasons per event.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { ALERT_CHANNELS, ALERT_EVENTS, type AlertEvent, type ChannelChoice } from "@/lib/alerts/catalogue";
import { AlertChoicesRefused, saveAlertChoices } from "@/lib/alerts/preferences";
import { requireMemberPage } from "@/lib/auth/session";

export type PreferencesState = { ok?: string; error?: string; fields?: Record<string, string>; /** What was sent, shown again after a refusal. */ sent?: Record<string, ChannelChoice> };

export async function savePreferencesAction(_prev: PreferencesState, form: FormData): Promise<PreferencesState> {
  const member = await requireMemberPage("/profile/preferences");
  const choices = Object.fromEntries(
    ALERT_EVENTS.map((event) => [event, Object.fromEntries(ALERT_CHANNELS.map((c) => [c, form.get(`${event}:${c}`) === "on"])) as ChannelChoice]),
  ) as Record<AlertEvent, ChannelChoice>;
  try {
    saveAlertChoices(getDb(), member.id, choices);
  } catch (error) {
    if (!(error instanceof AlertChoicesRefused)) throw error;
    const n = Object.keys(error.fields).length;
    return { error: n === 1 ? `Not saved. ${error.message}` : `Not saved: ${n} alerts need a change (see below).`, fields: error.fields, sent: choices };
  }
  revalidatePath("/profile/preferences");
  return { ok: "Saved. Your alerts will come as you chose." };
}
