// Age verification use cases: start (or reuse) a session, refresh its result from Yoti, take a notification, show status.
import "server-only";
import { randomBytes } from "node:crypto";
import { remember } from "@epic-web/remember";
import { immediate, type Db } from "@/db/client";
import { getProfile } from "@/lib/accounts/members";
import type { StatusChange, VerificationSession } from "@/db/schema";
import { floodGate, heldBackWords, log } from "@/lib/log";
import type { YotiClient } from "@/lib/yoti/client";
import { YotiError } from "@/lib/yoti/errors";
import { verifyNotification } from "@/lib/yoti/notification";
import { buildCreateRequest, requestSnapshot, verificationUrl, type VerificationPolicy } from "./policy";
import {
  applyResult,
  countDuplicateNotification,
  effectiveStatus,
  findSession,
  insertVerificationSession,
  latestSession,
  recordNotification,
  recordRejection,
  reusableSession,
} from "./sessions";
import { VerificationError } from "./errors";
import { isActiveStatus } from "./status";
import { validateResult } from "./validate";

export type SessionView = {
  session_id: string;
  status: string;
  expires_at: string;
  verification_url: string;
  method: string | null;
  created_at: string;
  checked_at: string | null;
  history: StatusChange[];
};

export function sessionView(session: VerificationSession, policy: VerificationPolicy, now = new Date()): SessionView {
  return {
    session_id: session.id,
    status: effectiveStatus(session, now),
    expires_at: session.expiresAt.toISOString(),
    verification_url: verificationUrl(policy, session.id),
    method: session.method,
    created_at: session.createdAt.toISOString(),
    checked_at: session.checkedAt?.toISOString() ?? null,
    history: session.history,
  };
}

export type StatusView = { verified: boolean; verification_date: string | null; method: string | null; latest_session: SessionView | null };

export function statusView(db: Db, memberId: string, policy: VerificationPolicy, now = new Date()): StatusView {
  const profile = getProfile(db, memberId);
  const latest = latestSession(db, memberId);
  return {
    verified: Boolean(profile?.yotiVerified),
    verification_date: profile?.yotiVerificationDate?.toISOString() ?? null,
    method: profile?.yotiVerificationData?.method ?? null,
    latest_session: latest ? sessionView(latest, policy, now) : null,
  };
}

export function isVerified(db: Db, memberId: string): boolean {
  return Boolean(getProfile(db, memberId)?.yotiVerified);
}

// Two quick clicks must not create (and pay for) two sessions: one creation per member at a time, process-wide.
const starting = () => remember("verification.starts", () => new Map<string, Promise<{ session: VerificationSession; reused: boolean }>>());

/** Reuses the member's unexpired unfinished session, or creates one at Yoti with an opaque reference and stores it. */
export function startVerification(db: Db, client: YotiClient, policy: VerificationPolicy, memberId: string, now = new Date()) {
  const starts = starting();
  const running = starts.get(memberId);
  if (running) return running;
  const job = (async () => {
    const profile = getProfile(db, memberId);
    if (profile?.yotiVerified) throw new VerificationError("already_verified", "Your age is already verified.");
    const existing = reusableSession(db, memberId, now);
    if (existing) return { session: existing, reused: true };
    const referenceId = randomBytes(16).toString("hex");
    const created = await client.createSession(buildCreateRequest(policy, referenceId));
    const status = created.status === "UNKNOWN" ? "PENDING" : created.status;
    const expires = Date.parse(created.expires_at);
    const session = immediate(db, () =>
      insertVerificationSession(db, {
        id: created.id,
        memberId,
        referenceId,
        status,
        request: requestSnapshot(policy),
        history: [{ status, at: now.toISOString(), source: "create" }],
        expiresAt: new Date(Number.isNaN(expires) ? now.getTime() + policy.ttlSeconds * 1000 : expires),
      }),
    );
    log.info({ memberId, sessionId: session.id }, "yoti session created");
    return { session, reused: false };
  })().finally(() => starts.delete(memberId));
  starts.set(memberId, job);
  return job;
}

