// The retention job: after RETENTION_DAYS, raw Yoti results (evidence ids, estimated ages, notifications) and message
// bodies are purged, keeping what members and the audit need (verified, method, date, status; a message's status,
// segments and price). Idempotent and batched; the scheduler runs it daily and the console shows its last run.
import "server-only";
import type { Db } from "@/db/client";
import {
  purgeMessageBodies,
  purgeProfileResults,
  purgeSandboxBodies,
  purgeSignalMessages,
  purgeVerificationNotifications,
  purgeVerificationResults,
} from "./queries";

export type RetentionSummary = {
  retentionDays: number;
  cutoff: string;
  messageBodies: number;
  smokeSignalMessages: number;
  verificationResults: number;
  profileResults: number;
  yotiNotifications: number;
  sandboxCopies: number;
};

export function runRetention(db: Db, retentionDays: number, now = new Date()): RetentionSummary {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600_000);
  return {
    retentionDays,
    cutoff: cutoff.toISOString(),
    messageBodies: purgeMessageBodies(db, cutoff, now),
    smokeSignalMessages: purgeSignalMessages(db, cutoff),
    verificationResults: purgeVerificationResults(db, cutoff, now),
    profileResults: purgeProfileResults(db, cutoff),
    yotiNotifications: purgeVerificationNotifications(db, cutoff),
    sandboxCopies: purgeSandboxBodies(db, cutoff),
  };
}
