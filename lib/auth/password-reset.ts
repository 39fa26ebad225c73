// Password reset. Asking for it answers the same words, after the same work, whether or not an account uses the
// address (a request for an unknown address is recorded like any other and sends nothing). The link works once, for
// PASSWORD_RESET_MINUTES, only its hash is kept; using it sets the password, ends every session, signs nobody in, and
// raises the "password changed" alert. The link is one method, the SMS code to the verified number the other
// (password-reset-code.ts); both share the limits and finishPasswordReset, the common end.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { AccountLinkPurpose, Member } from "@/db/schema";
import { AccountInputError, LinkUnusable, unusableLinkWords } from "@/lib/account-links/errors";
import { checkLimit } from "@/lib/account-links/limits";
import { inspectLink, issueLink, revokeMemberLinks, useLink } from "@/lib/account-links/links";
import { queueAccountMail } from "@/lib/account-messages/send";
import { emailSchema, memberById, memberWithEmail } from "@/lib/accounts/members";
import { hashPassword, passwordProblem } from "@/lib/accounts/password";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Env } from "@/lib/env";
import { newUrlToken } from "@/lib/http/url-token";
import { endPhoneCodes } from "@/lib/phone-codes/codes";
import { hashDevice, type Client } from "./guard";
import { setPasswordHash, trustSignIn } from "./queries";
import { endMemberSessions } from "./sessions";

/** How a reset is proven: the emailed link, or a code texted to the account's verified number. */
export type ResetMethod = "email" | "sms";

/** Every reset request, whatever its method: the limits count them together. */
const RESET_REQUESTS = ["reset_password", "reset_password_code"] as const satisfies AccountLinkPurpose[];

export type ResetEnv = Pick<Env, "appUrl" | "mode" | "accountLinks">;

const minutes = (env: ResetEnv) => `${Math.round(env.accountLinks.resetTtlMs / 60_000)} minutes`;
const HOUR_MS = 3600_000;

/** What the request page says, whether or not an account uses the address. */
export const resetRequestedWords = (email: string, env: ResetEnv) =>
  `If an account uses ${email}, we have emailed it a link to choose a new password. The link works once, for ${minutes(env)}. It can take a minute to arrive; check your spam folder too.`;

/** Whether this member may reset their password (a disabled account, or a sandbox demo account in live mode, may not). */
export const resettable = (member: Member | undefined, env: ResetEnv): member is Member => Boolean(member && !member.disabledAt && !(member.sandboxDemo && env.mode === "live"));

/**
 * Asks for a reset link: within the limits per address asked for and per network (counted whether or not an account uses
 * the address), records the request and, for an account, queues the email with its link. Throws AccountInputError
 * (not an email address) or AccountLimitReached; returns the words to show.
 */
/** The address a reset is asked for, lower-cased; AccountInputError (with the field) when it is not one. */
export function resetEmail(typed: string): string {
  const parsed = emailSchema.safeParse(typed);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? "Enter your email address.";
  throw new AccountInputError(message, { email: message });
}

/**
 * Throws AccountLimitReached past the reset limits per address asked for and per network: links and codes counted
 * together, whether or not an account uses the address.
 */
export function checkResetLimits(db: Db, env: ResetEnv, email: string, method: ResetMethod, client: Pick<Client, "address">, now: number): void {
  const limits = env.accountLinks;
  checkLimit(db, [...RESET_REQUESTS], { email }, limits.resetsPerEmailPerHour, HOUR_MS, (wait) =>
    method === "email"
      ? `We have sent as many reset links to ${email} as we allow in an hour. Use the latest one, or try again in ${wait}.`
      : `We have sent as many password resets for ${email} as we allow in an hour (links and codes together). Use the latest code or link, or try again in ${wait}.`,
  now);
  if (client.address) {
    checkLimit(db, [...RESET_REQUESTS], { address: client.address }, limits.resetsPerIpPerHour, HOUR_MS, (wait) => `Too many password resets have been asked for from your network. Try again in ${wait}.`, now);
  }
}

