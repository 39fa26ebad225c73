// Creating an account (sign-up and invitation pages). The form never reveals whether an address is registered: both
// cases run the same checks and limits, hash the password, record the request and queue one email, then show the same
// "check your email" words. A new address gets a link (EMAIL_LINK_HOURS, once) that creates the account when opened
// with the chosen password (and signs in); a registered address's owner is told someone tried. Decision 046.
import "server-only";
import { immediate, type Db } from "@/db/client";
import { AccountInputError, AccountLimitReached, LinkUnusable, unusableLinkWords } from "@/lib/account-links/errors";
import { checkLimit } from "@/lib/account-links/limits";
import { countWrongTry, inspectLink, issueLink, useLink } from "@/lib/account-links/links";
import { queueAccountMail } from "@/lib/account-messages/send";
import { AccountError, insertMember, isEmailTaken, memberWithEmail, validateNewMember } from "@/lib/accounts/members";
import { hashPassword, PasswordHashBusy, verifyPassword } from "@/lib/accounts/password";
import type { Env } from "@/lib/env";
import { BUSY, takeSignUpAllowance, type Client } from "./guard";

export type AccountForm = { email: string; password: string; screenName: string };
export type AccountFormProblem = { error: string; fields?: Record<string, string> };

/** The sign-up form's fields (sign-up and invitation pages use the same form). */
export function accountFormFrom(form: FormData): AccountForm {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return { email: text("email"), password: text("password"), screenName: text("screenName") };
}

export type SignUpEnv = Pick<Env, "appUrl" | "mode" | "auth" | "accountLinks">;

const hours = (env: SignUpEnv) => `${Math.round(env.accountLinks.linkTtlMs / 3600_000)} hours`;

/** What the person signing up is told, whether or not the address has an account. */
export const checkEmailWords = (email: string, env: SignUpEnv) =>
  `We have sent an email to ${email}. Open the link in it within ${hours(env)} to finish creating your account. If you already have an account with this address, the email says so: sign in, or reset your password.`;

/**
 * Starts a sign-up: the same checks, the same work and the same answer whether or not `email` has an account.
 * `joinToken`: the invitation it came through (the sender is told once the account exists).
 */
export async function startSignUp(db: Db, env: SignUpEnv, input: AccountForm & { joinToken?: string }, client: Client): Promise<{ ok: true; message: string } | { ok: false; problem: AccountFormProblem }> {
  let valid: ReturnType<typeof validateNewMember>;
  try {
    valid = validateNewMember(input);
  } catch (error) {
    if (error instanceof AccountError) return { ok: false, problem: { error: error.message, fields: error.fields } };
    throw error;
  }
  const { email } = valid;
  // Counted once the form is valid and before the costly hash, so a typo does not use up a household's allowance.
  const refusal = takeSignUpAllowance(db, env, email, client);
  if (refusal) return { ok: false, problem: { error: refusal.message } };
  // Checked before the costly hash, and again in the transaction that records the request: sign-ups sent at once all
  // pass the first check while their hashes run.
  const emailLimit = () =>
    checkLimit(db, "sign_up", { email }, env.accountLinks.signUpEmailsPerHour, 3600_000, (wait) => `We have sent as many emails to ${email} as we allow in an hour. Use the latest one, or try again in ${wait}.`);
  try {
    emailLimit();
  } catch (error) {
    if (error instanceof AccountLimitReached) return { ok: false, problem: { error: error.message } };
    throw error;
  }
  let passwordHash: string;
  try {
    // Hashed in both cases: a registered address must not answer faster.
    passwordHash = await hashPassword(valid.password);
  } catch (error) {
    if (error instanceof PasswordHashBusy) return { ok: false, problem: { error: BUSY.message } };
    throw error;
  }
  try {
    immediate(db, () => {
    emailLimit();
    const existing = memberWithEmail(db, email);
    const { token, expiresAt } = issueLink(db, {
      purpose: "sign_up",
      memberId: null,
      email,
      sent: !existing,
      ttlMs: env.accountLinks.linkTtlMs,
      address: client.address,
      ...(existing ? {} : { passwordHash, screenName: valid.screenName ?? null, joinToken: input.joinToken ?? null }),
    });
    if (existing) {
      queueAccountMail(db, {
        memberId: existing.id,
        to: existing.email,
        subject: "Someone tried to create an account with your address",
        text:
          `Someone tried to create a Select Exposure account with this address, which already has one: yours. Nothing changed, and they were not told that you are a member.\n\n` +
          `If it was you: sign in at ${env.appUrl}/signin, or if you forgot your password, reset it at ${env.appUrl}/forgot-password.\nIf it was not you, you do not need to do anything.`,
        kind: "sign_up_existing",
        expiresAt,
      });
      return;
    }
    queueAccountMail(db, {
      memberId: null,
      to: email,
      subject: "Finish creating your Select Exposure account",
      text:
        `Someone (we hope you) started creating a Select Exposure account with this address.\n\nFinish creating it: ${env.appUrl}/signup/confirm/${token}\n\n` +
        `The link works once, for ${hours(env)}, with the password you chose. If it was not you, ignore this email: no account is created.`,
      kind: "sign_up",
      expiresAt,
    });
    });
  } catch (error) {
    if (error instanceof AccountLimitReached) return { ok: false, problem: { error: error.message } };
    throw error;
  }
  return { ok: true, message: checkEmailWords(email, env) };
}

