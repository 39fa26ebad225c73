// The emulator's notification sender: signs like Yoti (maximum PSS salt), stores each delivery, and retries it with
// exponential backoff until the app answers 200, as Yoti does, however long that takes (a restart resumes the
// schedule). Each attempt carries its attempt number in the unsigned `sequence_number`. Faults: a notification can be
// sent twice, or late.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import type { SandboxYotiSession } from "@/db/schema";
import { log } from "@/lib/log";
import type { FaultStore } from "@/lib/sandbox/faults";
import { signNotification } from "../notification";
import type { CreateSessionRequest } from "../schemas";
import { rollYoti, type YotiFaults } from "./faults";
import { dueDeliveries, getDelivery, insertDelivery, nextDeliveryAt, resultBody, updateDelivery } from "./store";

export type NotifierOptions = {
  db: Db;
  privateKeyPem: string;
  faults: FaultStore<YotiFaults>;
  fetch?: typeof fetch;
  /** Backoff between attempts: `baseMs` doubling up to `capMs`; the first attempt is immediate. */
  retry?: { baseMs: number; capMs: number };
  now?: () => Date;
};

export const DEFAULT_RETRY = { baseMs: 500, capMs: 10 * 60_000 };

/** The documented notification body, in Yoti's key order (the order is part of what is signed). */
export function notificationBody(session: SandboxYotiSession, now: Date): Record<string, unknown> {
  const req = session.request as unknown as CreateSessionRequest;
  const result = resultBody(session);
  const level = (result[session.method === "DOC_SCAN" ? "doc_scan" : session.method === "DIGITAL_ID" ? "digital_id" : "age_estimation"] as { level?: string })?.level;
  return {
    method: session.method,
    result: session.status === "COMPLETE",
    age: result.age ?? null,
    session_key: session.id,
    reference_id: req.reference_id,
    id: randomUUID(),
    timestamp: Math.floor(now.getTime() / 1000),
    notification_url: req.notification_url,
    evidence_id: session.evidenceId,
    state: session.status,
    check_type: level || "NONE",
    ...(session.status === "ERROR" ? { error_code: "UNABLE_TO_PROCESS" } : {}),
  };
}

/** The body of attempt number `attempt`: Yoti's `sequence_number` is the attempt number, and is not signed. */
function withSequence(body: string, attempt: number): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const { signature, ...rest } = parsed;
  return JSON.stringify({ ...rest, sequence_number: attempt, signature });
}

export function createNotifier(opts: NotifierOptions) {
  const doFetch = opts.fetch ?? fetch;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const clock = () => (opts.now?.() ?? new Date()).getTime();
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  const running = new Set<string>();

  async function post(url: string, body: string): Promise<string | null> {
    try {
      const response = await doFetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer().catch(() => undefined);
      return response.status === 200 ? null : `HTTP ${response.status}`;
    } catch (e) {
      return (e as Error).message;
    }
  }

  async function attempt(id: string): Promise<boolean> {
    const row = getDelivery(opts.db, id);
    if (!row || row.deliveredAt || running.has(id)) return true;
    running.add(id);
    try {
      const n = row.attempts + 1;
      const error = await post(row.url, withSequence(row.body, n));
      const wait = Math.min(retry.baseMs * 2 ** (n - 1), retry.capMs);
      updateDelivery(opts.db, id, { attempts: n, lastError: error, deliveredAt: error ? null : new Date(), nextAttemptAt: error ? Date.now() + wait : null });
      if (error) {
        log.warn({ notification: id, attempt: n, error, retryInMs: wait }, "sandbox yoti: notification not accepted; retrying until it is");
        schedule(wait);
      }
      return !error;
    } finally {
      running.delete(id);
    }
  }

  function schedule(inMs: number): void {
    const at = Date.now() + Math.max(0, inMs);
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      void tick();
    }, Math.max(0, inMs));
    timer.unref?.();
  }

  async function tick(): Promise<void> {
    const due = dueDeliveries(opts.db, Date.now(), 50);
    await Promise.all(due.map((d) => attempt(d.id).catch(() => false)));
    const next = nextDeliveryAt(opts.db);
    if (next !== null) schedule(next - Date.now());
  }

  return {
    /**
     * Stores and sends a signed notification. The first attempt is awaited, so the result is known before the
     * redirect, unless the tester delays notifications.
     */
    async send(session: SandboxYotiSession): Promise<{ id: string; delivered: boolean; body: string }> {
      const req = session.request as unknown as CreateSessionRequest;
      const signed = signNotification(notificationBody(session, new Date(clock())), opts.privateKeyPem);
      const body = JSON.stringify(signed);
      const id = signed.id as string;
      if (!req.notification_url) return { id, delivered: false, body };
      const delayed = rollYoti(opts.faults, "notificationDelay");
      const firstAt = Date.now() + (delayed ? opts.faults.get().notificationDelayMs : 0);
      insertDelivery(opts.db, { id, sessionId: session.id, url: req.notification_url, body, nextAttemptAt: firstAt });
      if (delayed) {
        schedule(firstAt - Date.now());
        return { id, delivered: false, body };
      }
      const delivered = await attempt(id);
      if (rollYoti(opts.faults, "notificationDuplicate")) {
        // The same notification again (same id and signature), as a retry crossing our 200 would bring it.
        await post(req.notification_url, withSequence(body, 2));
        updateDelivery(opts.db, id, { duplicates: 1 });
      }
      return { id, delivered, body };
    },
    /** After a restart: pick up deliveries that were still owed. */
    resumePending(): void {
      schedule(0);
    },
  };
}
