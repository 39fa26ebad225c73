"use server";
// Server action behind the "tell me when someone joins" preference on the smoke signals page.
import { getDb } from "@/db/client";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { joinAlertSmsRefusal, setJoinAlert } from "@/lib/smoke-signals/join";
import { normalisePhone } from "@/lib/twilio/phone";

export type AlertState = { ok?: string; error?: string };

export async function saveJoinAlertAction(_prev: AlertState, form: FormData): Promise<AlertState> {
  const member = await requireMemberPage("/smoke-signals");
  const choice = String(form.get("joinAlert") ?? "none");
  if (choice !== "none" && choice !== "email" && choice !== "sms") return { error: "Choose how you want to be told." };
  let phone: string | null = null;
  const db = getDb();
  if (choice === "sms") {
    const env = getEnv();
    const parsed = normalisePhone(String(form.get("alertPhone") ?? ""), env.twilio.defaultCountry);
    if (!parsed.ok) return { error: parsed.message };
    // The platform pays for these texts: the same rules as SMS invitations (verified members, allowed countries).
    const refusal = joinAlertSmsRefusal(db, env, member.id, parsed.e164);
    if (refusal) return { error: refusal };
    phone = parsed.e164;
  }
  setJoinAlert(db, member.id, choice, phone);
  return { ok: choice === "none" ? "Saved: you will be told here only." : `Saved: you will also get ${choice === "sms" ? "an SMS" : "an email"}.` };
}
