// One-time codes by SMS, for every flow that proves a phone (verifying a number, a sign-in's second step, a password
// reset): within the limits (a wait before a resend, codes per number per hour and per account per day, the
// platform's SMS rules), either our own code (stored as a keyed hash, sent through the outbox, so never lost or sent
// twice, and never after it expired) or, when TWILIO_VERIFY_SERVICE_SID is set, Twilio Verify's. Checking a code
// counts wrong tries and says, in words, what to do next.
import "server-only";
import { randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { immediate, type Db } from "@/db/client";
import type { PhoneCode, PhoneCodePurpose } from "@/db/schema";
import { AccountLimitReached, inWords } from "@/lib/account-links/limits";
import { AccountSmsRefused, queueAccountSms, type AccountSmsEnv } from "@/lib/account-messages/send";
import type { Env } from "@/lib/env";
import { keyedHash } from "@/lib/keys";
import { windowRetryAfter } from "@/lib/limits";
import { countryRefusal, takeSmsBudget } from "@/lib/smoke-signals/sms-policy";
import { SignalRefused } from "@/lib/smoke-signals/errors";
import { isVerifyLimit, TwilioError, verifyCheckRefusal } from "@/lib/twilio/errors";
import { normalisePhone } from "@/lib/twilio/phone";
import type { TwilioVerify } from "@/lib/twilio/verify";
import {
  codesForMemberSince,
  codesToNumberSince,
  countTry,
  deletePhoneCode,
  endCode,
  endOpenCodes,
  firstOfVerification,
  insertPhoneCode,
  latestPhoneCode,
  setOwnCode,
  setVerification,
  type Window,
} from "./queries";

export type PhoneCodeEnv = AccountSmsEnv & Pick<Env, "authSecret" | "appUrl" | "phoneCodes">;

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Twilio Verify's own lifetime for a verification (fixed by Twilio unless its support changes it). */
export const VERIFY_TTL_MS = 10 * 60_000;

/** A code was sent: to which number, until when it works, and when a new one may be asked for. */
export type SentCode = { id: string; phone: string; expiresAt: Date; resendAt: Date; via: "sms" | "verify" };

const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`;

/** "+44 ••• ••• 123": enough for a member to recognise their number, not enough to learn a stranger's. */
export function maskedPhone(e164: string): string {
  return `${e164.slice(0, 3)} ••• ••• ${e164.slice(-3)}`;
}

const WHAT: Record<PhoneCodePurpose, string> = {
  phone_verification: "to verify your mobile number",
  sign_in: "to sign in",
  password_reset: "to reset your password",
};

function smsBody(env: PhoneCodeEnv, purpose: PhoneCodePurpose, code: string): string {
  const host = new URL(env.appUrl).host;
  // The last line lets browsers offer the code for this site only (origin-bound one-time codes).
  return `Your Select Exposure code ${WHAT[purpose]} is ${code}. It works for ${minutes(env.phoneCodes.ttlMs)}. Never share it: we will never ask you for it.\n\n@${host} #${code}`;
}

const hashCode = (env: Pick<PhoneCodeEnv, "authSecret">, id: string, code: string) => keyedHash(env.authSecret, "phone-code", `${id}:${code}`);
const drawCode = (env: Pick<PhoneCodeEnv, "phoneCodes">) => String(randomInt(0, 10 ** env.phoneCodes.length)).padStart(env.phoneCodes.length, "0");

/**
 * The work of making an own code (drawing it and hashing it), thrown away: a flow that must take as long whether or
 * not it sends a code (a password reset for an address without an account) does this instead.
 */
export function decoyCode(env: Pick<PhoneCodeEnv, "authSecret" | "phoneCodes">): void {
  hashCode(env, randomUUID(), drawCode(env));
}

function limited(window: Window, limit: number, windowMs: number, now: number, words: (wait: string) => string): void {
  if (window.n < limit) return;
  const retryAfterSeconds = windowRetryAfter(window, windowMs, now);
  throw new AccountLimitReached(words(inWords(retryAfterSeconds)), retryAfterSeconds);
}

/** Throws AccountLimitReached when another code may not be sent now (resend wait, per number, per account). */
/** Throws AccountLimitReached while the wait before a resend runs (the last code was sent at `lastSentAt`). */
export function checkResendWait(env: Pick<PhoneCodeEnv, "phoneCodes">, lastSentAt: Date | undefined, now: number): void {
  const wait = lastSentAt ? lastSentAt.getTime() + env.phoneCodes.resendMs - now : 0;
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new AccountLimitReached(`We sent a code ${Math.round((now - lastSentAt!.getTime()) / 1000)} seconds ago. You can ask for a new one in ${inWords(seconds)}.`, seconds);
  }
}

