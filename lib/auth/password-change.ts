// Changing a password: the current one is checked like any sign-in (same limits, same hashing cap), and every other
// session of the member ends, so a browser or a copied cookie that had the old password's session is signed out, and
// the "password changed" alert is raised with the change.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { hashPassword, PasswordHashBusy, passwordProblem } from "@/lib/accounts/password";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Env } from "@/lib/env";
import { BUSY, checkSignIn, type Client } from "./guard";
import { setPasswordHash } from "./queries";
import { endMemberSessions } from "./sessions";

export type PasswordChange =
  | { ok: true; endedSessions: number; newDevice: string | null }
  | { ok: false; error: string; fields?: Record<string, string> };

export async function changePassword(
  db: Db,
  env: Pick<Env, "mode" | "auth">,
  member: Member,
  input: { current: string; next: string },
  client: Client,
  keepSessionId: string | null,
): Promise<PasswordChange> {
  if (!input.current) return { ok: false, error: "Enter your current password.", fields: { currentPassword: "Enter your current password." } };
  const problem = passwordProblem(input.next, member.email);
  if (problem) return { ok: false, error: problem, fields: { newPassword: problem } };
  if (input.next === input.current) {
    const same = "Choose a new password that differs from the current one.";
    return { ok: false, error: same, fields: { newPassword: same } };
  }
  const checked = await checkSignIn(db, env, { email: member.email, password: input.current }, client);
  if (checked.outcome === "refused") return { ok: false, error: checked.refusal.message };
  if (checked.outcome === "disabled") return { ok: false, error: checked.message };
  if (checked.outcome === "wrong") {
    const wrong = "That is not your current password.";
    return { ok: false, error: wrong, fields: { currentPassword: wrong } };
  }
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.next);
  } catch (error) {
    if (error instanceof PasswordHashBusy) return { ok: false, error: BUSY.message };
    throw error;
  }
  const endedSessions = immediate(db, () => {
    setPasswordHash(db, member.id, passwordHash);
    raiseAlert(db, member.id, "password_changed", { how: "changed" });
    return endMemberSessions(db, member.id, "password_changed", keepSessionId);
  });
  return { ok: true, endedSessions, newDevice: checked.newDevice };
}
