// Server-side sessions: the session JWT only names a row here, checked on every request, so signing out, changing the
// password or disabling a member ends sessions on the server and a copied cookie stops working.
import "server-only";
import { newUrlToken } from "@/lib/http/url-token";
import { immediate, type Db } from "@/db/client";
import { raiseAlert, type AlertEnv } from "@/lib/alerts/raise";
import { describeBrowser } from "@/lib/http/user-agent";
import type { SecondFactor, SessionEndReason } from "@/db/schema";
import { endMemberSessionRows, endSessionRow, insertSession, liveSessionSeenAt, touchSession } from "./queries";

/** A session nobody used for this long has expired (the JWT's own lifetime, renewed on use, is the same). */
export const SESSION_IDLE_MS = 30 * 24 * 3600_000;
// last_seen_at is written at most this often: one write a day per session, not one per request.
const TOUCH_EVERY_MS = 24 * 3600_000;

/** Starts a session for a member who just proved their password; the id goes into the session JWT. */
export function createSession(db: Db, memberId: string, client: { address: string | null; userAgent: string | null }, now = Date.now(), secondFactor: SecondFactor | null = null): string {
  const id = newUrlToken();
  insertSession(db, { id, memberId, address: client.address, userAgent: client.userAgent?.slice(0, 300) ?? null, secondFactor }, now);
  return id;
}

/**
 * Starts a session at sign-in (recording how it passed two-factor, if it did) and, in the same transaction, raises the
 * "new device" alert when the browser never signed in to this account before (though others did), and the "recovery
 * code used" alert when a recovery code was its second step.
 */
export function startSession(
  db: Db,
  memberId: string,
  client: { address: string | null; userAgent: string | null },
  opts: { unfamiliar: boolean; env?: AlertEnv; secondFactor?: SecondFactor | null; recoveryCodesLeft?: number },
): string {
  return immediate(db, () => {
    const id = createSession(db, memberId, client, Date.now(), opts.secondFactor ?? null);
    if (opts.unfamiliar) raiseAlert(db, memberId, "new_device_sign_in", { browser: describeBrowser(client.userAgent), address: client.address }, opts.env);
    if (opts.secondFactor === "recovery") raiseAlert(db, memberId, "recovery_codes_used", { remaining: opts.recoveryCodesLeft ?? 0 }, opts.env);
    return id;
  });
}

/** Whether the session named by a JWT may still be used: not ended, not idle for 30 days, its member not disabled. */
export function isSessionLive(db: Db, sessionId: string, memberId: string, now = Date.now()): boolean {
  const seenAt = liveSessionSeenAt(db, sessionId, memberId, now - SESSION_IDLE_MS);
  if (seenAt === undefined) return false;
  if (now - seenAt > TOUCH_EVERY_MS) touchSession(db, sessionId, now);
  return true;
}

/** Ends one session (sign-out). */
export function endSession(db: Db, sessionId: string, reason: SessionEndReason, now = Date.now()): void {
  endSessionRow(db, sessionId, reason, now);
}

/** Ends every session of a member except `keep` (the browser that asked); returns how many ended. */
export function endMemberSessions(db: Db, memberId: string, reason: SessionEndReason, keep: string | null = null, now = Date.now()): number {
  return endMemberSessionRows(db, memberId, reason, keep ?? "", now);
}
