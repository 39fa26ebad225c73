// The operator jobs each server process schedules: the alert checks every minute and the retention job daily. A lease
// in the database makes sure only one process runs a job at a time; its last run is recorded for the console.
import "server-only";
import { getDb, type Db } from "@/db/client";
import type { JobRun } from "@/db/schema";
import { getEnv, type Env } from "@/lib/env";
import { log } from "@/lib/log";
import { runRetention } from "@/lib/privacy/retention";
import { remember } from "@epic-web/remember";
import { pruneReceipts } from "@/lib/webhooks/queries";
import { applyAlerts, evaluateAlerts } from "./alerts";
import { finishJob, jobRun, takeJobLease } from "./queries/jobs";

type JobSpec = { label: string; everyMs: number; leaseMs: number; run: (db: Db, env: Env, now: Date) => Record<string, unknown> };

/** Webhook counts are kept this long (the console shows the last 24 hours and the last receipt). */
const KEEP_RECEIPTS_MS = 30 * 24 * 3600_000;

export const JOBS = {
  alerts: {
    label: "Alert checks",
    everyMs: 60_000,
    leaseMs: 60_000,
    run: (db, env, now) => ({ started: applyAlerts(db, evaluateAlerts(db, now), env.appUrl, now) }),
  },
  retention: {
    label: "Retention",
    everyMs: 24 * 3600_000,
    leaseMs: 30 * 60_000,
    run: (db, env, now) => ({ ...runRetention(db, env.retentionDays, now), webhookHoursPruned: pruneReceipts(db, new Date(now.getTime() - KEEP_RECEIPTS_MS)) }),
  },
} satisfies Record<string, JobSpec>;
export type JobName = keyof typeof JOBS;

export type JobOutcome = { ran: false } | { ran: true; ok: boolean; summary: Record<string, unknown> };

/** Runs a job now unless another process holds it; records the outcome. Never throws. */
export function runJob(db: Db, env: Env, name: JobName, trigger: string, now = new Date()): JobOutcome {
  const job: JobSpec = JOBS[name];
  if (!takeJobLease(db, name, now, new Date(now.getTime() + job.leaseMs))) return { ran: false };
  let ok = true;
  let summary: Record<string, unknown>;
  try {
    summary = job.run(db, env, now);
  } catch (error) {
    ok = false;
    summary = { error: (error as Error).message };
    log.error({ err: error, job: name }, `operator job ${name} failed; it runs again at its next turn`);
  }
  finishJob(db, name, { ok, summary, trigger, at: new Date() });
  return { ran: true, ok, summary };
}

export function lastRun(db: Db, name: JobName): JobRun | undefined {
  return jobRun(db, name);
}

const TICK_MS = 30_000;

function tick(): void {
  try {
    const db = getDb();
    const env = getEnv();
    const now = new Date();
    for (const name of Object.keys(JOBS) as JobName[]) {
      const last = jobRun(db, name)?.lastStartedAt?.getTime() ?? 0;
      if (now.getTime() - last >= JOBS[name].everyMs) runJob(db, env, name, "schedule", now);
    }
  } catch (error) {
    log.error({ err: error }, "operator jobs tick failed");
  }
}

/** Starts this process's job timer once (from instrumentation.ts). The first tick comes a few seconds after start. */
export function startOperatorJobs(): void {
  remember("operator-jobs", () => {
    setTimeout(tick, 5_000).unref();
    return setInterval(tick, TICK_MS).unref();
  });
}
