"use server";
// Server actions of a sign-in's second step: a code of one method (authenticator app, SMS, recovery code), with
// "remember this browser", and sending an SMS code for this sign-in.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AccountLimitReached } from "@/lib/account-links/errors";
import { AccountSmsRefused } from "@/lib/account-messages/send";
import { safeNext } from "@/lib/auth/next-url";
import { challengeCookieName, sendSignInCode } from "@/lib/auth/second-step";
import { secondStepSignIn } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { maskedPhone } from "@/lib/phone-codes/codes";
import { TwilioError } from "@/lib/twilio/errors";
import { getTwilioVerify } from "@/lib/twilio/runtime";

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
  const token = (await cookies()).get(challengeCookieName(env.appUrl.startsWith("https://")))?.value ?? null;
  try {
    const done = await sendSignInCode(getDb(), env, getTwilioVerify(), token);
    if (!done.ok) return done.expired ? { error: done.message, expired: true } : { error: done.message };
    kickDispatcher();
    return { ok: `We texted a code to ${maskedPhone(done.sent.phone)}. Enter it below.` };
  } catch (error) {
    if (error instanceof AccountLimitReached || error instanceof AccountSmsRefused) return { error: error.message };
    if (error instanceof TwilioError) return { error: error.memberMessage };
    throw error;
  }
}
