// Sign-in and sign-up abuse limits, persisted in SQLite (a restart resets nothing) and shared by every path that checks
// a password. A stranger cannot lock a member out: the per-account limit counts only guesses from browsers and
// addresses that never signed in to that account; a member's own device has its own allowance.
import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/db/client";
import type { Member, Trust } from "@/db/schema";
import { checkCredentials, findMemberByEmail } from "@/lib/accounts/members";
import { PasswordHashBusy } from "@/lib/accounts/password";
import type { Env } from "@/lib/env";
import { newUrlToken } from "@/lib/http/url-token";
import { windowRetryAfter } from "@/lib/limits";
import { attemptsSince, hasSignedInBefore, isTrusted, pruneAttempts, recordAttempt, trustSignIn, type Window } from "./queries";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
const SIGN_UP_WINDOW_MS = 3600_000;
// How long a successful sign-in keeps vouching for a device (its cookie lasts as long) or an address.
const DEVICE_TRUST_MS = 400 * 24 * 3600_000;
const ADDRESS_TRUST_MS = 90 * 24 * 3600_000;
// Attempts are only counted over minutes; a day of history is plenty for an operator to look at.
const KEEP_ATTEMPTS_MS = 24 * 3600_000;

/** Why a password check or account creation was not even tried, in the member's words, with when to try again. */
export type Refusal = { reason: "rate_limited" | "busy"; retryAfterSeconds: number; message: string };

/** A refusal raised where an HTTP route answers it (Auth.js's endpoint): 429 with Retry-After (lib/http/api.ts). */
export class SignInLimited extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = "SignInLimited";
  }
}

/** The account may not sign in (disabled by an operator, or a sandbox demo account in live mode): 403. */
export class AccountDisabled extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountDisabled";
  }
}

export type Client = {
  /** Client address key (addressKey: IPv4, or the IPv6 /64), null when unknown. */
  address: string | null;
  /** The device cookie's value, when the browser sent one. */
  device: string | null;
};

export type SignInResult =
  | {
      outcome: "ok";
      member: Member;
      trust: Trust;
      /** A new device id to give the browser (it had none). */
      newDevice: string | null;
      /** This browser never signed in to the account before, though others did: the "new device" alert's case. */
      unfamiliar: boolean;
    }
  | { outcome: "wrong" }
  | { outcome: "disabled"; message: string }
  | { outcome: "refused"; refusal: Refusal };

type GuardEnv = Pick<Env, "mode" | "auth">;

export const hashDevice = (device: string) => createHash("sha256").update(device).digest("hex");

export const inMinutes = (seconds: number) => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

export function limited(window: Window, limit: number, windowMs: number, now: number, message: (wait: string) => string): Refusal | null {
  if (window.n < limit) return null;
  // The oldest counted attempt leaves the window first and frees one try.
  const retryAfterSeconds = windowRetryAfter(window, windowMs, now);
  return { reason: "rate_limited", retryAfterSeconds, message: message(inMinutes(retryAfterSeconds)) };
}

export const BUSY: Refusal = { reason: "busy", retryAfterSeconds: 1, message: "The server is busy checking other sign-ins. Try again in a few seconds." };

/** How this client is known to the member: a device that signed in before, an address that did, or neither. */
export function trustOf(db: Db, member: Member | undefined, client: Client, now: number): Trust {
  if (!member) return "none";
  if (client.device && isTrusted(db, member.id, "device", hashDevice(client.device), now - DEVICE_TRUST_MS)) return "device";
  if (client.address && isTrusted(db, member.id, "address", client.address, now - ADDRESS_TRUST_MS)) return "address";
  return "none";
}

/** The limit this attempt would break, if any (nothing is recorded). */
function signInLimit(db: Db, env: GuardEnv, account: string, client: Client, trust: Trust, now: number): Refusal | null {
  const since = now - SIGN_IN_WINDOW_MS;
  const { failuresPerAccount, failuresPerIp } = env.auth;
  if (trust === "device") {
    return limited(attemptsSince(db, "deviceFailures", hashDevice(client.device!), since), failuresPerAccount, SIGN_IN_WINDOW_MS, now, (wait) => `Too many wrong passwords from this browser. Try again in ${wait}.`);
  }
  if (client.address) {
    const refusal = limited(attemptsSince(db, "addressFailures", client.address, since), failuresPerIp, SIGN_IN_WINDOW_MS, now, (wait) => `Too many sign-in attempts from your network. Try again in ${wait}.`);
    if (refusal) return refusal;
  }
  if (trust === "none") {
    return limited(
      attemptsSince(db, "accountFailures", account, since),
      failuresPerAccount,
      SIGN_IN_WINDOW_MS,
      now,
      (wait) =>
        `Too many wrong passwords for this account from browsers it has not been used on. If it is yours, sign in from a device you have signed in on before, or try again in ${wait}.`,
    );
  }
  return null;
}

