// Moves emulator messages along queued -> sent -> delivered (or undelivered / failed) with short delays, POSTing a
// signed status callback for each step. Driven by one timer per emulator; all state is in SQLite, so after a restart
// resume() picks up due steps and owed callbacks.
import "server-only";
import type { Db } from "@/db/client";
import type { SandboxTwilioMessage } from "@/db/schema";
import { log } from "@/lib/log";
import { signTwilioRequest } from "../webhook";
import { DELIVERY_FAILURES } from "./magic";
import { API_VERSION } from "./resources";
import { dueMessages, getMessage, nextDueAt, owingCallbacks, recordCallback, updateMessage } from "./store";

export type Delays = { acceptedMs: number; queuedMs: number; sentMs: number };

/** Realistic but short: a tester sees Pending become Delivered within about two seconds. */
export const DEFAULT_DELAYS: Delays = { acceptedMs: 150, queuedMs: 500, sentMs: 1200 };

export type LifecycleOptions = {
  db: Db;
  authToken: string;
  delays: Delays;
  /** Where to actually send a request for a callback URL (the app reaches itself on loopback); the signature always covers the URL as given. */
  transportUrl?: (url: string) => string;
  fetch?: typeof fetch;
  concurrency?: number;
  callbackTimeoutMs?: number;
};

type Step = { status: string; errorCode?: number; errorMessage?: string; delayMs: number | null };

/** What comes after `m.status`, and how long until the step after that. */
export function nextStep(m: SandboxTwilioMessage, delays: Delays): Step | null {
  const failure = DELIVERY_FAILURES[m.to];
  switch (m.status) {
    case "accepted":
      return { status: "queued", delayMs: delays.queuedMs };
    case "queued":
      if (failure?.status === "failed") return { status: "failed", errorCode: failure.code, errorMessage: failure.message, delayMs: null };
      return { status: "sent", delayMs: delays.sentMs };
    case "sent":
      if (failure) return { status: failure.status, errorCode: failure.code, errorMessage: failure.message, delayMs: null };
      return { status: "delivered", delayMs: null };
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

export class Lifecycle {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private readonly inFlight = new Set<string>();
  private stopped = false;
  private readonly concurrency: number;

  constructor(private readonly o: LifecycleOptions) {
    this.concurrency = o.concurrency ?? 32;
  }

  /** After a restart: send owed callbacks and run due steps. */
  resume(): void {
    for (const sid of owingCallbacks(this.o.db)) this.start(sid);
    this.kick();
  }

  /** A message was created: send its first callback now and schedule its next step. */
  started(sid: string): void {
    this.start(sid);
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Waits until no step or callback is in flight (for tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await new Promise((r) => setTimeout(r, 5));
  }

  private kick(): void {
    this.schedule(0);
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
      if (room > 0) for (const m of dueMessages(this.o.db, Date.now(), [...this.inFlight], room)) this.start(m.sid);
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
        this.kick();
      });
  }

  /** Callback for the current status first, then the next step once due: a callback never overtakes its predecessor. */
  private async run(sid: string): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const m = getMessage(this.o.db, sid);
      if (!m) return;
      if (m.statusCallback && m.callbackStatus !== m.status) {
        await this.postCallback(m, m.statusCallback);
        updateMessage(this.o.db, sid, { callbackStatus: m.status });
        continue;
      }
      if (m.nextAt === null || m.nextAt > Date.now()) return;
      const step = nextStep(m, this.o.delays);
      const now = Date.now();
      if (!step) {
        updateMessage(this.o.db, sid, { nextAt: null });
        return;
      }
      updateMessage(this.o.db, sid, {
        status: step.status,
        errorCode: step.errorCode ?? null,
        errorMessage: step.errorMessage ?? null,
        dateUpdated: now,
        dateSent: step.status === "sent" ? now : m.dateSent,
        nextAt: step.delayMs === null ? null : now + step.delayMs,
      });
    }
  }

  private async postCallback(m: SandboxTwilioMessage, url: string): Promise<void> {
    const params = callbackParams(m);
    const attemptedAt = Date.now();
    try {
      const response = await (this.o.fetch ?? fetch)(this.o.transportUrl ? this.o.transportUrl(url) : url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          "user-agent": "TwilioProxy/1.1",
          "x-twilio-signature": signTwilioRequest(this.o.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.o.callbackTimeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      recordCallback(this.o.db, { messageSid: m.sid, status: m.status, url, httpStatus: response.status, error: null, attemptedAt });
    } catch (error) {
      // Like Twilio: a callback that fails is logged (here: recorded for the sandbox phone), not retried.
      const reason = (error as Error).cause ? String((error as Error & { cause: unknown }).cause) : (error as Error).message;
      recordCallback(this.o.db, { messageSid: m.sid, status: m.status, url, httpStatus: null, error: reason, attemptedAt });
    }
  }
}
