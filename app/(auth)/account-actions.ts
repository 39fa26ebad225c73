"use server";
// Server actions behind the password reset pages: ask for a link (the same answer whether or not an account uses the
// address), and set a new password with it (nobody is signed in; the sign-in page says what happened).
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AccountInputError, AccountLimitReached, LinkUnusable } from "@/lib/account-links/errors";
import { PasswordHashBusy } from "@/lib/accounts/password";
import { deviceCookie } from "@/lib/auth/device";
import { BUSY } from "@/lib/auth/guard";
import { requestPasswordReset, resetPasswordWithLink } from "@/lib/auth/password-reset";
import { passwordSignIn, requestClient } from "@/lib/auth/sign-in";
import { confirmSignUp } from "@/lib/auth/sign-up";
import { markJoined } from "@/lib/smoke-signals/join";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

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
  throw error;
}

export async function forgotPasswordAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  const email = text(form, "email");
  try {
    const { message } = requestPasswordReset(getDb(), getEnv(), { email, method: "email" }, await requestClient());
    kickDispatcher();
    return { ok: message, values: { email } };
  } catch (error) {
    return { ...refusal(error), values: { email } };
  }
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
