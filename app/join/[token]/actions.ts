"use server";
// Sign-up through an invitation link: create the account (within the sign-up limit), mark the smoke signal joined
// (telling its sender), sign in.
import { redirect } from "next/navigation";
import type { FormState } from "@/app/(auth)/actions";
import { getDb } from "@/db/client";
import { accountFormFrom, createAccount } from "@/lib/auth/sign-up";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { markJoined } from "@/lib/smoke-signals/join";

export async function joinAction(token: string, _prev: FormState, form: FormData): Promise<FormState> {
  const input = accountFormFrom(form);
  const values = { email: input.email, screenName: input.screenName };
  const result = await createAccount(input);
  if (!result.created) return { ...result.problem, values };
  if (markJoined(getDb(), token, result.memberId, getEnv())) kickDispatcher();
  if (result.signInProblem) return { ...result.signInProblem, values };
  redirect("/profile");
}
