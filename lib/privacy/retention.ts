// The retention job: after RETENTION_DAYS, raw Yoti results (evidence ids, estimated ages, notifications) and message
// bodies are purged, keeping what members and the audit need (verified, method, date, status; a message's status,
// segments and price), and sign-in sessions over by then (with the address and browser each recorded); emailed account
// links and recorded requests (addresses, sign-ups' password hashes) are forgotten a week after they expire. Idempotent and batched; the scheduler runs it daily and the console shows its
// last run.
import "server-only";
import type { Db } from "@/db/client";
import { SESSION_IDLE_MS } from "@/lib/auth/sessions";
import {
  purgeExpiredLinks,
  purgeMessageBodies,
  purgeOldSessions,
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
  accountLinks: number;
  signInSessions: number;
};

/** Expired links are kept a week for the request limits and the console's counts (decision 047), then forgotten. */
const KEEP_LINKS_AFTER_EXPIRY_MS = 7 * 24 * 3600_000;

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
    signInSessions: purgeOldSessions(db, cutoff, SESSION_IDLE_MS),
    accountLinks: purgeExpiredLinks(db, new Date(now.getTime() - KEEP_LINKS_AFTER_EXPIRY_MS)),
  };
}
