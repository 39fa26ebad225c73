// A member's second factors: the authenticator app (set up with a code from it, secret sealed under AUTH_SECRET),
// SMS codes to the verified number (only beside the app, never alone), and single-use recovery codes (shown once,
// only their SHA-256 kept). Checking any of them, and turning two-factor off (which raises the alert).
import "server-only";
import { createHash, randomInt } from "node:crypto";
import { immediate, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { verifiedPhone } from "@/lib/accounts/members";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Env } from "@/lib/env";
import { seal, unseal } from "@/lib/keys";
import { checkPhoneCode, cleanCode, type PhoneCodeEnv } from "@/lib/phone-codes/codes";
import type { TwilioVerify } from "@/lib/twilio/verify";
import {
  advanceTotpStep,
  deleteTwoFactor,
  listRememberedDevices,
  recoveryCodesLeft,
  replaceRecoveryCodes,
  revokeRememberedDevices,
  saveTwoFactor,
  twoFactorRow,
  useRecoveryCode,
} from "./queries";
import { checkTotp, groupedSecret, newTotpSecret, totpQrDataUrl, totpUri } from "./totp";

export type TwoFactorEnv = PhoneCodeEnv & Pick<Env, "twoFactor">;
export type Method = "totp" | "sms" | "recovery";

/** What the profile and the sign-in page need to know. */
export type TwoFactorState = {
  on: boolean;
  enabledAt: Date | null;
  /** SMS codes accepted (switched on, and a verified number to send them to). */
  sms: boolean;
  /** SMS switched on by the member (it stops while they have no verified number). */
  smsChosen: boolean;
  phone: string | null;
  recoveryCodesLeft: number;
};

export function twoFactorState(db: Db, memberId: string): TwoFactorState {
  const row = twoFactorRow(db, memberId);
  const on = Boolean(row?.totpEnabledAt && row.totpSecret);
  const phone = verifiedPhone(db, memberId);
  return {
    on,
    enabledAt: on ? row!.totpEnabledAt : null,
    sms: on && Boolean(row?.smsEnabled) && phone !== null,
    smsChosen: on && Boolean(row?.smsEnabled),
    phone,
    recoveryCodesLeft: on ? recoveryCodesLeft(db, memberId) : 0,
  };
}

// --- Setting up the authenticator app -------------------------------------------------------------------------------

export type TotpSetup = { secret: string; grouped: string; uri: string; qr: string };

// A set-up page left open this long shows a new secret when opened again (the old one is never used).
const SETUP_TTL_MS = 30 * 60_000;

/** The secret to scan (the same one while the set-up is under way), with its otpauth:// link and QR code. */
export function beginTotpSetup(db: Db, env: Pick<Env, "authSecret">, member: Pick<Member, "id" | "email">, now = Date.now()): TotpSetup {
  const row = twoFactorRow(db, member.id);
  let secret = row?.pendingSecret && row.pendingCreatedAt && now - row.pendingCreatedAt.getTime() < SETUP_TTL_MS ? unseal(env.authSecret, "totp-secret", row.pendingSecret) : null;
  if (!secret) {
    secret = newTotpSecret();
    immediate(db, () => saveTwoFactor(db, member.id, { pendingSecret: seal(env.authSecret, "totp-secret", secret!), pendingCreatedAt: new Date(now) }));
  }
  const uri = totpUri(secret, member.email);
  return { secret, grouped: groupedSecret(secret), uri, qr: totpQrDataUrl(uri) };
}

const RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const normaliseRecovery = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, "");
const hashRecovery = (code: string) => createHash("sha256").update(normaliseRecovery(code)).digest("hex");

