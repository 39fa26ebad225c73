"use server";
// Server actions behind the sign-up, sign-in and sign-out forms.
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AccountError, createMember } from "@/lib/accounts/members";
import { signIn, signOut } from "@/lib/auth";
import { safeNext } from "@/lib/auth/session";

export type FormState = {
  error?: string;
  fields?: Record<string, string>;
  values?: { email?: string; screenName?: string };
};

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email");
  const password = text(form, "password");
  const screenName = text(form, "screenName");
  const values = { email, screenName };
  try {
    await createMember(getDb(), { email, password, screenName });
  } catch (error) {
    if (error instanceof AccountError) return { error: error.message, fields: error.fields, values };
    throw error;
  }
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return { error: "Your account was created, but signing you in failed. Please sign in.", values };
    throw error;
  }
  redirect(safeNext(text(form, "next")));
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
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      const limited = (error as { code?: string }).code === "rate_limited";
      return {
        error: limited
          ? "Too many sign-in attempts for this email. Wait 15 minutes and try again."
          : "That email and password do not match an account. Check them and try again.",
        values,
      };
    }
    throw error;
  }
  redirect(safeNext(text(form, "next")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/signin?signedOut=1");
}
