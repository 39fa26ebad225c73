// Confirming it is really the member before a change an intruder with a borrowed session would want (turning
// two-factor off, new recovery codes, changing or removing the verified number): the password, or a code from the
// authenticator app or a recovery code. Checked within the same limits as a sign-in.
import "server-only";
import type { Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { checkFactor, twoFactorState } from "@/lib/two-factor/factors";
import { checkSignIn, record, trustOf, type Client } from "./guard";
import { dailyLimit, type SecondStepEnv } from "./second-step";

declare const confirmed: unique symbol;
/** Proof that the member confirmed who they are in this request (only confirmIdentity makes one). */
export type Confirmed = { memberId: string; how: "password" | "totp" | "recovery"; readonly [confirmed]: true };

export type Confirmation = { ok: true; proof: Confirmed } | { ok: false; message: string; fields: Record<string, string> };

/** `password`, or `code` (authenticator or recovery code, when two-factor is on). Field errors name "confirm". */
export async function confirmIdentity(db: Db, env: SecondStepEnv, member: Member, input: { password?: string; code?: string }, client: Client, now = Date.now()): Promise<Confirmation> {
  const refuse = (message: string): Confirmation => ({ ok: false, message, fields: { confirm: message } });
  const code = input.code?.trim();
  if (code) {
    if (!twoFactorState(db, member.id).on) return refuse("Enter your password: codes confirm only when two-factor sign-in is on.");
    const limit = dailyLimit(db, env, member, client, trustOf(db, member, client, now), now);
    if (limit) return refuse(limit.message);
    const method = /^\d[\d\s-]*$/.test(code) ? "totp" : "recovery";
    const checked = await checkFactor(db, env, null, member.id, { method, code }, now);
    if (checked.ok) return { ok: true, proof: { memberId: member.id, how: method } as Confirmed };
    if (checked.counts) record(db, "two_factor", member.email, client, trustOf(db, member, client, now), false, now);
    return refuse(checked.message);
  }
  if (!input.password) return refuse(twoFactorState(db, member.id).on ? "Enter your password, or a code from your authenticator app." : "Enter your password.");
  const checked = await checkSignIn(db, env, { email: member.email, password: input.password }, client, { admit: false }, now);
  if (checked.outcome === "ok") return { ok: true, proof: { memberId: member.id, how: "password" } as Confirmed };
  if (checked.outcome === "refused") return refuse(checked.refusal.message);
  if (checked.outcome === "disabled") return refuse(checked.message);
  return refuse("That is not your password.");
}
