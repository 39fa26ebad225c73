"use server";
// Server actions for the profile's account section: edit the screen name, send a link confirming the address, ask to
// change the address. Every refusal is words on the form.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { AccountInputError, AccountLimitReached } from "@/lib/account-links/errors";
import { PasswordHashBusy } from "@/lib/accounts/password";
import { requestEmailChange, sendVerificationEmail, setScreenName } from "@/lib/accounts/email-address";
import { BUSY } from "@/lib/auth/guard";
import { requireMemberPage } from "@/lib/auth/session";
import { requestClient } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export type AccountState = { ok?: string; error?: string; fields?: Record<string, string>; /** What was typed, kept after a refusal. */ values?: Record<string, string> };

function refusal(error: unknown): AccountState {
  if (error instanceof AccountInputError) return { error: error.message, fields: error.fields };
  if (error instanceof AccountLimitReached) return { error: error.message };
  if (error instanceof PasswordHashBusy) return { error: BUSY.message };
  throw error;
}

const text = (form: FormData, name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");

export async function screenNameAction(_prev: AccountState, form: FormData): Promise<AccountState> {
  const member = await requireMemberPage("/profile");
  try {
    const name = setScreenName(getDb(), member.id, text(form, "screenName"));
    revalidatePath("/profile");
    return { ok: name ? `Saved: your screen name is ${name}.` : "Saved: you have no screen name." };
  } catch (error) {
    return { ...refusal(error), values: { screenName: text(form, "screenName") } };
  }
}

export async function verifyEmailAction(): Promise<AccountState> {
  const member = await requireMemberPage("/profile");
  try {
    const { message } = sendVerificationEmail(getDb(), getEnv(), member, await requestClient());
    kickDispatcher();
    return { ok: message };
  } catch (error) {
    return refusal(error);
  }
}

export async function changeEmailAction(_prev: AccountState, form: FormData): Promise<AccountState> {
  const member = await requireMemberPage("/profile");
  try {
    const { message } = await requestEmailChange(getDb(), getEnv(), member, { email: text(form, "newEmail"), currentPassword: text(form, "emailPassword") }, await requestClient());
    kickDispatcher();
    return { ok: message };
  } catch (error) {
    const state = refusal(error);
    // The form names its fields newEmail and emailPassword (the page has other email and password fields).
    const fields = state.fields && { ...(state.fields.email ? { newEmail: state.fields.email } : {}), ...(state.fields.currentPassword ? { emailPassword: state.fields.currentPassword } : {}) };
    return { ...state, fields, values: { newEmail: text(form, "newEmail") } };
  }
}
