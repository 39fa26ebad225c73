"use server";
// Server actions behind the sign-up, sign-in and sign-out forms; refusals (limits, a busy server) are words on the form.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { signOut } from "@/lib/auth";
import { safeNext } from "@/lib/auth/next-url";
import { passwordSignIn, requestClient } from "@/lib/auth/sign-in";
import { accountFormFrom, startSignUp } from "@/lib/auth/sign-up";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export type FormState = {
  error?: string;
  fields?: Record<string, string>;
  values?: { email?: string; screenName?: string };
  /** Sign-up sent its email: the "check your email" words (the same whether or not the address has an account). */
  checkEmail?: string;
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** Sign-up and the invitation page: the same "check your email" answer whether or not the address has an account. */
export async function startSignUpFrom(form: FormData, joinToken?: string): Promise<FormState> {
  const input = accountFormFrom(form);
  const values = { email: input.email, screenName: input.screenName };
  const result = await startSignUp(getDb(), getEnv(), { ...input, joinToken }, await requestClient());
  if (!result.ok) return { ...result.problem, values };
  kickDispatcher();
  return { checkEmail: result.message };
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  return startSignUpFrom(form);
}

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const password = text(form, "password");
  const values = { email };
  if (!email.trim() || !password) {
    return {
      error: "Enter your email address and password.",
      fields: { ...(!email.trim() ? { email: "Enter your email address." } : {}), ...(!password ? { password: "Enter your password." } : {}) },
      values,
    };
  }
  const signedIn = await passwordSignIn(email, password);
  if (!signedIn.ok && signedIn.twoFactor) redirect(`/signin/two-factor?next=${encodeURIComponent(safeNext(text(form, "next")))}`);
  if (!signedIn.ok) return { error: signedIn.message, values };
  redirect(safeNext(text(form, "next")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/signin?signedOut=1");
}