let lastPrune = 0;
export function record(db: Db, kind: "sign_in" | "sign_up" | "two_factor", account: string, client: Client, trust: Trust, ok: boolean, now: number): void {
  recordAttempt(db, { kind, account, address: client.address, device: client.device ? hashDevice(client.device) : null, trust, ok }, now);
  if (now - lastPrune > 10 * 60_000) {
    lastPrune = now;
    pruneAttempts(db, now - KEEP_ATTEMPTS_MS);
  }
}

/**
 * Checks an email and password within the limits: every path that checks a password goes through here (the sign-in
 * form and Auth.js's endpoint through the Credentials provider, and the password change). Records the attempt; on
 * success the browser (a new device id when it had none) and the address are trusted for this account from then on.
 */
export async function checkSignIn(db: Db, env: GuardEnv, input: { email: string; password: string }, client: Client, opts: { admit: boolean } = { admit: true }, now = Date.now()): Promise<SignInResult> {
  const account = input.email.trim().toLowerCase();
  const member = await findMemberByEmail(db, account);
  const trust = trustOf(db, member, client, now);
  const refusal = signInLimit(db, env, account, client, trust, now);
  if (refusal) return { outcome: "refused", refusal };
  let matched: Member | null;
  try {
    matched = await checkCredentials(db, account, input.password);
  } catch (error) {
    if (error instanceof PasswordHashBusy) return { outcome: "refused", refusal: BUSY };
    throw error;
  }
  if (!matched) {
    record(db, "sign_in", account, client, trust, false, now);
    return { outcome: "wrong" };
  }
  if (matched.sandboxDemo && env.mode === "live") {
    return { outcome: "disabled", message: "This is a sandbox demo account: it cannot sign in while the site runs with real providers." };
  }
  if (matched.disabledAt) return { outcome: "disabled", message: "This account has been disabled. Contact the site's operators if you think this is a mistake." };
  record(db, "sign_in", account, client, trust, true, now);
  // With two-factor on, the browser is trusted only once its second step is done (the sign-in calls admitClient).
  if (!opts.admit) return { outcome: "ok", member: matched, trust, newDevice: null, unfamiliar: false };
  return { outcome: "ok", member: matched, trust, ...admitClient(db, matched, client, trust, now) };
}

/**
 * A sign-in completed: from now on this browser (a new device id when it had none) and its address are trusted for
 * the account. `unfamiliar`: the browser never signed in to it before, though others did (the "new device" alert).
 */
export function admitClient(db: Db, member: Member, client: Client, trust: Trust, now = Date.now()): { newDevice: string | null; unfamiliar: boolean } {
  const unfamiliar = trust !== "device" && hasSignedInBefore(db, member.id);
  const device = client.device ?? newUrlToken();
  trustSignIn(db, member.id, "device", hashDevice(device), now);
  if (client.address) trustSignIn(db, member.id, "address", client.address, now);
  return { newDevice: client.device ? null : device, unfamiliar };
}

/**
 * Takes one account creation from the client address's hourly allowance (SIGN_UPS_PER_IP_PER_HOUR), or says why not.
 * Call it after the form is valid and before the password is hashed.
 */
export function takeSignUpAllowance(db: Db, env: GuardEnv, email: string, client: Client, now = Date.now()): Refusal | null {
  if (client.address) {
    const refusal = limited(attemptsSince(db, "signUps", client.address, now - SIGN_UP_WINDOW_MS), env.auth.signUpsPerIpPerHour, SIGN_UP_WINDOW_MS, now, (wait) =>
      `Too many accounts have been created from your network in the last hour. Try again in ${wait}.`,
    );
    if (refusal) return refusal;
  }
  record(db, "sign_up", email.trim().toLowerCase(), client, "none", true, now);
  return null;
}
