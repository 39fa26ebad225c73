// The in-process dispatcher: claims due outbox messages and sends them at the configured rate; one per process,
// kept on globalThis because Next bundles the instrumentation hook and every route separately.
import "server-only";
import { getDb, type Db } from "@/db/client";
import { sendMail } from "@/lib/email/mailer";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { pruneOrphans } from "@/lib/smoke-signals/tracking";
import { getTwilio } from "@/lib/twilio/client";
import { statusCallbackUrl } from "@/lib/twilio/webhook";
import { deliver, type Ports } from "./deliver";
import { TokenBucket } from "./pacing";
import { claimDue, renewLeases } from "./queue";

export type DispatcherOptions = {
  db: Db;
  mps: number;
  ports: Ports;
  /** How long a claim lasts; a send not settled by then is treated as outcome unknown. */
  leaseMs?: number;
  /** How often to look for due messages when nobody kicks us. */
  pollMs?: number;
  maxInFlight?: number;
};

export class Dispatcher {
  private readonly bucket: TokenBucket;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastPrune = 0;
  /** Messages this process is sending now, and when their leases were last extended. */
  private readonly holding = new Set<string>();
  private lastRenew = 0;
  private readonly idle = new Set<() => void>();
  private readonly maxInFlight: number;

  constructor(private readonly opts: DispatcherOptions) {
    // A burst of a tenth of a second at most: the provider measures its rate over short windows.
    this.bucket = new TokenBucket(opts.mps, Math.max(1, Math.floor(opts.mps / 10)));
    this.maxInFlight = opts.maxInFlight ?? Math.max(4, opts.mps * 2);
  }

  start(): this {
    if (!this.running) {
      this.running = true;
      this.schedule(0);
    }
    return this;
  }

  /** Stops claiming; sends in flight finish (and settle) on their own. */
  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Look for work now (called after a commit that enqueued something). */
  kick(): void {
    if (this.running) this.schedule(0);
  }

  /** Resolves when nothing is due and nothing is in flight (tests and benchmarks). */
  async drained(): Promise<void> {
    for (;;) {
      if (this.inFlight === 0 && !this.hasDue()) return;
      await new Promise<void>((resolve) => {
        this.idle.add(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private hasDue(): boolean {
    const now = Date.now();
    const row = this.opts.db.$client
      .prepare(`select 1 from outbox where (state in ('queued','unknown') and next_attempt_at <= ?) or (state = 'sending' and lease_until < ?) limit 1`)
      .get(now, now);
    return Boolean(row);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    const { db, ports, leaseMs = 60_000, pollMs = 250 } = this.opts;
    let claimed = 0;
    let room = 0;
    const slots = this.maxInFlight - this.inFlight;
    try {
      if (Date.now() - this.lastPrune > 3600_000) {
        this.lastPrune = Date.now();
        pruneOrphans(db);
      }
      // Renew before claiming, so a send still in flight here never looks abandoned (a third of the lease ahead).
      if (this.holding.size && Date.now() - this.lastRenew >= leaseMs / 3) {
        this.lastRenew = Date.now();
        renewLeases(db, [...this.holding], this.lastRenew + leaseMs);
      }
      room = Math.min(slots, this.bucket.available());
      const batch = claimDue(db, room, leaseMs);
      claimed = batch.length;
      for (const msg of batch) {
        this.bucket.take();
        this.inFlight++;
        this.holding.add(msg.id);
        void deliver(db, msg, ports).finally(() => {
          this.inFlight--;
          this.holding.delete(msg.id);
          this.idle.forEach((resolve) => resolve());
          this.idle.clear();
          if (this.inFlight === this.maxInFlight - 1) this.schedule(0);
        });
      }
    } catch (error) {
      log.error({ err: error }, "outbox dispatcher tick failed");
    }
    // Fewer due than we could take: the queue is empty, poll at leisure. Every slot busy: a finishing send wakes us.
    // Otherwise more may be waiting: come back when the next token is due.
    const queueEmpty = claimed < room;
    this.schedule(queueEmpty || slots <= claimed ? pollMs : Math.max(1, this.bucket.waitMs()));
  }
}

const holder = globalThis as unknown as { __seDispatcher?: Dispatcher };

export function defaultPorts(db: Db): Ports {
  return { sms: () => getTwilio(), mail: (mail) => sendMail(db, mail), statusCallbackUrl };
}

/** Starts this process's dispatcher once (from instrumentation.ts). */
export function startDispatcher(): Dispatcher {
  if (!holder.__seDispatcher) {
    const db = getDb();
    holder.__seDispatcher = new Dispatcher({ db, mps: getEnv().twilio.mps, ports: defaultPorts(db) }).start();
    log.info({ mps: getEnv().twilio.mps }, "outbox dispatcher started");
  }
  return holder.__seDispatcher;
}

/** Wakes the dispatcher after a commit, if this process runs one. */
export function kickDispatcher(): void {
  holder.__seDispatcher?.kick();
}
