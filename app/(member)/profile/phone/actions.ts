"use server";
// Server actions of the mobile number page: send a code (a change needs the password or a code), confirm it, send a
// new one, give up on a number, remove the number. Refusals come back as words for the form.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { AccountInputError, AccountLimitReached } from "@/lib/account-links/errors";
import { AccountSmsRefused } from "@/lib/account-messages/send";
import { confirmIdentity, type Confirmed } from "@/lib/auth/confirm";
import { requireMemberPage } from "@/lib/auth/session";
import { requestClient } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { maskedPhone } from "@/lib/phone-codes/codes";
import { abandonPhoneVerification, confirmPhoneVerification, phoneStatus, removePhone, startPhoneVerification } from "@/lib/phone-verification/phones";
import { TwilioError } from "@/lib/twilio/errors";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export type PhoneState = { ok?: string; error?: string; fields?: Record<string, string> };

const text = (form: FormData, name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");

/** Domain refusals in the form's words (anything else is a bug and goes to the error page). */
function refused(error: unknown): PhoneState {
  if (error instanceof AccountInputError) return { error: error.message, fields: error.fields };
  if (error instanceof AccountLimitReached || error instanceof AccountSmsRefused) return { error: error.message };
  if (error instanceof TwilioError) return { error: error.memberMessage };
  throw error;
}

async function confirmation(form: FormData): Promise<{ proof: Confirmed | null } | PhoneState> {
  const member = await requireMemberPage("/profile/phone");
  const password = text(form, "password");
  const code = text(form, "confirmCode");
  if (!password && !code) return { proof: null };
  const confirmed = await confirmIdentity(getDb(), getEnv(), member, { password, code }, await requestClient());
  return confirmed.ok ? { proof: confirmed.proof } : { error: confirmed.message, fields: { password: confirmed.message } };
}

export async function sendCodeAction(_prev: PhoneState, form: FormData): Promise<PhoneState> {
  const member = await requireMemberPage("/profile/phone");
  const db = getDb();
  const env = getEnv();
  const phone = text(form, "phone") || phoneStatus(db, env, member.id).pending?.phone || "";
  const confirmed = await confirmation(form);
  if (!("proof" in confirmed)) return confirmed;
  try {
    const sent = await startPhoneVerification(db, env, getTwilioVerify(), member, { phone }, confirmed.proof);
    kickDispatcher();
    revalidatePath("/profile/phone");
    return { ok: `We sent a code to ${maskedPhone(sent.phone)}. Enter it below.` };
  } catch (error) {
    return refused(error);
  }
}

export async function confirmCodeAction(_prev: PhoneState, form: FormData): Promise<PhoneState> {
  const member = await requireMemberPage("/profile/phone");
  let result: Awaited<ReturnType<typeof confirmPhoneVerification>>;
  try {
    result = await confirmPhoneVerification(getDb(), getEnv(), getTwilioVerify(), member, text(form, "code"));
  } catch (error) {
    return refused(error);
  }
  if (!result.ok) return { error: result.message, fields: { code: result.message } };
  kickDispatcher();
  revalidatePath("/profile/phone");
  revalidatePath("/profile");
  return { ok: `Your mobile number ${maskedPhone(result.phone)} is verified.` };
}

export async function abandonAction(): Promise<void> {
  const member = await requireMemberPage("/profile/phone");
  await abandonPhoneVerification(getDb(), getTwilioVerify(), member.id);
  revalidatePath("/profile/phone");
}

export async function removeAction(_prev: PhoneState, form: FormData): Promise<PhoneState> {
  const member = await requireMemberPage("/profile/phone");
  const confirmed = await confirmation(form);
  if (!("proof" in confirmed)) return confirmed;
  try {
    await removePhone(getDb(), getTwilioVerify(), member, confirmed.proof);
  } catch (error) {
    return refused(error);
  }
  kickDispatcher();
  revalidatePath("/profile/phone");
  revalidatePath("/profile");
  return { ok: "Your mobile number was removed. We will not text you alerts or sign-in codes." };
}