/** New recovery codes ("ABCDE-FGHJK", about 49 bits each), replacing any old ones inside the caller's transaction. */
function newRecoveryCodes(tx: Db, env: TwoFactorEnv, memberId: string): string[] {
  const codes = Array.from({ length: env.twoFactor.recoveryCodes }, () => {
    const raw = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  replaceRecoveryCodes(tx, memberId, codes.map(hashRecovery));
  return codes;
}

export type SetupResult = { ok: true; recoveryCodes: string[]; step: number } | { ok: false; message: string };

/** Turns two-factor on with a code from the app being set up; returns the recovery codes (shown once). */
export function confirmTotpSetup(db: Db, env: TwoFactorEnv, memberId: string, code: string, now = Date.now()): SetupResult {
  const row = twoFactorRow(db, memberId);
  if (row?.totpEnabledAt) return { ok: false, message: "Two-factor sign-in is already on." };
  const secret = row?.pendingSecret ? unseal(env.authSecret, "totp-secret", row.pendingSecret) : null;
  if (!secret) return { ok: false, message: "This set-up has expired. Reload the page to get a new QR code." };
  const checked = checkTotp(secret, cleanCode(code), null, now);
  if (!checked.ok) {
    return { ok: false, message: "That code is not right. Enter the 6-digit code your authenticator app shows now for Select Exposure (check that your phone's clock is set automatically)." };
  }
  return immediate(db, () => {
    saveTwoFactor(db, memberId, { totpSecret: row!.pendingSecret, totpEnabledAt: new Date(now), totpLastStep: checked.step, pendingSecret: null, pendingCreatedAt: null });
    // Told like turning it off: someone with a borrowed session who turned it on would hold the only way in.
    raiseAlert(db, memberId, "two_factor_enabled", {});
    return { ok: true as const, recoveryCodes: newRecoveryCodes(db, env, memberId), step: checked.step };
  });
}

/** A new set of recovery codes; the old ones stop working. */
export function regenerateRecoveryCodes(db: Db, env: TwoFactorEnv, memberId: string): string[] {
  return immediate(db, () => newRecoveryCodes(db, env, memberId));
}

/** SMS codes at sign-in, beside the app (refused without the app on, or without a verified number). */
export function setSmsSignIn(db: Db, memberId: string, on: boolean): { ok: true } | { ok: false; message: string } {
  const state = twoFactorState(db, memberId);
  if (on && !state.on) return { ok: false, message: "Set up an authenticator app first: SMS codes are only offered beside it." };
  if (on && !state.phone) return { ok: false, message: "Verify a mobile number first: SMS codes go only to your verified number." };
  immediate(db, () => saveTwoFactor(db, memberId, { smsEnabled: on }));
  return { ok: true };
}

/** Inside the caller's transaction: SMS codes stop (the verified number was removed). */
export function stopSmsSignIn(tx: Db, memberId: string): void {
  if (twoFactorRow(tx, memberId)?.smsEnabled) saveTwoFactor(tx, memberId, { smsEnabled: false });
}

/** Turns two-factor off: factors, recovery codes and remembered browsers gone, the alert raised. */
export function disableTwoFactor(db: Db, memberId: string, now = Date.now()): boolean {
  return immediate(db, () => {
    const state = twoFactorState(db, memberId);
    if (!state.on) return false;
    deleteTwoFactor(db, memberId);
    revokeRememberedDevices(db, memberId, null, now);
    raiseAlert(db, memberId, "two_factor_disabled", { method: state.smsChosen ? "authenticator app and SMS codes" : "authenticator app" });
    return true;
  });
}

// --- Checking a second factor ---------------------------------------------------------------------------------------

export type FactorResult =
  | { ok: true; method: Method; recoveryCodesLeft?: number }
  | { ok: false; method: Method; message: string; counts: boolean };

/**
 * Checks a code of one method. `counts`: a wrong code that counts against the sign-in's tries (an empty or malformed
 * entry, or a factor that cannot be checked, does not). Recovery codes are used up; SMS codes must belong to
 * `challengeId` (the sign-in that asked for them). Raises no alert: the caller decides (a sign-in with a recovery code).
 */
export async function checkFactor(
  db: Db,
  env: TwoFactorEnv,
  verify: TwilioVerify | null,
  memberId: string,
  input: { method: Method; code: string; challengeId?: string },
  now = Date.now(),
): Promise<FactorResult> {
  const { method } = input;
  const code = cleanCode(input.code);
  if (!code) return { ok: false, method, counts: false, message: method === "recovery" ? "Enter one of your recovery codes." : "Enter the code." };
  const row = twoFactorRow(db, memberId);
  if (!row?.totpEnabledAt || !row.totpSecret) return { ok: false, method, counts: false, message: "Two-factor sign-in is not on for this account." };
  if (method === "totp") {
    const secret = unseal(env.authSecret, "totp-secret", row.totpSecret);
    if (!secret) {
      return {
        ok: false,
        method,
        counts: false,
        message: "Your authenticator app can no longer be checked because the site's keys changed. Use a recovery code (or an SMS code), then set up your app again on your profile.",
      };
    }
    if (!/^\d{6}$/.test(code)) return { ok: false, method, counts: false, message: "Enter the 6-digit code your authenticator app shows." };
    const checked = checkTotp(secret, code, row.totpLastStep, now);
    if (!checked.ok || !immediate(db, () => advanceTotpStep(db, memberId, checked.step))) {
      return checked.ok || checked.reason === "replay"
        ? { ok: false, method, counts: true, message: "That code was already used. Wait for your app to show the next one (codes change every 30 seconds) and enter that." }
        : { ok: false, method, counts: true, message: "That code is not right. Enter the code your authenticator app shows now for Select Exposure." };
    }
    return { ok: true, method };
  }
  if (method === "recovery") {
    if (normaliseRecovery(code).length !== 10) return { ok: false, method, counts: false, message: "Recovery codes have 10 letters and digits, like ABCDE-23456." };
    const used = immediate(db, () => useRecoveryCode(db, memberId, hashRecovery(code), now));
    if (!used) return { ok: false, method, counts: true, message: "That recovery code is not right, or it was already used: each one works once." };
    return { ok: true, method, recoveryCodesLeft: recoveryCodesLeft(db, memberId) };
  }
  if (!row.smsEnabled) return { ok: false, method, counts: false, message: "SMS codes are not on for this account." };
  const checked = await checkPhoneCode(db, env, verify, { memberId, purpose: "sign_in", code, challengeId: input.challengeId }, now);
  if (checked.ok) return { ok: true, method };
  return { ok: false, method, counts: checked.reason === "wrong" || checked.reason === "tries", message: checked.message };
}

// --- Remembered browsers ----------------------------------------------------------------------------------------------

/** The browsers that skip the second step now, newest first. */
export function rememberedBrowsers(db: Db, memberId: string, now = Date.now()) {
  return listRememberedDevices(db, memberId, now).map((d) => ({ id: d.id, browser: d.browser, createdAt: d.createdAt, lastUsedAt: d.lastUsedAt, expiresAt: d.expiresAt, device: d.device }));
}

/** Forgets one remembered browser (or all of them when `id` is null): its next sign-in asks for a code again. */
export function forgetBrowsers(db: Db, memberId: string, id: string | null, now = Date.now()): number {
  return immediate(db, () => revokeRememberedDevices(db, memberId, id, now));
}
