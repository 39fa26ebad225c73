// The second step of a sign-in for members with two-factor on. A right password opens a challenge (its token in a
// short-lived cookie, only its hash kept) instead of a session; the session starts only once a code from the
// authenticator app, an SMS code sent for this challenge or a recovery code is accepted. Wrong codes are limited per
// challenge and per account per day (a member's own devices have their own allowance, as for passwords); a browser
// the member asked to remember skips the step until it expires or is forgotten.
import "server-only";
import { createHash } from "node:crypto";
import { immediate, type Db } from "@/db/client";
import type { Member, SecondFactor } from "@/db/schema";
import { memberById } from "@/lib/accounts/members";
import type { Env } from "@/lib/env";
import { newUrlToken, isUrlToken } from "@/lib/http/url-token";
import { describeBrowser } from "@/lib/http/user-agent";
import { sendPhoneCode, type SentCode } from "@/lib/phone-codes/codes";
import type { TwilioVerify } from "@/lib/twilio/verify";
import { checkFactor, twoFactorState, type Method, type TwoFactorEnv } from "@/lib/two-factor/factors";
import { challengeByHash, countChallengeTry, insertChallenge, insertRememberedDevice, pruneChallenges, rememberedDevice, touchRememberedDevice, useChallenge } from "@/lib/two-factor/queries";
import { hashDevice, inMinutes, limited, record, trustOf, type Client, type Refusal } from "./guard";
import { attemptsSince } from "./queries";

export type SecondStepEnv = TwoFactorEnv & Pick<Env, "mode" | "auth">;

const DAY_MS = 24 * 3600_000;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** __Host- (Secure, path /, no Domain) whenever the site is served over https, as the device cookie. */
export const challengeCookieName = (secure: boolean) => (secure ? "__Host-se_2fa" : "se_2fa");

/** The challenge token a request carries, if any (only well-formed values). */
export function challengeFromCookieHeader(header: string | null, secure: boolean): string | null {
  const name = challengeCookieName(secure);
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return isUrlToken(rest.join("=")) ? rest.join("=") : null;
  }
  return null;
}

/** Options for next/headers cookies().set, and as a Set-Cookie header (maxAge 0 clears it). */
export function challengeCookie(value: string, secure: boolean, maxAgeS: number) {
  return { name: challengeCookieName(secure), value, httpOnly: true, secure, sameSite: "lax" as const, path: "/", maxAge: maxAgeS };
}

