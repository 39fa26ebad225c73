// An announcement's progress as the admin watches it: per channel, how many of its messages were sent, delivered,
// failed (with the reasons) or are still waiting, from the outbox's own outcome of each message.
import "server-only";
import type { Db } from "@/db/client";
import type { AnnouncementState } from "@/db/schema";
import { announcementById, failureReasons, outcomeCounts } from "./queries";

export type ChannelProgress = {
  channel: "InApp" | "Email" | "SMS";
  total: number;
  /** Not sent yet (queued, being sent, or its outcome not known yet). */
  pending: number;
  /** Accepted by the provider (delivered included). */
  sent: number;
  delivered: number;
  failed: number;
  /** Never sent: the member deleted their account meanwhile. */
  cancelled: number;
  /** In-app: shown in the member's notifications. */
  shown: number;
};

export type Progress = {
  state: AnnouncementState;
  channels: ChannelProgress[];
  failures: { channel: ChannelProgress["channel"]; reason: string; n: number }[];
  /** Every recipient queued and every message sent or failed. */
  done: boolean;
  /** Texts sent whose delivery report has not come yet (carriers report within seconds, some never). */
  awaitingReports: number;
};

const CHANNELS = ["InApp", "Email", "SMS"] as const;

export function announcementProgress(db: Db, id: string): Progress | null {
  const a = announcementById(db, id);
  if (!a) return null;
  const counts = outcomeCounts(db, id);
  const channels = CHANNELS.map((channel) => {
    const of = (outcome: string) => counts.find((c) => c.channel === channel && c.outcome === outcome)?.n ?? 0;
    const delivered = of("delivered");
    const p: ChannelProgress = { channel, total: 0, pending: of("pending"), sent: of("sent") + delivered, delivered, failed: of("failed"), cancelled: of("cancelled"), shown: of("shown") };
    p.total = p.pending + p.sent + p.failed + p.cancelled + p.shown;
    return p;
  }).filter((c) => c.total > 0 || (c.channel === "InApp" ? a.inApp : c.channel === "Email" ? a.email : a.sms));
  const done = a.state === "sent" && channels.every((c) => c.pending === 0);
  const sms = channels.find((c) => c.channel === "SMS");
  return { state: a.state, channels, failures: failureReasons(db, id), done, awaitingReports: sms ? sms.sent - sms.delivered : 0 };
}

const LABEL = { InApp: "In the app", Email: "Email", SMS: "SMS" } as const;

/** One line per channel, e.g. "SMS: 3 of 4 sent, 2 delivered, 1 failed". */
export function progressLine(p: ChannelProgress): string {
  if (p.channel === "InApp") return `${LABEL.InApp}: ${p.shown} of ${p.total} shown`;
  const parts = [`${p.sent} of ${p.total} sent`];
  if (p.channel === "SMS") parts.push(`${p.delivered} delivered`);
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.cancelled) parts.push(`${p.cancelled} cancelled`);
  if (p.pending) parts.push(`${p.pending} waiting`);
  return `${LABEL[p.channel]}: ${parts.join(", ")}`;
}

/** What the console's progress shows: a line per channel, the failures' reasons, whether it is done. */
export type ProgressView = { lines: string[]; failures: string[]; done: boolean; queuing: boolean; awaitingReports: number };

export function progressView(db: Db, id: string): ProgressView | null {
  const p = announcementProgress(db, id);
  if (!p) return null;
  return {
    lines: p.channels.map(progressLine),
    failures: p.failures.map((f) => `${LABEL[f.channel]}: ${f.n} — ${f.reason}`),
    done: p.done,
    queuing: p.state === "sending",
    awaitingReports: p.awaitingReports,
  };
}
