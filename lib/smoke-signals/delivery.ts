// What the outbox reports about smoke-signal messages, applied to the signal and its timeline: the smoke-signal
// domain's senders (registered with the outbox in lib/senders.ts), and the one place a signal's status changes.
import "server-only";
import type { Db } from "@/db/client";
import type { SignalStatus } from "@/db/schema";
import { EMAIL_SUPPRESSED_REASON, isEmailSuppressed } from "@/lib/email/unsubscribe";
import type { OutboxSender, Refusal } from "@/lib/outbox/senders";
import type { StatusOutcome } from "@/lib/twilio/status";
import { addTimelineEntry, signalState, writeSignalState } from "./queries";
import { learnOptOut, refuseOptedOut } from "./suppression";

/** The outbox purpose of invitations. */
export const SMOKE_SIGNAL = "smoke_signal";
/**
 * The purpose join alerts had before they became account alerts ("invitee_joined", lib/alerts): nothing new is queued
 * under it, but messages queued before the upgrade are still sent (and honour STOP).
 */
export const JOIN_ALERT = "join_alert";

/** Fairness key: a member's messages queue behind each other, never behind another member's. */
export const memberKey = (memberId: string) => `member:${memberId}`;

const SIGNAL_STATUS: Record<StatusOutcome, SignalStatus> = { pending: "Pending", delivered: "Delivered", failed: "Failed" };

/** Moves a signal to a new status and appends it to its timeline (when something changed, or a note is given). */
export function setSignalStatus(
  db: Db,
  signalId: string,
  next: { status: SignalStatus; providerStatus?: string | null; errorCode?: number | null; reason?: string | null; providerSid?: string; note?: string },
): void {
  const current = signalState(db, signalId);
  if (!current) return;
  const providerStatus = next.providerStatus === undefined ? current.providerStatus : next.providerStatus;
  const errorCode = next.errorCode === undefined ? current.errorCode : next.errorCode;
  const reason = next.reason === undefined ? current.reason : next.reason;
  const changed = current.status !== next.status || current.providerStatus !== providerStatus || errorCode !== current.errorCode;
  const now = Date.now();
  const newSid = next.providerSid && next.providerSid !== current.providerSid ? next.providerSid : undefined;
  if (changed || reason !== current.reason || newSid) {
    writeSignalState(db, signalId, { status: next.status, providerStatus, errorCode, reason, ...(newSid ? { providerSid: newSid } : {}) }, now);
  }
  if (changed || next.note) addTimelineEntry(db, signalId, { status: next.status, providerStatus, errorCode, note: next.note ?? null }, now);
}

/** An invitation also honours an email unsubscribe that arrived while it waited in the queue. */
function refuseInvitation(tx: Db, message: { channel: string; recipient: string }): Refusal | null {
  if (message.channel === "Email" && isEmailSuppressed(tx, message.recipient)) {
    return { errorCode: null, operatorMessage: "recipient is on the email suppression list (unsubscribed)", memberMessage: EMAIL_SUPPRESSED_REASON };
  }
  return refuseOptedOut(tx, message);
}

export const smokeSignalSender: OutboxSender = {
  refuse: refuseInvitation,
  onStatus(tx, message, report) {
    if (!message.ownerId) return;
    setSignalStatus(tx, message.ownerId, {
      status: SIGNAL_STATUS[report.outcome],
      providerStatus: report.providerStatus,
      providerSid: report.providerId,
      // A failure carries its own reason; any other report ends a wait the member was told about.
      ...(report.failure ? { errorCode: report.failure.errorCode, reason: report.failure.memberMessage } : report.outcome === "failed" ? {} : { reason: null }),
    });
  },
  onDelayed(tx, message, { memberMessage }) {
    if (!message.ownerId) return;
    const current = signalState(tx, message.ownerId);
    // Still Pending, with the reason the member can see; the timeline notes each new reason once, not every retry.
    if (!current || current.status !== "Pending" || current.reason === memberMessage) return;
    setSignalStatus(tx, message.ownerId, { status: "Pending", reason: memberMessage, note: memberMessage });
  },
  onFailed(tx, message, failure) {
    learnOptOut(tx, message, failure);
    if (!message.ownerId) return;
    setSignalStatus(tx, message.ownerId, { status: "Failed", errorCode: failure.errorCode, reason: failure.memberMessage, note: failure.memberMessage });
  },
};

/** Join alerts queued before the upgrade: no record of their own to update, but they honour opt-outs like every SMS. */
export const joinAlertSender: OutboxSender = { refuse: refuseOptedOut, onFailed: learnOptOut };
