// Password reset by a code texted to the account's verified number (decision 054). Asking answers the same words,
// after the same work, whether or not an account uses the address and has a verified number; entering the code with
// a new password answers alike too (an address with no code behind it gets "not right" with tries left, as a wrong
// code would), then ends like the link (finishPasswordReset: every session ended, the alert, nobody signed in).
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { AccountLink, PhoneCode } from "@/db/schema";
import { AccountInputError } from "@/lib/account-links/errors";
import { countWrongTry, issueLink, latestRequest } from "@/lib/account-links/links";
import { memberById, memberWithEmail, verifiedPhone } from "@/lib/accounts/members";
import { hashPassword, passwordProblem } from "@/lib/accounts/password";
import { log } from "@/lib/log";
import {
  checkPhoneCode,
  checkResendWait,
  codeFormatProblem,
  codeWasSent,
  decoyCode,
  pendingPhoneCode,
  refusalFor,
  sendPhoneCode,
  VERIFY_TTL_MS,
  wrongWords,
  type CodeRefusal,
  type PhoneCodeEnv,
} from "@/lib/phone-codes/codes";
import type { TwilioVerify } from "@/lib/twilio/verify";
import { twoFactorState } from "@/lib/two-factor/factors";
import type { Client } from "./guard";
import { checkResetLimits, finishPasswordReset, resetEmail, resettable, type ResetEnv } from "./password-reset";

export type CodeResetEnv = ResetEnv & PhoneCodeEnv;

const PURPOSE = "reset_password_code";

/**
 * With two-factor sign-in on, the phone may not reset the password: SMS codes are its second factor, so a reset by
 * SMS followed by a sign-in with an SMS code would let whoever holds the SIM (a swap, a port) in with the phone
 * alone. Such an account gets the same words and the same work as one without a number, and resets by email link.
 */
const smsCanReset = (db: Db, memberId: string) => !twoFactorState(db, memberId).on;
const codeLife = (env: CodeResetEnv, verify: TwilioVerify | null) => (verify ? VERIFY_TTL_MS : env.phoneCodes.ttlMs);

/** What the page says once a code was asked for, whether or not an account with a verified number uses the address. */
export const resetCodeSentWords = (email: string, env: CodeResetEnv, verify: TwilioVerify | null) =>
  `If an account uses ${email} and has a verified mobile number, we have texted a code to that number. It works for ${Math.round(codeLife(env, verify) / 60_000)} minutes. ` +
  `No text after a minute? Ask for a link by email instead.`;

/**
 * Asks for a reset code for an address: within the reset limits (links and codes together, per address asked for and
 * per network) and the wait before a resend (per address), records the request either way (before answering). Throws
 * AccountInputError or AccountLimitReached, the same for every address. `send` is the work for after the answer (the
 * caller runs it with Next's after(), a test awaits it): for a resettable account with a verified number it sends
 * the code (lib/phone-codes: its own limits, the outbox or Verify); for any other address it draws and hashes a code
 * that is thrown away. So the answer takes as long either way, and a refusal of the text itself (the number's limits,
 * STOP, Twilio) is only logged: showing it would say a number exists. `send` never throws.
 */
export function requestPasswordResetCode(
  db: Db,
  env: CodeResetEnv,
  verify: TwilioVerify | null,
  input: { email: string },
  client: Pick<Client, "address">,
  now = Date.now(),
): { message: string; send: () => Promise<void> } {
  const email = resetEmail(input.email);
  checkResetLimits(db, env, email, "sms", client, now);
  const request = immediate(db, () => {
    checkResendWait(env, latestRequest(db, PURPOSE, email)?.createdAt, now);
    const member = memberWithEmail(db, email);
    const phone = resettable(member, env) && smsCanReset(db, member.id) ? verifiedPhone(db, member.id) : null;
    const { tokenHash } = issueLink(db, { purpose: PURPOSE, memberId: phone ? member!.id : null, email, sent: false, ttlMs: codeLife(env, verify), address: client.address }, now);
    return { memberId: phone ? member!.id : null, phone, tokenHash };
  });
  const send = async () => {
    const { memberId, phone, tokenHash } = request;
    if (!memberId || !phone) return decoyCode(env);
    try {
      // The request's row is the code's challenge: the code works for this request only.
      await sendPhoneCode(db, env, verify, { memberId, purpose: "password_reset", phone, challengeId: tokenHash }, now);
    } catch (error) {
      log.warn({ err: error, memberId }, "password reset code not sent");
    }
  };
  return { message: resetCodeSentWords(email, env, verify), send };
}

