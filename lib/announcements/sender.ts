// What the outbox asks and tells about announcement emails and texts (purpose "announcement"): just before sending,
// the member's consent must still stand (a text only to the number they agreed for, never to one that replied STOP; an
// email not after they unsubscribed); a failure's reason is kept for the announcement's progress.
import "server-only";
import type { OutboxSender } from "@/lib/outbox/senders";
import { isEmailSuppressed } from "@/lib/email/unsubscribe";
import { learnOptOut, refuseOptedOut } from "@/lib/smoke-signals/suppression";
import { messageById, preferenceRow, setMessageReason } from "./queries";

export const announcementSender: OutboxSender = {
  refuse(tx, message) {
    const row = message.ownerId ? messageById(tx, message.ownerId) : undefined;
    const optedOut = refuseOptedOut(tx, message);
    if (optedOut) return optedOut;
    if (!row?.memberId) return null;
    const prefs = preferenceRow(tx, row.memberId);
    if (message.channel === "SMS" && (!prefs?.smsConsentAt || prefs.smsConsentPhone !== message.recipient)) {
      return { errorCode: null, operatorMessage: "the member withdrew their consent to announcement texts before it was sent", memberMessage: "The member withdrew their consent to announcement texts before it was sent." };
    }
    if (message.channel === "Email" && (!prefs?.emailConsentAt || isEmailSuppressed(tx, message.recipient))) {
      return { errorCode: null, operatorMessage: "the member unsubscribed from announcement emails before it was sent", memberMessage: "The member unsubscribed from announcement emails before it was sent." };
    }
    return null;
  },
  onStatus(tx, message, report) {
    if (message.ownerId && report.outcome === "failed" && report.failure) setMessageReason(tx, message.ownerId, report.failure.memberMessage);
  },
  onFailed(tx, message, failure) {
    learnOptOut(tx, message, failure);
    if (message.ownerId) setMessageReason(tx, message.ownerId, failure.memberMessage);
  },
};
