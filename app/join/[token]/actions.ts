"use server";
// Sign-up through an invitation link: create the account, mark the smoke signal joined (telling its sender), sign in.
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import type { FormState } from "@/app/(auth)/actions";
import { getDb } from "@/db/client";
import { AccountError, createMember } from "@/lib/accounts/members";
import { signIn } from "@/lib/auth";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { markJoined } from "@/lib/smoke-signals/join";

export async function joinAction(token: string, _prev: FormState, form: FormData): Promise<FormState> {
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  const screenName = String(form.get("screenName") ?? "");
  const values = { email, screenName };
  const db = getDb();
  let memberId: string;
  try {
    memberId = (await createMember(db, { email, password, screenName })).id;
  } catch (error) {
    if (error instanceof AccountError) return { error: error.message, fields: error.fields, values };
    throw error;
  }
  if (markJoined(db, token, memberId, getEnv().appUrl)) kickDispatcher();
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return { error: "Your account was created, but signing you in failed. Please sign in.", values };
    throw error;
  }
  redirect("/profile");
}
