// Unsubscribing from invitation (and account alert) emails: a token per email (only its hash is kept, with the address it stops), the
// visible link and the RFC 8058 one-click endpoint it leads to, and the suppression list checked before sending.
import "server-only";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { preparedQuery, type Db, type Tx } from "@/db/client";
import { emailSuppressions, emailUnsubscribeTokens } from "@/db/schema";
import { isUrlToken, newUrlToken } from "@/lib/http/url-token";
import { EMAIL_UNSUBSCRIBE_PATH } from "@/lib/http/webhook-paths";
import { mailboxKey } from "./address";

export const EMAIL_SUPPRESSED_REASON =
  "This address has unsubscribed from Select Exposure invitations, so we cannot email it. Invite them another way, if they agree.";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A new unsubscribe token for one email to `address`; store it in the transaction that queues the email. With a
 * `scope` (an account alert to the member's own address) the link stops that alert's email, not invitations.
 */
export function createUnsubscribeToken(tx: Tx, address: string, scope?: { memberId: string; event: string }): string {
  const token = newUrlToken();
  tx.insert(emailUnsubscribeTokens).values({ tokenHash: hash(token), address, memberId: scope?.memberId ?? null, event: scope?.event ?? null }).run();
  return token;
}

/** What a token stops: the address, and for an alert's link the member and event; null for a token we never issued. */
export function unsubscribeToken(db: Db, token: string): { address: string; memberId: string | null; event: string | null } | null {
  if (!isUrlToken(token)) return null;
  const row = db.select().from(emailUnsubscribeTokens).where(eq(emailUnsubscribeTokens.tokenHash, hash(token))).get();
  return row ? { address: row.address, memberId: row.memberId, event: row.event } : null;
}

/** The visible link in the email's footer (a page that asks before unsubscribing: link scanners follow links). */
export const unsubscribePageUrl = (appUrl: string, token: string) => `${appUrl}/unsubscribe/${token}`;
/** The List-Unsubscribe target: mail clients POST "List-Unsubscribe=One-Click" to it (RFC 8058). */
export const oneClickUrl = (appUrl: string, token: string) => `${appUrl}${EMAIL_UNSUBSCRIBE_PATH}/${token}`;

/** The address a token stops, or null for a token we never issued. */
export function addressForToken(db: Db, token: string): string | null {
  if (!isUrlToken(token)) return null;
  return db.select().from(emailUnsubscribeTokens).where(eq(emailUnsubscribeTokens.tokenHash, hash(token))).get()?.address ?? null;
}

// Asked for every member an announcement emails: prepared once.
const emailSuppressed = preparedQuery((db) => db.select({ mailbox: emailSuppressions.mailbox }).from(emailSuppressions).where(eq(emailSuppressions.mailbox, sql.placeholder("mailbox"))).prepare());

export function isEmailSuppressed(db: Db | Tx, address: string): boolean {
  return Boolean(emailSuppressed(db as Db).get({ mailbox: mailboxKey(address) }));
}

/** Puts the address's mailbox on the suppression list (idempotent). */
export function suppressEmail(db: Db, address: string, source: "one-click" | "link"): void {
  db.insert(emailSuppressions).values({ mailbox: mailboxKey(address), source }).onConflictDoNothing().run();
}

/** Takes the mailbox off the list again (the unsubscribe page's "changed my mind"). */
export function unsuppressEmail(db: Db, address: string): void {
  db.delete(emailSuppressions).where(eq(emailSuppressions.mailbox, mailboxKey(address))).run();
}

/**
 * RFC 8058 headers for an outgoing email whose text ends with an unsubscribe link issued for this very recipient.
 * The header mirrors the visible link, so the outbox needs to carry nothing more than the message; a link copied
 * into a member's own words cannot add a header, because it must be the last line and belong to this recipient.
 */
export function listUnsubscribeHeaders(db: Db, appUrl: string, mail: { to: string; text: string }): Record<string, string> {
  const last = mail.text.trimEnd().split("\n").pop() ?? "";
  const prefix = `${appUrl}/unsubscribe/`;
  const at = last.lastIndexOf(prefix);
  if (at < 0) return {};
  const token = last.slice(at + prefix.length).trim();
  const address = addressForToken(db, token);
  if (!address || mailboxKey(address) !== mailboxKey(mail.to)) return {};
  return { "List-Unsubscribe": `<${oneClickUrl(appUrl, token)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