/** Fetches the authoritative result from Yoti, validates it fail-closed and applies it. */
export async function refreshSession(db: Db, client: YotiClient, sessionId: string, source: StatusChange["source"], now = new Date()): Promise<VerificationSession> {
  const session = findSession(db, sessionId);
  if (!session) throw new Error(`unknown verification session ${sessionId}`);
  const result = await client.getResult(sessionId);
  const validation = validateResult(result, session);
  if (!validation.ok) {
    log.warn({ sessionId, reason: validation.reason }, "yoti result refused by validation");
    recordRejection(db, sessionId, validation.reason, now);
    return findSession(db, sessionId)!;
  }
  return applyResult(db, sessionId, result, source, now);
}

/**
 * refreshSession for work nobody is waiting on (after a notification): retries Yoti's retryable failures a few times
 * with backoff, then gives up quietly; the browser return and the profile's own checks fetch the result again later.
 */
export async function refreshInBackground(db: Db, client: YotiClient, sessionId: string, delaysMs = [1000, 3000, 9000]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await refreshSession(db, client, sessionId, "notification");
      return;
    } catch (error) {
      const retryable = error instanceof YotiError && error.retryable;
      if (!retryable || attempt >= delaysMs.length) {
        log.warn({ err: error, sessionId, attempts: attempt + 1 }, "yoti result refresh after notification failed");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}

export type NotificationOutcome =
  | { status: 200; outcome: "accepted"; sessionId: string }
  | { status: 200; outcome: "duplicate"; message: string }
  /** Genuine but not acted on (stale, or not one of our sessions); `refreshSessionId`: ask Yoti for that open session's result. */
  | { status: 200; outcome: "ignored"; message: string; refreshSessionId?: string }
  | { status: 400 | 401; outcome: "rejected"; reason: "malformed" | "bad_signature"; message: string };

/**
 * Takes a notification's raw body: verifies the signature, records it (the de-duplication key is Yoti's notification
 * id) and says whether the session's result should be re-fetched. Never trusts the body's outcome. Yoti retries until
 * it gets a 200, so every genuine notification is answered 200, even one we do not act on: a stale one (outside the
 * freshness window, e.g. after long retries) is acknowledged as "ignored", and its session's result is fetched from
 * Yoti if the session is still open. Only forged or malformed bodies get a 4xx.
 */
export function receiveNotification(db: Db, raw: string, publicKeyPem: string, now = new Date()): NotificationOutcome {
  const verified = verifyNotification(raw, publicKeyPem, { nowSeconds: Math.floor(now.getTime() / 1000) });
  if (!verified.ok) {
    // Anyone can send these: a flood of them logs a line a minute per reason.
    const gate = floodGate(`yoti-notification-refused:${verified.reason}`);
    if (gate) log.warn({ reason: verified.reason, heldBack: gate.heldBack }, `yoti notification refused${heldBackWords(gate.heldBack)}`);
    return { status: verified.reason === "bad_signature" ? 401 : 400, outcome: "rejected", reason: verified.reason, message: verified.message };
  }
  const n = verified.notification;
  const session = findSession(db, n.session_key);
  if (!session || (n.reference_id && n.reference_id !== session.referenceId)) {
    // Signed by Yoti but not one of ours (another environment sharing the SDK ID?): acknowledge so Yoti stops retrying.
    log.warn({ sessionId: n.session_key }, "yoti notification for an unknown session ignored");
    return { status: 200, outcome: "ignored", message: "Unknown session." };
  }
  const inserted = recordNotification(db, { id: n.id, sessionId: n.session_key, state: n.state, sequenceNumber: n.sequence_number ?? null, sentAt: n.timestamp, receivedAt: now });
  if (!inserted) {
    countDuplicateNotification(db, n.id);
    return { status: 200, outcome: "duplicate", message: "Already received." };
  }
  if (verified.stale) {
    // A replay of an old genuine notification must not change anything by itself; the result comes from Yoti.
    const open = isActiveStatus(effectiveStatus(session, now));
    log.warn({ sessionId: n.session_key, stale: verified.stale, open }, "yoti notification outside the freshness window acknowledged without acting on it");
    return {
      status: 200,
      outcome: "ignored",
      message: `The notification's timestamp is ${verified.stale}; acknowledged without acting on it.`,
      ...(open ? { refreshSessionId: session.id } : {}),
    };
  }
  return { status: 200, outcome: "accepted", sessionId: n.session_key };
}
