// What the outbox reports about account messages, kept on their account_messages row: the sender registered for links
// and codes, and the base that the alerts' sender builds on. A link or code that expired while it waited (an outage)
// is not sent late, and nothing goes to a number that replied STOP.
import "server-only";
import type { Db } from "@/db/client";
import type { AccountMessage, OutboxMessage } from "@/db/schema";
import type { OutboxSender, Refusal } from "@/lib/outbox/senders";
import { learnOptOut, refuseOptedOut } from "@/lib/smoke-signals/suppression";
import { accountMessageById, setAccountMessageState } from "./queries";

export const EXPIRED_REASON = "It expired before it could be sent. Ask for a new one.";

type Extra = {
  /** A further reason not to send, checked after expiry and STOP. */
  refuse?(tx: Db, row: AccountMessage, message: OutboxMessage): Refusal | null;
  /** After the row is marked failed. */
  onFailed?(tx: Db, row: AccountMessage, failure: { memberMessage: string }): void;
};

/** An OutboxSender that keeps account_messages rows up to date; `extra` adds a purpose's own rules. */
export function accountMessageSender(extra: Extra = {}): OutboxSender {
  const rowOf = (tx: Db, message: OutboxMessage) => (message.ownerId ? accountMessageById(tx, message.ownerId) : undefined);
  return {
    refuse(tx, message) {
      const row = rowOf(tx, message);
      if (row?.expiresAt && row.expiresAt.getTime() < Date.now()) {
        return { errorCode: null, operatorMessage: `account message (${row.kind}) expired before it could be sent`, memberMessage: EXPIRED_REASON };
      }
      const optedOut = refuseOptedOut(tx, message);
      if (optedOut) return optedOut;
      return row && extra.refuse ? extra.refuse(tx, row, message) : null;
    },
    onStatus(tx, message, report) {
      const row = rowOf(tx, message);
      if (!row) return;
      if (report.outcome === "failed") {
        const reason = report.failure?.memberMessage ?? "The message could not be delivered.";
        if (row.state !== "failed") {
          setAccountMessageState(tx, row.id, "failed", reason);
          extra.onFailed?.(tx, row, { memberMessage: reason });
        }
      } else if (row.state === "queued") {
        setAccountMessageState(tx, row.id, "sent", null);
      }
    },
    onDelayed(tx, message, { memberMessage }) {
      const row = rowOf(tx, message);
      if (row && row.state === "queued" && row.reason !== memberMessage) setAccountMessageState(tx, row.id, "queued", memberMessage);
    },
    onFailed(tx, message, failure) {
      learnOptOut(tx, message, failure);
      const row = rowOf(tx, message);
      if (!row || row.state === "failed") return;
      setAccountMessageState(tx, row.id, "failed", failure.memberMessage);
      extra.onFailed?.(tx, row, failure);
    },
  };
}

/** The sender of links and codes (purpose "account_message"). */
export const accountMessagesSender = accountMessageSender();
