// Moves emulator messages along accepted -> queued -> sent -> delivered (or undelivered / failed) as Twilio would: a
// queued message leaves when its sender's queue reaches it. Every status after the initial one is POSTed as a signed
// status callback, subject to the tester's callback faults (dropped, duplicated, reordered, delayed). Driven by one
// timer per emulator; all state is in SQLite, so after a restart resume() picks up due steps and owed callbacks.
import "server-only";
import type { Db } from "@/db/client";
import type { SandboxTwilioMessage } from "@/db/schema";
import { log } from "@/lib/log";
import type { FaultStore } from "@/lib/sandbox/faults";
import { signTwilioRequest } from "../webhook";
import { pickCallbackFault, type TwilioFaults } from "./faults";
import { DELIVERY_FAILURES } from "./magic";
import { API_VERSION } from "./resources";
import { advanceMessage, dueMessages, getMessage, makeOwedCallbacksDue, markCallbackSent, nextDueAt, recordCallback } from "./store";

export type Delays = { acceptedMs: number; queuedMs: number; sentMs: number };

/** Realistic but short: a tester sees Pending become Delivered within about two seconds. */
export const DEFAULT_DELAYS: Delays = { acceptedMs: 150, queuedMs: 500, sentMs: 1200 };

export type LifecycleOptions = {
  db: Db;
  authToken: string;
  delays: Delays;
  faults: FaultStore<TwilioFaults>;
  /** Where to actually send a request for a callback URL (the app reaches itself on loopback); the signature always covers the URL as given. */
  transportUrl?: (url: string) => string;
  fetch?: typeof fetch;
  concurrency?: number;
  callbackTimeoutMs?: number;
};

type Step = { status: string; errorCode?: number; errorMessage?: string; nextAt: number | null };

const QUEUE_OVERFLOW = "Queue overflow";

/** What comes after `m.status` (at `now`), and when the step after that is due. */
export function nextStep(m: SandboxTwilioMessage, delays: Delays, now: number): Step | null {
  const failure = DELIVERY_FAILURES[m.to];
  switch (m.status) {
    case "accepted":
      return { status: "queued", nextAt: Math.max(m.sendAt ?? now, now) };
    case "queued":
      // It waited the queue's maximum without being sent: Twilio fails it with 30001.
      if (m.failCode !== null) return { status: "failed", errorCode: m.failCode, errorMessage: QUEUE_OVERFLOW, nextAt: null };
      if (failure?.status === "failed") return { status: "failed", errorCode: failure.code, errorMessage: failure.message, nextAt: null };
      return { status: "sent", nextAt: now + delays.sentMs };
    case "sent":
      if (failure) return { status: failure.status, errorCode: failure.code, errorMessage: failure.message, nextAt: null };
      return { status: "delivered", nextAt: null };
    default:
      return null;
  }
}

/** The form Twilio POSTs to a StatusCallback for a message's current status. */
export function callbackParams(m: SandboxTwilioMessage): Record<string, string> {
  const p: Record<string, string> = {
    AccountSid: m.accountSid,
    ApiVersion: API_VERSION,
    From: m.from,
    MessageSid: m.sid,
    MessageStatus: m.status,
    SmsSid: m.sid,
    SmsStatus: m.status,
    To: m.to,
  };
  if (m.messagingServiceSid) p.MessagingServiceSid = m.messagingServiceSid;
  if (m.errorCode !== null) p.ErrorCode = String(m.errorCode);
  if (m.status === "delivered" || m.status === "undelivered") {
    // Carrier delivery-receipt time, YYMMDDhhmm, as Twilio forwards it.
    p.RawDlrDoneDate = new Date(m.dateUpdated).toISOString().replace(/\D/g, "").slice(2, 12);
  }
  return p;
}

type Post = { sid: string; status: string; url: string; params: Record<string, string> };

export class Lifecycle {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private readonly inFlight = new Set<string>();
  /** Callbacks sent later on purpose (delayed, or held back until the message's next one): in memory only. */
  private readonly held = new Map<string, Post[]>();
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;
  private readonly concurrency: number;

  constructor(private readonly o: LifecycleOptions) {
    this.concurrency = o.concurrency ?? 32;
  }

  /** After a restart: send owed callbacks and run due steps. */
  resume(): void {
    makeOwedCallbacksDue(this.o.db, Date.now());
    this.schedule(0);
  }