/**
 * The codes that share an allowance (per number per hour, per account per day) with a code of `purpose`. Anyone who
 * knows a member's email can ask for password-reset codes, so those have an allowance of their own: a stranger using
 * it up cannot stop the member verifying a number or signing in with a texted code (which take the password, or a
 * signed-in session, to ask for). A number can so receive at most twice the hourly allowance, half of it reset codes.
 */
function allowanceOf(purpose: PhoneCodePurpose): readonly PhoneCodePurpose[] {
  return purpose === "password_reset" ? ["password_reset"] : ["phone_verification", "sign_in"];
}

function checkLimits(db: Db, env: PhoneCodeEnv, input: { memberId: string; purpose: PhoneCodePurpose; phone: string }, now: number): void {
  checkResendWait(env, latestPhoneCode(db, input.memberId, input.purpose)?.createdAt, now);
  const shared = allowanceOf(input.purpose);
  limited(codesToNumberSince(db, input.phone, shared, now - HOUR_MS), env.phoneCodes.perNumberPerHour, HOUR_MS, now, (w) =>
    `We have sent as many codes to this number as we allow in an hour. Use the latest code, or try again in ${w}.`,
  );
  limited(codesForMemberSince(db, input.memberId, shared, now - DAY_MS), env.phoneCodes.perAccountPerDay, DAY_MS, now, (w) =>
    `We have sent as many codes for your account as we allow in a day. Try again in ${w}.`,
  );
}

/**
 * Sends a code for `purpose` to `phone` (as typed or E.164). Throws AccountLimitReached (429), AccountSmsRefused (STOP,
 * a country not allowed, the daily caps) or, through Verify, TwilioError; nothing is sent or counted then (a Verify
 * request whose outcome is unknown is counted: the code may have gone).
 */
export async function sendPhoneCode(
  db: Db,
  env: PhoneCodeEnv,
  verify: TwilioVerify | null,
  input: { memberId: string; purpose: PhoneCodePurpose; phone: string; challengeId?: string },
  now = Date.now(),
): Promise<SentCode> {
  const parsed = normalisePhone(input.phone, env.twilio.defaultCountry);
  if (!parsed.ok) throw new AccountSmsRefused("invalid_phone", parsed.message, 400);
  const phone = parsed.e164;
  const resendAt = new Date(now + env.phoneCodes.resendMs);
  if (!verify) {
    return immediate(db, () => {
      checkLimits(db, env, { ...input, phone }, now);
      endOpenCodes(db, input.memberId, input.purpose, "replaced", now);
      const code = drawCode(env);
      const expiresAt = new Date(now + env.phoneCodes.ttlMs);
      const row = insertPhoneCode(db, { memberId: input.memberId, purpose: input.purpose, phone, via: "sms", challengeId: input.challengeId ?? null, createdAt: new Date(now), expiresAt });
      const message = queueAccountSms(db, env, { memberId: input.memberId, to: phone, body: smsBody(env, input.purpose, code), kind: `${input.purpose}_code`, expiresAt });
      setOwnCode(db, row.id, hashCode(env, row.id, code), message.id);
      return { id: row.id, phone, expiresAt, resendAt, via: "sms" as const };
    });
  }
  // Verify: the country allow-list and the daily caps still hold (Verify's texts cost the same); STOP replies to our
  // own number do not (Verify texts from Twilio's senders).
  const refusal = countryRefusal(env, { e164: phone, country: parsed.country });
  if (refusal) throw new AccountSmsRefused("sms_not_allowed", refusal, 400);
  const reserved = immediate(db, () => {
    checkLimits(db, env, { ...input, phone }, now);
    try {
      takeSmsBudget(db, env, parsed.country, now);
    } catch (error) {
      if (error instanceof SignalRefused) throw new AccountSmsRefused("sms_daily_cap", error.message.replace(/ Try again tomorrow.*$/, " Try again tomorrow."), 429, error.retryAfterSeconds);
      throw error;
    }
    return insertPhoneCode(db, { memberId: input.memberId, purpose: input.purpose, phone, via: "verify", challengeId: input.challengeId ?? null, createdAt: new Date(now), expiresAt: new Date(now + VERIFY_TTL_MS) });
  });
  try {
    const verification = await verify.start(phone);
    // A resend within Twilio's 10 minutes is the same verification and code: it lives from its first send.
    const first = firstOfVerification(db, verification.sid);
    const expiresAt = new Date((first?.createdAt.getTime() ?? now) + VERIFY_TTL_MS);
    immediate(db, () => {
      setVerification(db, reserved.id, verification.sid, expiresAt);
      // Only now: when Verify refuses (say, 60203), the code the member already has keeps working.
      endOpenCodes(db, input.memberId, input.purpose, "replaced", now, reserved.id);
    });
    return { id: reserved.id, phone, expiresAt, resendAt, via: "verify" };
  } catch (error) {
    if (!(error instanceof TwilioError) || !error.outcomeUnknown) deletePhoneCode(db, reserved.id);
    // Verify's own limits (5 sends, 5 checks per verification, one number asked too fast) are limits like ours: 429.
    if (isVerifyLimit(error)) {
      const last = latestPhoneCode(db, input.memberId, input.purpose, { sent: true });
      const until = last?.via === "verify" && last.phone === phone ? last.expiresAt.getTime() : now + VERIFY_TTL_MS;
      throw new AccountLimitReached(error.memberMessage, Math.max(1, Math.ceil((until - now) / 1000)));
    }
    throw error;
  }
}

