// A member's mobile number: adding or changing it with a code by SMS (lib/phone-codes; the country allow-list and the
// code limits apply), removing it, one verified number per account and one account per verified number. Every change
// raises "mobile number changed" in the same transaction. Changing or removing a verified number needs the member to
// confirm who they are (lib/auth/confirm); adding the first does not.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { AccountInputError } from "@/lib/account-links/errors";
import { AccountSmsRefused } from "@/lib/account-messages/send";
import { getProfile, phoneRow, verifiedPhone } from "@/lib/accounts/members";
import { raiseAlert } from "@/lib/alerts/raise";
import { dropSmsChoices } from "@/lib/alerts/preferences";
import type { Confirmed } from "@/lib/auth/confirm";
import { cancelPhoneCodes, checkPhoneCode, pendingPhoneCode, sendPhoneCode, type PendingCode, type PhoneCodeEnv, type SentCode } from "@/lib/phone-codes/codes";
import { countryRefusal } from "@/lib/smoke-signals/sms-policy";
import { normalisePhone } from "@/lib/twilio/phone";
import type { TwilioVerify } from "@/lib/twilio/verify";
import { stopSmsSignIn } from "@/lib/two-factor/factors";
import { clearPhone, setVerifiedPhone } from "./queries";

export type PhoneStatus = {
  /** The verified number, or null. */
  verified: { phone: string; at: Date } | null;
  /** A number typed before verification existed (the old join-alert setting): offered for verifying, never used. */
  unverified: string | null;
  /** A code on its way to a number being verified. */
  pending: PendingCode | null;
};

export function phoneStatus(db: Db, env: PhoneCodeEnv, memberId: string): PhoneStatus {
  const profile = phoneRow(db, memberId);
  const verified = profile?.phone && profile.at ? { phone: profile.phone, at: profile.at } : null;
  return { verified, unverified: !verified && profile?.phone ? profile.phone : null, pending: pendingPhoneCode(db, env, memberId, "phone_verification") };
}

export const NEEDS_CONFIRMATION = "Confirm it is you (your password or a code) to change your verified number.";
/** Refused in words that say nothing about which account has the number. */
export const NUMBER_TAKEN =
  "That number is already verified on another Select Exposure account, so it cannot be added to this one. If it is yours, remove it from the other account first, or use another mobile number.";

/**
 * Sends a code to the number being added or changed. Throws AccountInputError (not a textable number, the same
 * number, a change without confirmation), AccountSmsRefused (a country not allowed, STOP, caps), AccountLimitReached,
 * or TwilioError through Verify.
 */
export async function startPhoneVerification(db: Db, env: PhoneCodeEnv, verify: TwilioVerify | null, member: Member, input: { phone: string }, confirmed: Confirmed | null): Promise<SentCode> {
  const parsed = normalisePhone(input.phone, env.twilio.defaultCountry);
  if (!parsed.ok) throw new AccountInputError(parsed.message, { phone: parsed.message });
  const refusal = countryRefusal(env, { e164: parsed.e164, country: parsed.country });
  if (refusal) throw new AccountSmsRefused("sms_not_allowed", refusal, 400);
  const current = verifiedPhone(db, member.id);
  if (current === parsed.e164) throw new AccountInputError("That is already your verified number.", { phone: "That is already your verified number." });
  if (current && confirmed?.memberId !== member.id) throw new AccountInputError(NEEDS_CONFIRMATION, { confirm: NEEDS_CONFIRMATION }, 400, "confirmation_required");
  // The code goes out whoever else may have verified the number: only its holder learns (when confirming) that it is taken.
  return sendPhoneCode(db, env, verify, { memberId: member.id, purpose: "phone_verification", phone: parsed.e164 });
}

const isTakenError = (error: unknown) => String((error as { code?: string }).code).startsWith("SQLITE_CONSTRAINT") && /profiles\.phone|profiles_verified_phone/.test(String(error));

/**
 * Confirms the number with its code: it becomes the member's verified number (replacing the old one), and the alert
 * is raised. Returns the words of a refusal (wrong, expired, used, tries left, or taken) or the new number.
 */
export async function confirmPhoneVerification(
  db: Db,
  env: PhoneCodeEnv,
  verify: TwilioVerify | null,
  member: Member,
  code: string,
): Promise<{ ok: true; phone: string } | { ok: false; message: string; reason: string; triesLeft?: number }> {
  const checked = await checkPhoneCode(db, env, verify, { memberId: member.id, purpose: "phone_verification", code });
  if (!checked.ok) return checked;
  try {
    immediate(db, () => {
      const old = verifiedPhone(db, member.id);
      setVerifiedPhone(db, member.id, checked.phone, new Date());
      raiseAlert(db, member.id, "phone_changed", { oldPhone: old, newPhone: checked.phone });
    });
  } catch (error) {
    if (isTakenError(error)) return { ok: false, reason: "taken", message: NUMBER_TAKEN };
    throw error;
  }
  return { ok: true, phone: checked.phone };
}

/**
 * Removes the verified number (or a typed, unverified one): SMS alerts and SMS sign-in codes stop, codes on their way
 * stop working, and the alert is raised (to email and the app: the number is gone).
 */
export async function removePhone(db: Db, verify: TwilioVerify | null, member: Member, confirmed: Confirmed | null): Promise<boolean> {
  const profile = getProfile(db, member.id);
  if (!profile?.phone) return false;
  const wasVerified = Boolean(profile.phoneVerifiedAt);
  if (wasVerified && confirmed?.memberId !== member.id) throw new AccountInputError(NEEDS_CONFIRMATION.replace("change", "remove"), { confirm: NEEDS_CONFIRMATION.replace("change", "remove") }, 400, "confirmation_required");
  immediate(db, () => {
    clearPhone(db, member.id);
    if (!wasVerified) return;
    dropSmsChoices(db, member.id);
    stopSmsSignIn(db, member.id);
    raiseAlert(db, member.id, "phone_changed", { oldPhone: profile.phone, newPhone: null });
  });
  await cancelPhoneCodes(db, verify, member.id, "sign_in");
  await cancelPhoneCodes(db, verify, member.id, "password_reset");
  return true;
}

/** The member gave up on a number being verified: its code stops working. */
export async function abandonPhoneVerification(db: Db, verify: TwilioVerify | null, memberId: string): Promise<void> {
  await cancelPhoneCodes(db, verify, memberId, "phone_verification");
}
