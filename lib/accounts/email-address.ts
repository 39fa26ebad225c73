// A member's address and screen name: confirming the address (a link to it, EMAIL_LINK_HOURS, once), changing it (the
// current password, then a link to the new address, used while signed in as the member; the old address gets the
// "email changed" alert), and editing the screen name. An address another account has is never revealed: the link is
// not sent, that address's owner is told someone tried, and the member sees the same words as for a free address.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { AccountInputError, AccountLimitReached, LinkUnusable, unusableLinkWords } from "@/lib/account-links/errors";
import { checkLimit } from "@/lib/account-links/limits";
import { inspectLink, issueLink, revokeMemberLinks, useLink } from "@/lib/account-links/links";
import { queueAccountMail } from "@/lib/account-messages/send";
import { raiseAlert } from "@/lib/alerts/raise";
import { checkSignIn, type Client } from "@/lib/auth/guard";
import type { Env } from "@/lib/env";
import { emailSchema, memberById, memberWithEmail, screenNameSchema, setEmail, setEmailVerified, setProfileScreenName } from "./members";

export type EmailFlowEnv = Pick<Env, "appUrl" | "mode" | "auth" | "accountLinks">;

const hours = (env: EmailFlowEnv) => `${Math.round(env.accountLinks.linkTtlMs / 3600_000)} hours`;
const HOUR_MS = 3600_000;

function parseEmail(raw: string): string {
  const parsed = emailSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? "Enter an email address.";
  throw new AccountInputError(message, { email: message });
}

/** Emails the member a link that confirms their address. Throws when already confirmed (409) or past the limit. */
export function sendVerificationEmail(db: Db, env: EmailFlowEnv, member: Member, client: Pick<Client, "address">): { message: string } {
  if (member.emailVerifiedAt) throw new AccountInputError("Your address is already confirmed.", {}, 409, "already_verified");
  checkLimit(db, "verify_email", { memberId: member.id }, env.accountLinks.verificationsPerHour, HOUR_MS, (wait) => `We have sent you as many confirmation links as we allow in an hour. Use the latest one, or ask again in ${wait}.`);
  immediate(db, () => {
    const { token, expiresAt } = issueLink(db, { purpose: "verify_email", memberId: member.id, email: member.email, sent: true, ttlMs: env.accountLinks.linkTtlMs, address: client.address });
    queueAccountMail(db, {
      memberId: member.id,
      to: member.email,
      subject: "Confirm your email address for Select Exposure",
      text: `Confirm that this address belongs to your Select Exposure account: ${env.appUrl}/verify-email/${token}\n\nThe link works once, for ${hours(env)}. If you did not ask for this, ignore this email.`,
      kind: "email_verification",
      expiresAt,
    });
  });
  return { message: `We have sent a link to ${member.email}. Open it within ${hours(env)} to confirm your address.` };
}

/** A confirmation link as its page shows it. */
export function verificationLinkState(db: Db, env: EmailFlowEnv, token: string): { ok: true; email: string } | { ok: false; message: string } {
  const found = inspectLink(db, "verify_email", token);
  if (found.state === "ok") return { ok: true, email: found.link.email };
  return { ok: false, message: unusableLinkWords("verify_email", found.state, hours(env)) };
}

/** Confirms the address with its link (once); the address must still be the account's. */
export function confirmEmail(db: Db, env: EmailFlowEnv, token: string): { email: string } {
  return immediate(db, () => {
    const found = inspectLink(db, "verify_email", token);
    if (found.state !== "ok") throw new LinkUnusable(found.state, unusableLinkWords("verify_email", found.state, hours(env)));
    const member = found.link.memberId ? memberById(db, found.link.memberId) : undefined;
    if (!member || member.email !== found.link.email || !useLink(db, found.link)) {
      throw new LinkUnusable("replaced", unusableLinkWords("verify_email", "replaced", hours(env)));
    }
    setEmailVerified(db, member.id);
    return { email: member.email };
  });
}

/**
 * Asks to change the address: the current password (within the sign-in limits), then a link to the new address. An
 * address another account has gets a note instead of a link, and the member the same words.
 */
