// The job_runs table: a lease per job so one process runs it at a time, and the record of its last run.
import "server-only";
import { eq } from "drizzle-orm";
import { immediate, type Db } from "@/db/client";
import { jobRuns, type JobRun } from "@/db/schema";

/** Takes the job's lease until `until` when nobody holds it; false when another process is running it. */
export function takeJobLease(db: Db, name: string, now: Date, until: Date): boolean {
  return immediate(db, () => {
    const row = db.select().from(jobRuns).where(eq(jobRuns.name, name)).get();
    if (row?.leaseUntil && row.leaseUntil > now) return false;
    db.insert(jobRuns)
      .values({ name, leaseUntil: until, lastStartedAt: now })
      .onConflictDoUpdate({ target: jobRuns.name, set: { leaseUntil: until, lastStartedAt: now } })
      .run();
    return true;
  });
}

export function finishJob(db: Db, name: string, result: { ok: boolean; summary: Record<string, unknown>; trigger: string; at: Date }): void {
  db.update(jobRuns).set({ leaseUntil: null, lastFinishedAt: result.at, lastOk: result.ok, lastSummary: result.summary, lastTrigger: result.trigger }).where(eq(jobRuns.name, name)).run();
}

export function jobRun(db: Db, name: string): JobRun | undefined {
  return db.select().from(jobRuns).where(eq(jobRuns.name, name)).get();
}
