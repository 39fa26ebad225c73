"use server";
// The alerts and preferences form: every event's channels saved at once, or nothing and the reasons per event.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { ALERT_CHANNELS, ALERT_EVENTS, type AlertEvent, type ChannelChoice } from "@/lib/alerts/catalogue";
import { AlertChoicesRefused, saveAlertChoices } from "@/lib/alerts/preferences";
import { AnnouncementChoicesRefused, saveAnnouncementChoices } from "@/lib/announcements/preferences";
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

export type AnnouncementPreferencesState = { ok?: string; error?: string; fields?: Record<string, string>; at?: number };

/** The announcements section: shown in the app, email and SMS consents, each given or withdrawn with its time. */
export async function saveAnnouncementPreferencesAction(_prev: AnnouncementPreferencesState, form: FormData): Promise<AnnouncementPreferencesState> {
  const member = await requireMemberPage("/profile/preferences");
  const wanted = { inApp: form.get("announcements:inApp") === "on", email: form.get("announcements:email") === "on", sms: form.get("announcements:sms") === "on" };
  try {
    saveAnnouncementChoices(getDb(), member.id, wanted);
  } catch (error) {
    if (!(error instanceof AnnouncementChoicesRefused)) throw error;
    return { error: `Not saved. ${error.message}`, fields: error.fields, at: Date.now() };
  }
  revalidatePath("/profile/preferences");
  return { ok: "Saved. Announcements will come as you chose.", at: Date.now() };
}