/** Why a code was not accepted, in words with what to do next; `triesLeft` when the code still works. */
export type CodeRefusal = { ok: false; reason: "format" | "none" | "used" | "expired" | "wrong" | "tries"; message: string; triesLeft?: number };
export type CodeAccepted = { ok: true; phone: string; code: PhoneCode };

/** The JSON error code of each refusal (APIs answer 400 with it; a wrong code also says the tries left). */
export const REFUSAL_CODES: Record<CodeRefusal["reason"], string> = { wrong: "wrong_code", format: "invalid_code", expired: "code_expired", used: "code_used", tries: "code_dead", none: "no_code" };

/** Codes as members type them: spaces and dashes dropped ("123 456", "123-456"). */
export const cleanCode = (typed: string) => typed.replace(/[\s-]/g, "");

/** Words for something typed that cannot be a code at all (nothing is counted), or null. */
export function codeFormatProblem(env: Pick<PhoneCodeEnv, "phoneCodes">, typed: string): string | null {
  return /^\d{4,10}$/.test(cleanCode(typed)) ? null : `Enter the ${env.phoneCodes.length}-digit code from the text message.`;
}

const ASK_AGAIN = "Ask for a new code.";

/**
 * Why a code (as stored, or a stand-in shaped like one) can no longer be checked, or null while it can: no code yet,
 * used, out of tries, ended, expired.
 */
export function refusalFor(env: PhoneCodeEnv, row: PhoneCode | undefined, now: number): CodeRefusal | null {
  if (!row) return { ok: false, reason: "none", message: `There is no code to check yet. ${ASK_AGAIN}` };
  if (row.endedReason === "used") return { ok: false, reason: "used", message: `That code has already been used: each code works once. ${ASK_AGAIN}` };
  if (row.endedReason === "tries" || row.tries >= env.phoneCodes.tries) {
    return { ok: false, reason: "tries", message: `That code no longer works after ${env.phoneCodes.tries} wrong tries. ${ASK_AGAIN}` };
  }
  if (row.endedAt) return { ok: false, reason: "none", message: `That code no longer works. ${ASK_AGAIN}` };
  if (row.expiresAt.getTime() <= now) {
    const life = row.via === "verify" ? VERIFY_TTL_MS : env.phoneCodes.ttlMs;
    return { ok: false, reason: "expired", message: `That code has expired: codes work for ${minutes(life)}. ${ASK_AGAIN}` };
  }
  return null;
}

/** A wrong code's words: the tries left, or (the last try) when a new code can be asked for. */
export function wrongWords(env: PhoneCodeEnv, left: number, row: PhoneCode, now: number): CodeRefusal {
  if (left > 0) return { ok: false, reason: "wrong", triesLeft: left, message: `That code is not right. Check the latest text and try again: ${left} ${left === 1 ? "try" : "tries"} left.` };
  // Twilio Verify refuses a new verification for the number until the exhausted one expires (its error 60202).
  const until = row.via === "verify" ? row.expiresAt.getTime() : row.createdAt.getTime() + env.phoneCodes.resendMs;
  const wait = Math.ceil((until - now) / 1000);
  return {
    ok: false,
    reason: "tries",
    triesLeft: 0,
    message: `That code is not right, and that was the last try: it no longer works. ${wait > 0 ? `You can ask for a new code in ${inWords(wait)}.` : ASK_AGAIN}`,
  };
}

/**
 * Checks a code for `purpose` (for one sign-in when `challengeId` is given). A wrong code counts one try; the last
 * try kills the code. An accepted code is used up (a second tab gets "already used"). Verify's answers are mapped to
 * the same words; a Verify failure other than those is a TwilioError.
 */