export function requestPasswordReset(db: Db, env: ResetEnv, input: { email: string }, client: Pick<Client, "address">, now = Date.now()): { message: string } {
  const email = resetEmail(input.email);
  const limits = env.accountLinks;
  checkResetLimits(db, env, email, "email", client, now);
  immediate(db, () => {
    const member = memberWithEmail(db, email);
    const send = resettable(member, env);
    const { token, expiresAt } = issueLink(db, { purpose: "reset_password", memberId: send ? member.id : null, email, sent: send, ttlMs: limits.resetTtlMs, address: client.address }, now);
    if (!send) return;
    queueAccountMail(db, {
      memberId: member.id,
      to: member.email,
      subject: "Choose a new Select Exposure password",
      text:
        `Someone (we hope you) asked to reset the password of your Select Exposure account.\n\nChoose a new password: ${env.appUrl}/reset-password/${token}\n\n` +
        `The link works once, for ${minutes(env)}. Every device signed in to your account will be signed out.\n\nIf you did not ask for this, ignore this email: your password stays as it is.`,
      kind: "password_reset",
      expiresAt,
    });
  });
  return { message: resetRequestedWords(email, env) };
}

/** A reset link as its page shows it: usable (for whom), or the words for why not. */
export function resetLinkState(db: Db, env: ResetEnv, token: string): { ok: true; email: string; memberId: string | null } | { ok: false; state: LinkUnusable["state"]; message: string } {
  const found = inspectLink(db, "reset_password", token);
  if (found.state === "ok") return { ok: true, email: found.link.email, memberId: found.link.memberId };
  return { ok: false, state: found.state, message: unusableLinkWords("reset_password", found.state, minutes(env)) };
}

/**
 * The end of every reset method, inside the caller's transaction: the new password, every session ended, every other
 * reset link and code dead, the address proven (for the link method), the "password changed" alert, and the browser that did
 * it trusted (its next sign-in is not slowed by a stranger's guesses). Returns a device id to give the browser, if new.
 */
export function finishPasswordReset(tx: Db, member: Member, passwordHash: string, client: Client, opts: { addressProven: boolean }, now = Date.now()): { newDevice: string | null } {
  setPasswordHash(tx, member.id, passwordHash, opts.addressProven && !member.emailVerifiedAt ? new Date(now) : undefined);
  endMemberSessions(tx, member.id, "password_reset", null, now);
  revokeMemberLinks(tx, member.id, [...RESET_REQUESTS], now);
  endPhoneCodes(tx, member.id, "password_reset", now);
  raiseAlert(tx, member.id, "password_changed", { how: "reset" });
  const device = client.device ?? newUrlToken();
  trustSignIn(tx, member.id, "device", hashDevice(device), now);
  return { newDevice: client.device ? null : device };
}

/**
 * Sets a new password with a reset link. Throws LinkUnusable (with what to do next), AccountInputError (a password
 * the policy refuses; the link stays usable) or PasswordHashBusy. Nobody is signed in.
 */
export async function resetPasswordWithLink(db: Db, env: ResetEnv, token: string, password: string, client: Client): Promise<{ newDevice: string | null }> {
  const state = resetLinkState(db, env, token);
  if (!state.ok) throw new LinkUnusable(state.state, state.message);
  const member = state.memberId ? memberById(db, state.memberId) : undefined;
  if (!resettable(member, env)) throw new LinkUnusable("unknown", unusableLinkWords("reset_password", "unknown", minutes(env)));
  const problem = passwordProblem(password, member.email);
  if (problem) throw new AccountInputError(problem, { password: problem });
  const passwordHash = await hashPassword(password);
  return immediate(db, () => {
    const found = inspectLink(db, "reset_password", token);
    // Another tab used it while the password was hashed: the first one counts.
    if (found.state !== "ok" || !useLink(db, found.link)) throw new LinkUnusable("used", unusableLinkWords("reset_password", "used", minutes(env)));
    return finishPasswordReset(db, member, passwordHash, client, { addressProven: found.link.email === member.email });
  });
}
