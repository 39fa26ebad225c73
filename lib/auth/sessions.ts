// Server-side sessions: the session JWT only names a row here, checked on every request, so signing out, changing the
// password or disabling a member ends sessions on the server and a copied cookie stops working.
import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import type { SessionEndReason } from "@/db/schema";

/** A session nobody used for this long has expired (the JWT's own lifetime, renewed on use, is the same). */
export const SESSION_IDLE_MS = 30 * 24 * 3600_000;
// last_seen_at is written at most this often: one write a day per session, not one per request.
const TOUCH_EVERY_MS = 24 * 3600_000;

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<object, Statements>();

function prepare(db: Db) {
  const c = db.$client;
  return {
    insert: c.prepare("insert into sessions (id, member_id, created_at, last_seen_at, address, user_agent) values (?, ?, ?, ?, ?, ?)"),
    // One indexed read per request: the session is live, and its member exists and is not disabled.
    live: c.prepare<[string, string, number], { last_seen_at: number }>(
      `select s.last_seen_at from sessions s join members m on m.id = s.member_id
        where s.id = ? and s.member_id = ? and s.ended_at is null and m.disabled_at is null and s.last_seen_at > ?`,
    ),
    touch: c.prepare("update sessions set last_seen_at = ? where id = ?"),
    end: c.prepare("update sessions set ended_at = ?, ended_reason = ? where id = ? and ended_at is null"),
    endMember: c.prepare("update sessions set ended_at = ?, ended_reason = ? where member_id = ? and ended_at is null and id != ?"),
  };
}

function statements(db: Db): Statements {
  let s = cache.get(db.$client);
  if (!s) cache.set(db.$client, (s = prepare(db)));
  return s;
}

/** Starts a session for a member who just proved their password; the id goes into the session JWT. */
export function createSession(db: Db, memberId: string, client: { address: string | null; userAgent: string | null }, now = Date.now()): string {
  const id = randomBytes(16).toString("base64url");
  statements(db).insert.run(id, memberId, now, now, client.address, client.userAgent?.slice(0, 300) ?? null);
  return id;
}

/** Whether the session named by a JWT may still be used: not ended, not idle for 30 days, its member not disabled. */
export function isSessionLive(db: Db, sessionId: string, memberId: string, now = Date.now()): boolean {
  const st = statements(db);
  const row = st.live.get(sessionId, memberId, now - SESSION_IDLE_MS);
  if (!row) return false;
  if (now - row.last_seen_at > TOUCH_EVERY_MS) st.touch.run(now, sessionId);
  return true;
}

/** Ends one session (sign-out). */
export function endSession(db: Db, sessionId: string, reason: SessionEndReason, now = Date.now()): void {
  statements(db).end.run(now, reason, sessionId);
}

/** Ends every session of a member except `keep` (the browser that asked); returns how many ended. */
export function endMemberSessions(db: Db, memberId: string, reason: SessionEndReason, keep: string | null = null, now = Date.now()): number {
  return statements(db).endMember.run(now, reason, memberId, keep ?? "").changes;
}
