"use server";
// The buttons on the pages behind emailed links that act on an address: confirm it, or confirm a change to it.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { AccountInputError, LinkUnusable } from "@/lib/account-links/errors";
import { confirmEmail, confirmEmailChange } from "@/lib/accounts/email-address";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export type LinkState = { ok?: string; error?: string };

export async function confirmEmailAction(token: string): Promise<LinkState> {
  try {
    const { email } = confirmEmail(getDb(), getEnv(), token);
    return { ok: `Thank you: ${email} is confirmed.` };
  } catch (error) {
    if (error instanceof LinkUnusable) return { error: error.message };
    throw error;
  }
}

export async function confirmEmailChangeAction(token: string): Promise<LinkState> {
  const member = await requireMemberPage(`/change-email/${token}`);
  try {
    confirmEmailChange(getDb(), getEnv(), token, member);
  } catch (error) {
    if (error instanceof LinkUnusable || error instanceof AccountInputError) return { error: error.message };
    throw error;
  }
  kickDispatcher();
  redirect("/profile?emailChanged=1");
}