  /** A message was created whose next step is due at `at`. */
  wake(at: number): void {
    this.schedule(at - Date.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Waits until no step or callback is in flight (for tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.pending.size) await new Promise((r) => setTimeout(r, 5));
  }

  private schedule(inMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + Math.max(0, inMs);
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, Math.max(0, inMs));
    // Never keeps a process (a test, a script) alive on its own.
    this.timer.unref?.();
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      const room = this.concurrency - this.inFlight.size;
      if (room > 0) {
        for (const m of dueMessages(this.o.db, Date.now(), room + this.inFlight.size)) if (!this.inFlight.has(m.sid) && this.inFlight.size < this.concurrency) this.start(m.sid);
      }
      const next = nextDueAt(this.o.db);
      if (next !== null && this.inFlight.size < this.concurrency) this.schedule(Math.max(next - Date.now(), 5));
    } catch (error) {
      log.error({ err: error }, "sandbox Twilio: lifecycle tick failed");
      this.schedule(1000);
    }
  }

  private start(sid: string): void {
    if (this.inFlight.has(sid) || this.stopped) return;
    this.inFlight.add(sid);
    void this.run(sid)
      .catch((error) => log.error({ err: error, sid }, "sandbox Twilio: lifecycle step failed"))
      .finally(() => {
        this.inFlight.delete(sid);
        this.schedule(0);
      });
  }

  /** Callback for the current status first, then the next step once due. */
  private async run(sid: string): Promise<void> {
    // Only this run touches this message while it is in flight, so the row is read once and kept up to date here.
    const m = getMessage(this.o.db, sid);
    if (!m) return;
    for (;;) {
      if (this.stopped) return;
      if (m.statusCallback && m.callbackStatus !== m.status) {
        await this.callback(m, m.statusCallback);
        markCallbackSent(this.o.db, sid, m.status);
        m.callbackStatus = m.status;
        continue;
      }
      const now = Date.now();
      if (m.nextAt === null || m.nextAt > now) return;
      const step = nextStep(m, this.o.delays, now);
      const next = step
        ? {
            status: step.status,
            errorCode: step.errorCode ?? null,
            errorMessage: step.errorMessage ?? null,
            dateUpdated: now,
            dateSent: step.status === "sent" ? now : m.dateSent,
            nextAt: step.nextAt,
          }
        : { status: m.status, errorCode: m.errorCode, errorMessage: m.errorMessage, dateUpdated: m.dateUpdated, dateSent: m.dateSent, nextAt: null };
      advanceMessage(this.o.db, sid, next);
      Object.assign(m, next);
      if (!step) return;
    }
  }

  /** One status callback, as the tester's faults would have Twilio deliver it. */
  private async callback(m: SandboxTwilioMessage, url: string): Promise<void> {
    const post: Post = { sid: m.sid, status: m.status, url, params: callbackParams(m) };
    const fault = pickCallbackFault(this.o.faults, m.to);
    const { callbackDelayMs } = this.o.faults.get();
    if (fault === "drop") {
      recordCallback(this.o.db, { messageSid: m.sid, status: m.status, url, httpStatus: null, error: "not sent (dropped on purpose)", fault: "dropped", attemptedAt: Date.now() });
      await this.flushHeld(m.sid);
    } else if (fault === "delay") {
      this.later(post, callbackDelayMs, `delayed ${callbackDelayMs} ms`);
    } else if (fault === "reorder" && m.nextAt !== null) {
      // Held back until the message's next callback has gone out.
      this.held.set(m.sid, [...(this.held.get(m.sid) ?? []), post]);
    } else if (fault === "reorder") {
      // The last callback has no successor to wait for: it goes late instead.
      this.later(post, callbackDelayMs, "reordered");
    } else {
      await this.post(post, null);
      if (fault === "duplicate") await this.post(post, "duplicate");
    }
  }

  /** Callbacks held back for reordering go right after the one that overtook them. */
  private async flushHeld(sid: string): Promise<void> {
    const held = this.held.get(sid);
    if (!held) return;
    this.held.delete(sid);
    for (const p of held) await this.post(p, "reordered", false);
  }

  private later(post: Post, ms: number, fault: string): void {
    const job = new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.post(post, fault).finally(resolve), ms);
      timer.unref?.();
    });
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  private async post(p: Post, fault: string | null, flush = true): Promise<void> {
    const attemptedAt = Date.now();
    try {
      const response = await (this.o.fetch ?? fetch)(this.o.transportUrl ? this.o.transportUrl(p.url) : p.url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          "user-agent": "TwilioProxy/1.1",
          "x-twilio-signature": signTwilioRequest(this.o.authToken, p.url, p.params),
        },
        body: new URLSearchParams(p.params).toString(),
        signal: AbortSignal.timeout(this.o.callbackTimeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      recordCallback(this.o.db, { messageSid: p.sid, status: p.status, url: p.url, httpStatus: response.status, error: null, fault, attemptedAt });
    } catch (error) {
      // Like Twilio: a callback that fails is logged (here: recorded for the sandbox phone), not retried.
      const reason = (error as Error).cause ? String((error as Error & { cause: unknown }).cause) : (error as Error).message;
      recordCallback(this.o.db, { messageSid: p.sid, status: p.status, url: p.url, httpStatus: null, error: reason, fault, attemptedAt });
    }
    if (flush) await this.flushHeld(p.sid);
  }
}