/** A sign-up link as its page shows it. */
export function signUpLinkState(db: Db, env: SignUpEnv, token: string): { ok: true; email: string } | { ok: false; message: string } {
  const found = inspectLink(db, "sign_up", token);
  if (found.state === "ok") return { ok: true, email: found.link.email };
  return { ok: false, message: unusableLinkWords("sign_up", found.state, hours(env)) };
}

/**
 * Creates the account from its sign-up link with the password chosen then (SIGN_UP_CONFIRM_TRIES wrong ones kill the
 * link). The address is proven. Throws LinkUnusable or AccountInputError (wrong password; an account meanwhile made
 * with the address). Returns the new member's id, its address and the invitation it came through.
 */
export async function confirmSignUp(db: Db, env: SignUpEnv, token: string, password: string): Promise<{ memberId: string; email: string; joinToken: string | null }> {
  const found = inspectLink(db, "sign_up", token);
  if (found.state !== "ok") throw new LinkUnusable(found.state, unusableLinkWords("sign_up", found.state, hours(env)));
  const { link } = found;
  if (!password) throw new AccountInputError("Enter the password you chose when you signed up.", { password: "Enter the password you chose when you signed up." });
  if (!link.passwordHash || !(await verifyPassword(link.passwordHash, password))) {
    const left = countWrongTry(db, link, env.accountLinks.confirmTries);
    const message = left
      ? `That is not the password you chose when you signed up. ${left === 1 ? "1 try" : `${left} tries`} left.`
      : "That is not the password you chose, and that was the last try: this link no longer works. Sign up again to get a new one.";
    throw new AccountInputError(message, { password: message });
  }
  try {
    return immediate(db, () => {
      if (!useLink(db, link)) throw new LinkUnusable("used", unusableLinkWords("sign_up", "used", hours(env)));
      if (memberWithEmail(db, link.email)) throw new AccountInputError(TAKEN, {}, 409, "email_unavailable");
      const member = insertMember(db, { email: link.email, passwordHash: link.passwordHash!, screenName: link.screenName, emailVerifiedAt: new Date() });
      return { memberId: member.id, email: member.email, joinToken: link.joinToken };
    });
  } catch (error) {
    if (isEmailTaken(error)) throw new AccountInputError(TAKEN, {}, 409, "email_unavailable");
    throw error;
  }
}

const TAKEN = "This link can no longer be used: an account with this address exists now. Sign in, or reset your password if you need to.";

