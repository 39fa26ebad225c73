"use server";
// Server actions of a sign-in's second step: a code of one method (authenticator app, SMS, recovery code), with
// "remember this browser", and sending an SMS code for this sign-in.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AccountLimitReached } from "@/lib/account-links/errors";
import { AccountSmsRefused } from "@/lib/account-messages/send";
import { safeNext } from "@/lib/auth/next-url";
import { challengeCookieName, openChallenge } from "@/lib/auth/second-step";
import { secondStepSignIn } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { maskedPhone, sendPhoneCode } from "@/lib/phone-codes/codes";
import { TwilioError } from "@/lib/twilio/errors";
import { getTwilioVerify } from "@/lib/twilio/runtime";
import { twoFactorState } from "@/lib/two-factor/factors";

export type StepState = { ok?: string; error?: string; expired?: boolean };

const text = (form: FormData, name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");
const METHODS = ["totp", "sms", "recovery"] as const;

export async function secondStepAction(_prev: StepState, form: FormData): Promise<StepState> {
  const method = METHODS.find((m) => m === text(form, "method")) ?? "totp";
  const done = await secondStepSignIn({ method, code: text(form, "code"), remember: text(form, "remember") === "on" });
  if (!done.ok) return { error: done.message, expired: done.expired };
  redirect(safeNext(text(form, "next")));
}

export async function sendSmsAction(): Promise<StepState> {
  const env = getEnv();
  const db = getDb();
  const token = (await cookies()).get(challengeCookieName(env.appUrl.startsWith("https://")))?.value ?? null;
  const open = openChallenge(db, token);
  if (!open) return { error: "This sign-in has expired. Sign in with your password again.", expired: true };
  const state = twoFactorState(db, open.memberId);
  if (!state.sms || !state.phone) return { error: "SMS codes are not on for this account. Use your authenticator app or a recovery code." };
  try {
    const sent = await sendPhoneCode(db, env, getTwilioVerify(), { memberId: open.memberId, purpose: "sign_in", phone: state.phone, challengeId: open.challengeId });
    kickDispatcher();
    return { ok: `We texted a code to ${maskedPhone(sent.phone)}. Enter it below.` };
  } catch (error) {
    if (error instanceof AccountLimitReached || error instanceof AccountSmsRefused) return { error: error.message };
    if (error instanceof TwilioError) return { error: error.memberMessage };
    throw error;
  }
}
