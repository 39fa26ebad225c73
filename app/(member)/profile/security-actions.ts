"use server";
// Server actions for the profile's sign-in and security section: change the password, sign out of other devices.
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { deviceCookie } from "@/lib/auth/device";
import { changePassword } from "@/lib/auth/password-change";
import { currentSessionId, requireMemberPage } from "@/lib/auth/session";
import { endMemberSessions } from "@/lib/auth/sessions";
import { requestClient } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";

export type SecurityState = { ok?: string; error?: string; fields?: Record<string, string> };

const others = (n: number) => (n === 1 ? "1 other session has" : `${n} other sessions have`);

export async function changePasswordAction(_prev: SecurityState, form: FormData): Promise<SecurityState> {
  const member = await requireMemberPage("/profile");
  const env = getEnv();
  const text = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");
  const result = await changePassword(getDb(), env, member, { current: text("currentPassword"), next: text("newPassword") }, await requestClient(), await currentSessionId());
  if (!result.ok) return { error: result.error, fields: result.fields };
  if (result.newDevice) (await cookies()).set(deviceCookie(result.newDevice, env.appUrl.startsWith("https://")));
  return { ok: `Your password has been changed.${result.endedSessions ? ` ${others(result.endedSessions)} been signed out.` : ""}` };
}

export async function signOutOthersAction(): Promise<SecurityState> {
  const member = await requireMemberPage("/profile");
  const ended = endMemberSessions(getDb(), member.id, "signed_out_everywhere", await currentSessionId());
  return { ok: ended ? `Done: ${others(ended)} been signed out.` : "You were not signed in anywhere else." };
}
