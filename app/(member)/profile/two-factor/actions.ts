"use server";
// Server actions of the two-factor page: turn it on with the password and a code from the app (recovery codes shown once), SMS codes
// on or off, new recovery codes and turning it off (both confirmed with the password or a code), forget browsers.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { confirmIdentity } from "@/lib/auth/confirm";
import { requireMemberPage } from "@/lib/auth/session";
import { requestClient } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { confirmTotpSetup, disableTwoFactor, forgetBrowsers, regenerateRecoveryCodes, setSmsSignIn } from "@/lib/two-factor/factors";

export type TwoFactorFormState = { ok?: string; error?: string; fields?: Record<string, string>; recoveryCodes?: string[] };

const PAGE = "/profile/two-factor";
const text = (form: FormData, name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");

export async function enableAction(_prev: TwoFactorFormState, form: FormData): Promise<TwoFactorFormState> {
  const member = await requireMemberPage(PAGE);
  // The password first: someone with a borrowed session must not be able to lock the member out with their own app.
  const refused = await confirmed(form, "Enter your password.");
  if (refused) return refused;
  const result = confirmTotpSetup(getDb(), getEnv(), member.id, text(form, "code"));
  if (!result.ok) return { error: result.message, fields: { code: result.message } };
  // This session began before two-factor was on, so it does not count as having passed it (decision 053): an admin
  // signs in again with a code before using admin features.
  kickDispatcher();
  revalidatePath(PAGE);
  return { ok: "Two-factor sign-in is on.", recoveryCodes: result.recoveryCodes };
}

async function confirmed(form: FormData, fallback: string): Promise<TwoFactorFormState | null> {
  const member = await requireMemberPage(PAGE);
  const c = await confirmIdentity(getDb(), getEnv(), member, { password: text(form, "password"), code: text(form, "confirmCode") }, await requestClient());
  return c.ok ? null : { error: c.message || fallback, fields: { password: c.message } };
}

export async function regenerateAction(_prev: TwoFactorFormState, form: FormData): Promise<TwoFactorFormState> {
  const member = await requireMemberPage(PAGE);
  const refused = await confirmed(form, "Confirm it is you.");
  if (refused) return refused;
  const codes = regenerateRecoveryCodes(getDb(), getEnv(), member.id);
  revalidatePath(PAGE);
  return { ok: "Your new recovery codes are below. The old ones no longer work.", recoveryCodes: codes };
}

export async function disableAction(_prev: TwoFactorFormState, form: FormData): Promise<TwoFactorFormState> {
  const member = await requireMemberPage(PAGE);
  const refused = await confirmed(form, "Confirm it is you.");
  if (refused) return refused;
  disableTwoFactor(getDb(), member.id);
  kickDispatcher();
  revalidatePath(PAGE);
  revalidatePath("/profile");
  return { ok: "Two-factor sign-in is off. Your password alone now signs in to your account." };
}

export async function smsAction(_prev: TwoFactorFormState, form: FormData): Promise<TwoFactorFormState> {
  const member = await requireMemberPage(PAGE);
  const on = text(form, "sms") === "on";
  const result = setSmsSignIn(getDb(), member.id, on);
  if (!result.ok) return { error: result.message };
  revalidatePath(PAGE);
  return { ok: on ? "We will offer SMS codes at sign-in too." : "SMS codes are off: sign in with your authenticator app or a recovery code." };
}

export async function forgetDeviceAction(form: FormData): Promise<void> {
  const member = await requireMemberPage(PAGE);
  const id = text(form, "id");
  forgetBrowsers(getDb(), member.id, id === "all" ? null : id);
  revalidatePath(PAGE);
}
