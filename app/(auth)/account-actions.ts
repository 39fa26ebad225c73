"use server";
// Server actions behind the password reset pages: ask for a link or a code by SMS (the same answer whether or not an
// account uses the address), and set a new password with it (nobody is signed in; the sign-in page says what
// happened); and the sign-up confirmation.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { getDb } from "@/db/client";
import { AccountInputError, AccountLimitReached, LinkUnusable } from "@/lib/account-links/errors";
import { PasswordHashBusy } from "@/lib/accounts/password";
import { deviceCookie } from "@/lib/auth/device";
import { BUSY } from "@/lib/auth/guard";
import { requestPasswordReset, resetPasswordWithLink } from "@/lib/auth/password-reset";
import { requestPasswordResetCode, resetPasswordWithCode } from "@/lib/auth/password-reset-code";
import { passwordSignIn, requestClient } from "@/lib/auth/sign-in";
import { confirmSignUp } from "@/lib/auth/sign-up";
import { markJoined } from "@/lib/smoke-signals/join";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { TwilioError } from "@/lib/twilio/errors";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export type AccountFormState = { ok?: string; error?: string; fields?: Record<string, string>; values?: Record<string, string>; /** The link can no longer be used. */ dead?: boolean };

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** A refusal any account form shows the same way: limits, bad input and unusable links in words. */
function refusal(error: unknown): AccountFormState {
  if (error instanceof AccountInputError) return { error: error.message, fields: error.fields };
  if (error instanceof AccountLimitReached) return { error: error.message };
  if (error instanceof LinkUnusable) return { error: error.message, dead: true };
  if (error instanceof PasswordHashBusy) return { error: BUSY.message };
  if (error instanceof TwilioError) return { error: error.memberMessage };
  throw error;
}

export async function forgotPasswordAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const email = text(form, "email");
  try {
    const { message } = requestPasswordReset(getDb(), getEnv(), { email }, await requestClient());
    kickDispatcher();
    return { ok: message, values: { email } };
  } catch (error) {
    return { ...refusal(error), values: { email } };
  }
}

/** Asks for a reset code by SMS. A refused resend keeps the code form (the code already sent still works). */
export async function requestResetCodeAction(prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const email = text(form, "email");
  try {
    const { message, send } = requestPasswordResetCode(getDb(), getEnv(), getTwilioVerify(), { email }, await requestClient());
    after(async () => {
      await send();
      kickDispatcher();
    });
    return { ok: message, values: { email } };
  } catch (error) {
    return { ...refusal(error), ok: prev.ok, values: { email } };
  }
}

/** Sets the new password with the texted code: refusals in words on the form (tries left, what to do next). */
export async function resetWithCodeAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const env = getEnv();
  let result: Awaited<ReturnType<typeof resetPasswordWithCode>>;
  try {
    result = await resetPasswordWithCode(getDb(), env, getTwilioVerify(), { email: text(form, "email"), code: text(form, "code"), password: text(form, "password") }, await requestClient());
  } catch (error) {
    return refusal(error);
  }
  if (!result.ok) return { error: result.message, fields: { code: result.message } };
  kickDispatcher();
  if (result.newDevice) (await cookies()).set(deviceCookie(result.newDevice, env.appUrl.startsWith("https://")));
  redirect("/signin?reset=1");
}

export async function resetPasswordAction(token: string, _prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const env = getEnv();
  let newDevice: string | null;
  try {
    ({ newDevice } = await resetPasswordWithLink(getDb(), env, token, text(form, "password"), await requestClient()));
  } catch (error) {
    return refusal(error);
  }
  kickDispatcher();
  if (newDevice) (await cookies()).set(deviceCookie(newDevice, env.appUrl.startsWith("https://")));
  redirect("/signin?reset=1");
}

export async function confirmSignUpAction(token: string, _prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const env = getEnv();
  const db = getDb();
  const password = text(form, "password");
  let created: Awaited<ReturnType<typeof confirmSignUp>>;
  try {
    created = await confirmSignUp(db, env, token, password);
  } catch (error) {
    return refusal(error);
  }
  // The invitation it came through is joined now that the account exists (its sender is told).
  if (created.joinToken && markJoined(db, created.joinToken, created.memberId, env)) kickDispatcher();
  const signedIn = await passwordSignIn(created.email, password);
  if (!signedIn.ok) return { error: `Your account is ready, but signing you in failed: ${signedIn.message} Please sign in.` };
  redirect("/profile");
}
