// The emulator's notification sender: signs like Yoti, stores the delivery, retries with backoff until 200 (bounded).
import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxYotiDeliveries, type SandboxYotiSession } from "@/db/schema";
import { log } from "@/lib/log";
import { signNotification } from "../notification";
import type { CreateSessionRequest } from "../schemas";
import { resultBody } from "./store";

export type NotifierOptions = {
  db: Db;
  privateKeyPem: string;
  fetch?: typeof fetch;
  /** Waits between attempts; the first attempt is immediate. Yoti retries until 200; we stop after these. */
  retryDelaysMs?: number[];
  now?: () => Date;
};

const DEFAULT_DELAYS = [500, 1000, 2000, 4000, 8000, 16000];

// Retry timers must outlive the request that scheduled them and be shared by Next's separately bundled routes.
const timers = globalThis as unknown as { __seYotiRetries?: Set<NodeJS.Timeout> };
timers.__seYotiRetries ??= new Set();

/** The documented notification body, in Yoti's key order (the order is part of what is signed). */
export function notificationBody(session: SandboxYotiSession, now: Date, sequenceNumber: number): Record<string, unknown> {
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
    sequence_number: sequenceNumber,
  };
}

export function createNotifier(opts: NotifierOptions) {
  const doFetch = opts.fetch ?? fetch;
  const delays = opts.retryDelaysMs ?? DEFAULT_DELAYS;

  async function attempt(id: string): Promise<boolean> {
    const row = opts.db.select().from(sandboxYotiDeliveries).where(eq(sandboxYotiDeliveries.id, id)).get();
    if (!row || row.deliveredAt) return true;
    let error: string | null = null;
    try {
      const response = await doFetch(row.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: row.body,
        signal: AbortSignal.timeout(5000),
      });
      if (response.status !== 200) error = `HTTP ${response.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    opts.db
      .update(sandboxYotiDeliveries)
      .set({ attempts: row.attempts + 1, lastError: error, deliveredAt: error ? null : new Date() })
      .where(eq(sandboxYotiDeliveries.id, id))
      .run();
    if (error) log.warn({ notification: id, attempt: row.attempts + 1, error }, "sandbox yoti: notification not accepted");
    return !error;
  }

  function scheduleRetry(id: string, attemptsSoFar: number): void {
    const delay = delays[attemptsSoFar - 1];
    if (delay === undefined) return;
    const timer = setTimeout(async () => {
      timers.__seYotiRetries!.delete(timer);
      const ok = await attempt(id).catch(() => false);
      if (!ok) scheduleRetry(id, attemptsSoFar + 1);
    }, delay);
    timer.unref?.();
    timers.__seYotiRetries!.add(timer);
  }

  return {
    /** Stores and sends a signed notification; the first attempt is awaited so the result is known before the redirect. */
    async send(session: SandboxYotiSession, sequenceNumber: number): Promise<{ id: string; delivered: boolean; body: string }> {
      const req = session.request as unknown as CreateSessionRequest;
      const signed = signNotification(notificationBody(session, opts.now?.() ?? new Date(), sequenceNumber), opts.privateKeyPem);
      const body = JSON.stringify(signed);
      const id = signed.id as string;
      if (!req.notification_url) return { id, delivered: false, body };
      opts.db.insert(sandboxYotiDeliveries).values({ id, sessionId: session.id, url: req.notification_url, body }).run();
      const delivered = await attempt(id);
      if (!delivered) scheduleRetry(id, 1);
      return { id, delivered, body };
    },
    /** After a restart: pick up deliveries that were still owed. */
    resumePending(): void {
      const owed = opts.db
        .select()
        .from(sandboxYotiDeliveries)
        .where(and(isNull(sandboxYotiDeliveries.deliveredAt), lt(sandboxYotiDeliveries.attempts, delays.length + 1)))
        .all();
      for (const row of owed) scheduleRetry(row.id, Math.max(1, row.attempts));
    },
  };
}