export async function requestEmailChange(db: Db, env: EmailFlowEnv, member: Member, input: { email: string; currentPassword: string }, client: Client): Promise<{ message: string }> {
  const email = parseEmail(input.email);
  if (email === member.email) throw new AccountInputError("That is already your address.", { email: "That is already your address." });
  if (!input.currentPassword) throw new AccountInputError("Enter your current password.", { currentPassword: "Enter your current password." });
  // Checked before the password's hash, and again in the transaction that records the request: requests sent at once
  // all pass the first check while their hashes run.
  const limit = () =>
    checkLimit(db, "change_email", { memberId: member.id }, env.accountLinks.emailChangesPerDay, 24 * HOUR_MS, (wait) => `You have asked to change your address as many times as we allow in a day. Use the latest link, or try again in ${wait}.`);
  limit();
  const checked = await checkSignIn(db, env, { email: member.email, password: input.currentPassword }, client);
  if (checked.outcome === "refused") throw new AccountLimitReached(checked.refusal.message, checked.refusal.retryAfterSeconds);
  if (checked.outcome === "disabled") throw new AccountInputError(checked.message, {}, 409, "account_disabled");
  if (checked.outcome === "wrong") throw new AccountInputError("That is not your current password.", { currentPassword: "That is not your current password." });
  immediate(db, () => {
    limit();
    const taken = memberWithEmail(db, email);
    const { token, expiresAt } = issueLink(db, { purpose: "change_email", memberId: member.id, email, sent: !taken, ttlMs: env.accountLinks.linkTtlMs, address: client.address });
    if (taken) {
      queueAccountMail(db, {
        memberId: taken.id,
        to: email,
        subject: "Someone tried to use your address on Select Exposure",
        text:
          `Someone asked to move another Select Exposure account to this address. It already belongs to your account, so nothing changed and they were not told.\n\n` +
          `If it was you: you do not need a second account; sign in with this address (${env.appUrl}/signin).`,
        kind: "email_change_taken",
        expiresAt,
      });
      return;
    }
    queueAccountMail(db, {
      memberId: member.id,
      to: email,
      subject: "Confirm your new Select Exposure address",
      text:
        `Someone (we hope you) asked to use this address for their Select Exposure account instead of ${member.email}.\n\nConfirm the change, signed in to that account: ${env.appUrl}/change-email/${token}\n\n` +
        `The link works once, for ${hours(env)}. If you did not ask for this, ignore this email: nothing changes.`,
      kind: "email_change",
      expiresAt,
    });
  });
  return { message: `We have sent a link to ${email}. Open it within ${hours(env)}, signed in as you are now, to finish. Until then your address stays ${member.email}.` };
}

export type ChangeLinkState = { ok: true; oldEmail: string; newEmail: string } | { ok: false; message: string };

/** A change link as its page shows it to the signed-in member: only the account that asked may use it. */
export function changeLinkState(db: Db, env: EmailFlowEnv, token: string, member: Member): ChangeLinkState {
  const found = inspectLink(db, "change_email", token);
  if (found.state !== "ok") return { ok: false, message: unusableLinkWords("change_email", found.state, hours(env)) };
  if (found.link.memberId !== member.id) {
    return { ok: false, message: "This link was sent for another account. Sign out, then sign in with the account that asked for the change and open the link again." };
  }
  return { ok: true, oldEmail: member.email, newEmail: found.link.email };
}

const UNAVAILABLE = (current: string) => `This address can no longer be used for your account. Nothing changed: your address is still ${current}.`;

/**
 * Makes the change with its link, for the member who asked: the new address (proven), every other open link of the
 * account dead (they were sent to the old one), and the "email changed" alert to the old address.
 */
export function confirmEmailChange(db: Db, env: EmailFlowEnv, token: string, member: Member): { oldEmail: string; newEmail: string } {
  const state = changeLinkState(db, env, token, member);
  if (!state.ok) throw new LinkUnusable("unknown", state.message);
  try {
    return immediate(db, () => {
      const found = inspectLink(db, "change_email", token);
      if (found.state !== "ok" || !useLink(db, found.link)) throw new LinkUnusable("used", unusableLinkWords("change_email", "used", hours(env)));
      if (memberWithEmail(db, state.newEmail)) throw new AccountInputError(UNAVAILABLE(member.email), {}, 409, "email_unavailable");
      setEmail(db, member.id, state.newEmail);
      revokeMemberLinks(db, member.id, ["verify_email", "change_email", "reset_password"]);
      raiseAlert(db, member.id, "email_changed", { oldEmail: member.email, newEmail: state.newEmail });
      return { oldEmail: member.email, newEmail: state.newEmail };
    });
  } catch (error) {
    // Another account took the address between the check and the write (the unique index decides).
    if (String((error as { code?: string }).code).startsWith("SQLITE_CONSTRAINT")) throw new AccountInputError(UNAVAILABLE(member.email), {}, 409, "email_unavailable");
    throw error;
  }
}

/** Sets (or, blank, clears) the screen name; refuses characters a name should not have, in words. */
export function setScreenName(db: Db, memberId: string, raw: string): string | null {
  const parsed = screenNameSchema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Check your screen name.";
    throw new AccountInputError(message, { screenName: message });
  }
  const screenName = parsed.data ?? null;
  setProfileScreenName(db, memberId, screenName);
  return screenName;
}