export async function checkPhoneCode(
  db: Db,
  env: PhoneCodeEnv,
  verify: TwilioVerify | null,
  input: { memberId: string; purpose: PhoneCodePurpose; code: string; challengeId?: string },
  now = Date.now(),
): Promise<CodeAccepted | CodeRefusal> {
  const code = cleanCode(input.code);
  const badFormat = codeFormatProblem(env, code);
  if (badFormat) return { ok: false, reason: "format", message: badFormat };
  const row = latestPhoneCode(db, input.memberId, input.purpose, { challengeId: input.challengeId, sent: true });
  const refused = refusalFor(env, row, now);
  if (refused || !row) return refused!;
  let right: boolean;
  if (row.via === "sms") {
    const expected = Buffer.from(row.codeHash ?? "");
    const given = Buffer.from(hashCode(env, row.id, code));
    right = expected.length === given.length && timingSafeEqual(expected, given);
  } else {
    // Twilio counts its own checks too (5 per verification): its verdict wins when it has given up first.
    try {
      const checked = await verify!.check({ to: row.phone, code });
      if (checked.status === "max_attempts_reached") {
        endCode(db, row.id, "tries", now);
        return wrongWords(env, 0, row, now);
      }
      right = checked.status === "approved";
    } catch (error) {
      const refusal = verifyCheckRefusal(error);
      if (refusal) {
        endCode(db, row.id, refusal === "exhausted" ? "tries" : "canceled", now);
        return refusal === "exhausted"
          ? { ok: false, reason: "tries", message: `That code no longer works after too many wrong tries. ${ASK_AGAIN}` }
          : { ok: false, reason: "expired", message: `That code has expired or was replaced. ${ASK_AGAIN}` };
      }
      throw error;
    }
  }
  if (right) {
    const won = immediate(db, () => endCode(db, row.id, "used", now));
    if (!won) return { ok: false, reason: "used", message: `That code has already been used: each code works once. ${ASK_AGAIN}` };
    return { ok: true, phone: row.phone, code: row };
  }
  const tries = immediate(db, () => {
    const counted = countTry(db, row.id, row.tries);
    if (counted !== null && counted >= env.phoneCodes.tries) endCode(db, row.id, "tries", now);
    return counted;
  });
  if (tries === null) return refusalFor(env, latestPhoneCode(db, input.memberId, input.purpose, { challengeId: input.challengeId, sent: true }), now) ?? { ok: false, reason: "none", message: ASK_AGAIN };
  return wrongWords(env, env.phoneCodes.tries - tries, row, now);
}

/** The code a member is waiting for (the page shows where it went, until when, and when a new one can be asked). */
export type PendingCode = { phone: string; expiresAt: Date; resendAt: Date; via: "sms" | "verify"; accountMessageId: string | null };

export function pendingPhoneCode(db: Db, env: PhoneCodeEnv, memberId: string, purpose: PhoneCodePurpose, opts: { challengeId?: string } = {}, now = Date.now()): PendingCode | null {
  const row = latestPhoneCode(db, memberId, purpose, { ...opts, sent: true });
  if (!row || row.endedAt || row.expiresAt.getTime() <= now) return null;
  return { phone: row.phone, expiresAt: row.expiresAt, resendAt: new Date(row.createdAt.getTime() + env.phoneCodes.resendMs), via: row.via, accountMessageId: row.accountMessageId };
}

/** Whether a code was sent for this member, purpose and challenge (whatever became of it since). */
export function codeWasSent(db: Db, memberId: string, purpose: PhoneCodePurpose, challengeId: string): boolean {
  return latestPhoneCode(db, memberId, purpose, { challengeId, sent: true }) !== undefined;
}

/**
 * Ends every open code of a purpose inside the caller's transaction (what it was for is done another way). Verify's
 * verifications are left to expire: a check of one finds our code ended first.
 */
export function endPhoneCodes(tx: Db, memberId: string, purpose: PhoneCodePurpose, now = Date.now()): void {
  endOpenCodes(tx, memberId, purpose, "canceled", now);
}

/** Ends every open code of a purpose (the member abandoned the flow, or changed their number); cancels Verify's. */
export async function cancelPhoneCodes(db: Db, verify: TwilioVerify | null, memberId: string, purpose: PhoneCodePurpose, now = Date.now()): Promise<void> {
  const ended = immediate(db, () => endOpenCodes(db, memberId, purpose, "canceled", now));
  for (const sid of new Set(ended.map((c) => c.verificationSid).filter((s): s is string => Boolean(s)))) {
    // Best effort: Twilio forgets it after 10 minutes anyway, and an approved or expired one is already gone.
    await verify?.cancel(sid).catch(() => undefined);
  }
}
