// The in-process dispatcher: claims due outbox messages fairly and sends them at the configured rate, and asks Twilio
// for the status of sent messages whose final status is overdue; one per process.
import "server-only";
import { remember } from "@epic-web/remember";
import { getDb, type Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { MAX_CONCURRENT_REQUESTS } from "@/lib/twilio/limits";
import { getTwilio } from "@/lib/twilio/runtime";
import { statusCallbackUrl } from "@/lib/twilio/webhook";
import { checkStatus, deliver, type Ports } from "./deliver";
import { TokenBucket } from "./pacing";
import { deliveryPolicy, LIVE_POLICY, type DeliveryPolicy } from "./policy";
import { claimDue, claimStatusChecks, hasDue, pruneFairness, pruneOrphans, renewLeases } from "./queue";

export type DispatcherOptions = {
  db: Db;
  mps: number;
  ports: Ports;
  policy?: DeliveryPolicy;
  /** How long a claim lasts unless renewed; a dead process's claims are taken over (and checked) after it. */
  leaseMs?: number;
  /** How often to look for due messages when nobody kicks us. */
  pollMs?: number;
  /** Requests in flight at most: below Twilio's account concurrency limit, which answers 20429 beyond it. */
  maxInFlight?: number;
};

/**
 * How often sent messages due a status check (an overdue final status, a price still to come) are looked for, and how
 * many are checked each time at least: as many as the send rate allows to be sent in that time, so the look-ups keep
 * pace with what is sent (every billed SMS is looked up once for its price).
 */
const STATUS_CHECK_EVERY_MS = 1000;
const MIN_STATUS_CHECKS = 8;

export class Dispatcher {
  private readonly bucket: TokenBucket;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastPrune = 0;
  private lastStatusCheck = 0;
  /** Messages this process is working on now (their leases are renewed while it does). */
  private readonly holding = new Set<string>();
  private lastRenew = 0;
  private readonly idle = new Set<() => void>();
  private readonly maxInFlight: number;
  private readonly policy: DeliveryPolicy;
  /** Tokens worth claiming at once: about 20 ms of the rate, so a high rate is served in batches, not one query per message. */
  private readonly batch: number;
  /** Free slots worth a claim when every slot was busy. */
  private readonly refill: number;

  constructor(private readonly opts: DispatcherOptions) {
    // A burst of a tenth of a second at most: the sender's queue at Twilio stays empty.
    const burst = Math.max(1, Math.floor(opts.mps / 10));
    this.bucket = new TokenBucket(opts.mps, burst);
    this.batch = Math.max(1, Math.min(burst, Math.floor(opts.mps / 50)));
    this.maxInFlight = opts.maxInFlight ?? Math.min(MAX_CONCURRENT_REQUESTS, Math.max(4, opts.mps));
    this.refill = Math.max(1, Math.floor(this.maxInFlight / 8));
    this.policy = opts.policy ?? LIVE_POLICY;
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
      if (this.inFlight === 0 && !hasDue(this.opts.db)) return;
      await new Promise<void>((resolve) => {
        this.idle.add(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  private run(id: string, work: Promise<unknown>): void {
    this.inFlight++;
    this.holding.add(id);
    void work.finally(() => {
      this.inFlight--;
      this.holding.delete(id);
      this.idle.forEach((resolve) => resolve());
      this.idle.clear();
      // Every slot was busy: claim again once a few are free, not once per finished send.
      if (this.maxInFlight - this.inFlight === this.refill) this.schedule(0);
    });
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    const { db, ports, leaseMs = 30_000, pollMs = 250 } = this.opts;
    let claimed = 0;
    let room = 0;
    const slots = this.maxInFlight - this.inFlight;
    try {
      const now = Date.now();
      if (now - this.lastPrune > 3600_000) {
        this.lastPrune = now;
        pruneOrphans(db);
        pruneFairness(db);
      }
      // Renew before claiming, so work still in flight here never looks abandoned (a third of the lease ahead).
      if (this.holding.size && now - this.lastRenew >= leaseMs / 3) {
        this.lastRenew = now;
        renewLeases(db, [...this.holding], now + leaseMs);
      }
      room = Math.min(slots, this.bucket.available());
      const batch = claimDue(db, room, leaseMs, now);
      claimed = batch.length;
      for (const msg of batch) {
        this.bucket.take();
        this.run(msg.id, deliver(db, msg, ports, this.policy));
      }
      if (now - this.lastStatusCheck >= STATUS_CHECK_EVERY_MS) {
        this.lastStatusCheck = now;
        const free = Math.min(Math.max(MIN_STATUS_CHECKS, Math.ceil((this.opts.mps * STATUS_CHECK_EVERY_MS) / 1000)), this.maxInFlight - this.inFlight);
        for (const msg of claimStatusChecks(db, free, leaseMs, now)) this.run(`status:${msg.id}`, checkStatus(db, msg, ports, this.policy));
      }
    } catch (error) {
      log.error({ err: error }, "outbox dispatcher tick failed");
    }
    // Fewer due than we could take: the queue is empty, poll at leisure. Every slot busy: a finishing send wakes us.
    // Otherwise more may be waiting: come back when the next batch of tokens is due.
    const queueEmpty = claimed < room;
    this.schedule(queueEmpty || slots <= claimed ? pollMs : Math.max(1, this.bucket.waitMs(Math.min(this.batch, Math.max(1, slots - claimed)))));
  }
}

/** This process's dispatcher, once started (shared by the instrumentation hook and every route). */
const running = () => remember("outbox.dispatcher", () => ({}) as { dispatcher?: Dispatcher });

/** The real providers. Their SDKs (Twilio's, nodemailer) load on the first message, not at start (decision 031). */
export function defaultPorts(db: Db): Ports {
  return {
    sms: () => getTwilio(),
    mail: async (mail) => (await import("@/lib/email/mailer")).sendMail(db, mail),
    statusCallbackUrl,
  };
}

/** Starts this process's dispatcher once (from instrumentation.ts, after the senders are registered). */
export function startDispatcher(): Dispatcher {
  const slot = running();
  if (!slot.dispatcher) {
    const db = getDb();
    const env = getEnv();
    slot.dispatcher = new Dispatcher({ db, mps: env.twilio.mps, ports: defaultPorts(db), policy: deliveryPolicy() }).start();
    log.info({ mps: env.twilio.mps }, "outbox dispatcher started");
  }
  return slot.dispatcher;
}

/** Wakes the dispatcher after a commit, if this process runs one. */
export function kickDispatcher(): void {
  running().dispatcher?.kick();
}