/** A request that sent no code, shaped as a code for the words phone-codes uses: it is never right. */
function standIn(request: AccountLink, env: CodeResetEnv, verify: TwilioVerify | null): PhoneCode {
  const ended = request.revokedAt ?? request.usedAt;
  return {
    id: request.tokenHash,
    memberId: "",
    purpose: "password_reset",
    phone: "",
    via: verify ? "verify" : "sms",
    codeHash: null,
    verificationSid: null,
    accountMessageId: null,
    challengeId: request.tokenHash,
    tries: request.tries,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    endedAt: ended,
    endedReason: ended ? (request.tries >= env.phoneCodes.tries ? "tries" : "canceled") : null,
  };
}

/**
 * Sets a new password with the code texted for the latest request for `email`. Refusals of the code come back in
 * words (tries left, expired, used, none: ask again), alike for an address that got no code; throws AccountInputError
 * (not an address, not a code, a password the policy refuses: nothing counted), PasswordHashBusy, or TwilioError
 * (Verify failed). Nobody is signed in.
 */
export async function resetPasswordWithCode(
  db: Db,
  env: CodeResetEnv,
  verify: TwilioVerify | null,
  input: { email: string; code: string; password: string },
  client: Client,
  now = Date.now(),
): Promise<{ ok: true; newDevice: string | null } | CodeRefusal> {
  const email = resetEmail(input.email);
  const badCode = codeFormatProblem(env, input.code);
  if (badCode) throw new AccountInputError(badCode, { code: badCode }, 400, "invalid_code");
  const problem = passwordProblem(input.password, email);
  if (problem) throw new AccountInputError(problem, { password: problem });

  const request = latestRequest(db, PURPOSE, email);
  const memberId = request?.memberId && codeWasSent(db, request.memberId, "password_reset", request.tokenHash) ? request.memberId : null;
  if (!memberId) {
    const refused = refusalFor(env, request && standIn(request, env, verify), now);
    if (refused) return refused;
    await hashPassword(input.password);
    decoyCode(env);
    const left = countWrongTry(db, request!, env.phoneCodes.tries, now);
    return wrongWords(env, left, standIn(request!, env, verify), now);
  }
  // A code that can no longer be checked is refused before the costly hash (checking it counts no try).
  const open = pendingPhoneCode(db, env, memberId, "password_reset", { challengeId: request!.tokenHash }, now) !== null;
  const passwordHash = open ? await hashPassword(input.password) : null;
  const checked = await checkPhoneCode(db, env, verify, { memberId, purpose: "password_reset", code: input.code, challengeId: request!.tokenHash }, now);
  if (!checked.ok) return checked;
  return immediate(db, () => {
    const member = memberById(db, memberId);
    // The number changed, or the account was disabled, while the code was on its way: it proves nothing now.
    // Two-factor turned on meanwhile: the phone alone may not reset it either.
    if (!passwordHash || !resettable(member, env) || !smsCanReset(db, member.id) || verifiedPhone(db, member.id) !== checked.phone) {
      return { ok: false as const, reason: "none" as const, message: "That code no longer works. Ask for a new code." };
    }
    return { ok: true as const, ...finishPasswordReset(db, member, passwordHash, client, { addressProven: false }, now) };
  });
}
