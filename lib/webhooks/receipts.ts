// Every webhook the app verifies (Yoti notifications, Twilio status callbacks and inbound SMS) is counted here: accepted
// (and, for Twilio, which auth token signed it) or refused with its likely cause. Counts are kept in memory and written
// at most once a second, so neither a busy callback stream nor a flood of forged requests costs a write per request;
// a crash loses at most that second of counts, which only the console's figures would miss.
import "server-only";
import { getDb, type Db } from "@/db/client";
import type { WebhookKind } from "@/db/schema";
import { log } from "@/lib/log";
import { remember } from "@epic-web/remember";
import { addReceipts, type ReceiptBatchRow } from "./queries";

export type WebhookNote = { kind: WebhookKind; outcome: "accepted" | "refused"; detail: string; hint?: string | null };

const FLUSH_EVERY_MS = 1000;

export class WebhookRecorder {
  private pending = new Map<string, ReceiptBatchRow>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: () => Db) {}

  note(n: WebhookNote, at = Date.now()): void {
    const hour = Math.floor(at / 3600_000) * 3600_000;
    const key = `${n.kind}\u0000${hour}\u0000${n.outcome}\u0000${n.detail}`;
    const row = this.pending.get(key);
    if (row) {
      row.count++;
      row.lastAt = new Date(Math.max(row.lastAt.getTime(), at));
      if (n.hint) row.hint = n.hint.slice(0, 300);
    } else {
      this.pending.set(key, { kind: n.kind, hour, outcome: n.outcome, detail: n.detail.slice(0, 60), count: 1, lastAt: new Date(at), hint: n.hint?.slice(0, 300) ?? null });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_EVERY_MS);
      this.timer.unref?.();
    }
  }

  /** Writes what was counted since the last flush. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending.size) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      addReceipts(this.db(), rows);
    } catch (error) {
      log.warn({ err: error }, "could not record webhook receipts");
    }
  }
}

const recorder = () => remember("webhook-recorder", () => new WebhookRecorder(getDb));

/** Counts one webhook request (written within a second). */
export function noteWebhook(note: WebhookNote): void {
  recorder().note(note);
}

/** Writes the counts now (tests, and the console before it reads them). */
export function flushWebhookReceipts(): void {
  recorder().flush();
}