export function challengeSetCookieHeader(value: string, secure: boolean, maxAgeS: number): string {
  const c = challengeCookie(value, secure, maxAgeS);
  return `${c.name}=${c.value}; Path=/; Max-Age=${c.maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * After a right password: null when the sign-in may start a session now (two-factor off, or a remembered browser:
 * then `remembered`), else a new challenge whose token goes in the cookie.
 */
export function afterPassword(
  db: Db,
  env: SecondStepEnv,
  member: Member,
  client: Client & { userAgent: string | null },
  now = Date.now(),
): { needed: false; secondFactor: SecondFactor | null } | { needed: true; token: string; expiresAt: Date } {
  if (!twoFactorState(db, member.id).on) return { needed: false, secondFactor: null };
  const remembered = client.device ? rememberedDevice(db, member.id, hashDevice(client.device), now) : undefined;
  if (remembered) {
    immediate(db, () => touchRememberedDevice(db, remembered.id, now));
    return { needed: false, secondFactor: "remembered" };
  }
  const token = newUrlToken();
  const expiresAt = new Date(now + env.twoFactor.challengeTtlMs);
  immediate(db, () => {
    pruneChallenges(db, now - DAY_MS);
    insertChallenge(db, {
      tokenHash: hashToken(token),
      memberId: member.id,
      address: client.address,
      device: client.device ? hashDevice(client.device) : null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      createdAt: new Date(now),
      expiresAt,
    });
  });
  return { needed: true, token, expiresAt };
}

/** The sign-in a challenge token stands for, while it is open (the second-step page shows the member's methods). */
export function openChallenge(db: Db, token: string | null, now = Date.now()): { memberId: string; challengeId: string; expiresAt: Date; tries: number } | null {
  if (!token) return null;
  const c = challengeByHash(db, hashToken(token));
  if (!c || c.usedAt || c.expiresAt.getTime() <= now) return null;
  return { memberId: c.memberId, challengeId: c.tokenHash, expiresAt: c.expiresAt, tries: c.tries };
}

const SIGN_IN_EXPIRED = "This sign-in has expired. Sign in with your password again.";

/**
 * Texts a code for the sign-in the challenge `token` stands for, to the member's verified number, when SMS codes are
 * on for the account. Throws what sendPhoneCode throws (AccountLimitReached, AccountSmsRefused, TwilioError).
 */
export async function sendSignInCode(
  db: Db,
  env: SecondStepEnv,
  verify: TwilioVerify | null,
  token: string | null,
): Promise<{ ok: true; sent: SentCode } | { ok: false; expired: boolean; message: string }> {
  const open = openChallenge(db, token);
  if (!open) return { ok: false, expired: true, message: SIGN_IN_EXPIRED };
  const state = twoFactorState(db, open.memberId);
  if (!state.sms || !state.phone) return { ok: false, expired: false, message: "SMS codes are not on for this account. Use your authenticator app or a recovery code." };
  const sent = await sendPhoneCode(db, env, verify, { memberId: open.memberId, purpose: "sign_in", phone: state.phone, challengeId: open.challengeId });
  return { ok: true, sent };
}

export type SecondStepRefusal = {
  reason: "expired" | "wrong" | "limited" | "invalid";
  message: string;
  /** 429 when a limit was reached (with Retry-After), 401 otherwise. */
  status: 401 | 429;
  retryAfterSeconds?: number;
};

export type SecondStep =
  | { outcome: "ok"; member: Member; method: Method; recoveryCodesLeft?: number }
  | { outcome: "refused"; refusal: SecondStepRefusal };

const EXPIRED = (env: SecondStepEnv) =>
  `This sign-in has expired: the second step works for ${inMinutes(Math.round(env.twoFactor.challengeTtlMs / 1000))} after your password. Sign in with your password again.`;

/** The daily allowance of wrong second-step codes (per account from strangers, per known device), or its refusal. */
export function dailyLimit(db: Db, env: SecondStepEnv, member: Member, client: Client, trust: ReturnType<typeof trustOf>, now: number): Refusal | null {
  const since = now - DAY_MS;
  const max = env.twoFactor.failuresPerDay;
  if (trust === "device") {
    return limited(attemptsSince(db, "twoFactorDeviceFailures", hashDevice(client.device!), since), max, DAY_MS, now, (wait) => `Too many wrong codes from this browser. Try again in ${wait}.`);
  }
  return limited(attemptsSince(db, "twoFactorAccountFailures", member.email, since), max, DAY_MS, now, (wait) =>
    `Too many wrong codes for this account today from browsers it has not been used on. Sign in from a device you have used before, or try again in ${wait}.`,
  );
}

/**
 * Checks a second-step code for the challenge `token`. On success the challenge is used up (the caller starts the
 * session); on a wrong code the words say how many tries are left for this sign-in.
 */
export async function completeSecondStep(
  db: Db,
  env: SecondStepEnv,
  verify: TwilioVerify | null,
  token: string | null,
  input: { method: Method; code: string },
  client: Client,
  now = Date.now(),
): Promise<SecondStep> {
  const refuse = (refusal: SecondStepRefusal): SecondStep => ({ outcome: "refused", refusal });
  const open = openChallenge(db, token, now);
  if (!open) return refuse({ reason: "expired", status: 401, message: EXPIRED(env) });
  if (open.tries >= env.twoFactor.tries) return refuse({ reason: "expired", status: 401, message: "Too many wrong codes for this sign-in. Sign in with your password again." });
  const member = memberById(db, open.memberId);
  if (!member || member.disabledAt) return refuse({ reason: "expired", status: 401, message: EXPIRED(env) });
  const trust = trustOf(db, member, client, now);
  const limit = dailyLimit(db, env, member, client, trust, now);
  if (limit) return refuse({ reason: "limited", status: 429, message: limit.message, retryAfterSeconds: limit.retryAfterSeconds });
  const checked = await checkFactor(db, env, verify, member.id, { ...input, challengeId: open.challengeId }, now);
  if (!checked.ok) {
    if (!checked.counts) return refuse({ reason: "invalid", status: 401, message: checked.message });
    const tries = immediate(db, () => {
      record(db, "two_factor", member.email, client, trust, false, now);
      return countChallengeTry(db, open.challengeId, open.tries);
    });
    const left = env.twoFactor.tries - (tries ?? env.twoFactor.tries);
    if (left <= 0) return refuse({ reason: "expired", status: 401, message: `${checked.message} That was the last try for this sign-in: sign in with your password again.` });
    const already = /tr(y|ies) left/.test(checked.message);
    return refuse({ reason: "wrong", status: 401, message: already ? checked.message : `${checked.message} ${left} ${left === 1 ? "try" : "tries"} left.` });
  }
  if (!immediate(db, () => useChallenge(db, open.challengeId, now))) return refuse({ reason: "expired", status: 401, message: EXPIRED(env) });
  return { outcome: "ok", member, method: checked.method, recoveryCodesLeft: checked.recoveryCodesLeft };
}

/** Remembers this browser for the member (after a completed second step, when they asked). */
export function rememberBrowser(db: Db, env: SecondStepEnv, memberId: string, device: string, client: { address: string | null; userAgent: string | null }, now = Date.now()): void {
  if (env.twoFactor.rememberMs <= 0) return;
  immediate(db, () =>
    insertRememberedDevice(db, {
      memberId,
      device: hashDevice(device),
      browser: describeBrowser(client.userAgent),
      address: client.address,
      createdAt: new Date(now),
      lastUsedAt: new Date(now),
      expiresAt: new Date(now + env.twoFactor.rememberMs),
    }),
  );
}
