// The Integrations section: the doctor's checks run live from the console (cached for a few minutes; an admin can run
// them again), and per webhook kind the last one received and, over 24 hours, how many were refused and the likely
// cause of each refusal.
import "server-only";
import { databaseStatus, getDb, type Db } from "@/db/client";
import { WEBHOOK_KINDS, type WebhookKind } from "@/db/schema";
import { configChecks, databaseResult } from "@/lib/doctor/core";
import { credentialChecks } from "@/lib/doctor/credentials";
import { mailChecks } from "@/lib/doctor/mail";
import { fail, type CheckResult } from "@/lib/doctor/types";
import type { Env } from "@/lib/env";
import { remember } from "@epic-web/remember";
import { twilioChecks } from "@/lib/twilio/doctor";
import { refusalWords, type WebhookRefusal } from "@/lib/twilio/webhook";
import { flushWebhookReceipts } from "@/lib/webhooks/receipts";
import { lastReceipts, receiptCounts } from "@/lib/webhooks/queries";
import { yotiChecks } from "@/lib/yoti/doctor";
import { notificationRefusalWords } from "@/lib/yoti/notification";

export type DoctorRun = { at: Date; ms: number; results: CheckResult[] };

/** Results are reused this long: each run calls Yoti, Twilio and the mail server. */
export const DOCTOR_CACHE_MS = 5 * 60_000;
const CHECK_TIMEOUT_MS = 15_000;

type Group = { name: string; run: (env: Env) => Promise<CheckResult[]> };

const GROUPS: Group[] = [
  { name: "configuration", run: configChecks },
  { name: "database", run: async (env) => [databaseResult(env, databaseStatus(getDb()))] },
  { name: "Yoti", run: yotiChecks },
  { name: "Twilio", run: twilioChecks },
  { name: "email", run: mailChecks },
  { name: "credentials", run: credentialChecks },
];

async function runGroup(group: Group, env: Env): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(() => resolve([fail(group.name, `the checks did not answer within ${CHECK_TIMEOUT_MS / 1000} s: the provider or the network is slow or unreachable`)]), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([group.run(env).catch((error: unknown) => [fail(group.name, `could not run: ${(error as Error)?.message ?? String(error)}`)]), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const cache = () => remember("console-doctor", () => ({ last: null as DoctorRun | null, running: null as Promise<DoctorRun> | null }));

/** The doctor's checks: the cached run when fresh (unless `fresh`), else a new one (concurrent callers share it). */
export async function integrationChecks(env: Env, opts: { fresh?: boolean; now?: number } = {}): Promise<DoctorRun> {
  const c = cache();
  const now = opts.now ?? Date.now();
  if (!opts.fresh && c.last && now - c.last.at.getTime() < DOCTOR_CACHE_MS) return c.last;
  c.running ??= (async () => {
    const started = Date.now();
    const results = (await Promise.all(GROUPS.map((g) => runGroup(g, env)))).flat();
    c.last = { at: new Date(), ms: Date.now() - started, results };
    return c.last;
  })().finally(() => {
    c.running = null;
  });
  return c.running;
}

export type WebhookHealth = {
  kind: WebhookKind;
  label: string;
  lastAccepted: Date | null;
  lastRefused: Date | null;
  accepted24h: number;
  refused24h: number;
  /** Accepted Twilio webhooks by the token that signed them; Yoti notifications by what became of them. */
  acceptedBy: { detail: string; count: number; lastAt: Date | null }[];
  refusals: { cause: string; count: number; lastAt: Date | null; words: string; hint: string | null }[];
};

const LABELS: Record<WebhookKind, string> = {
  yoti_notification: "Yoti notification",
  twilio_status: "Twilio status callback",
  twilio_inbound: "Twilio inbound SMS",
};

function words(kind: WebhookKind, cause: string): string {
  if (kind === "yoti_notification") return notificationRefusalWords(cause as "malformed" | "bad_signature" | "too_large");
  return refusalWords(cause as WebhookRefusal);
}

export function webhookHealth(db: Db, now = new Date()): WebhookHealth[] {
  // Counts noted in the last second are written first, so the page shows the request that was just made.
  flushWebhookReceipts();
  const last = lastReceipts(db);
  const counts = receiptCounts(db, new Date(now.getTime() - 24 * 3600_000));
  return WEBHOOK_KINDS.map((kind) => {
    const mine = counts.filter((c) => c.kind === kind);
    const accepted = mine.filter((c) => c.outcome === "accepted");
    const refused = mine.filter((c) => c.outcome === "refused");
    return {
      kind,
      label: LABELS[kind],
      lastAccepted: last.find((l) => l.kind === kind && l.outcome === "accepted")?.lastAt ?? null,
      lastRefused: last.find((l) => l.kind === kind && l.outcome === "refused")?.lastAt ?? null,
      accepted24h: accepted.reduce((n, c) => n + c.count, 0),
      refused24h: refused.reduce((n, c) => n + c.count, 0),
      acceptedBy: accepted.map((c) => ({ detail: c.detail, count: c.count, lastAt: c.lastAt })),
      refusals: refused.sort((a, b) => b.count - a.count).map((c) => ({ cause: c.detail, count: c.count, lastAt: c.lastAt, words: words(kind, c.detail), hint: c.hint })),
    };
  });
}
