// The outbox's only way to speak to the domains that use it: each registers a sender for its `purpose` (a smoke
// signal, a join alert, later codes and announcements) and is told every outcome of its messages. The outbox imports
// no domain: this keeps it a one-way layer that any future sender plugs into.
import "server-only";
import { remember } from "@epic-web/remember";
import type { Db } from "@/db/client";
import type { OutboxMessage } from "@/db/schema";
import type { StatusOutcome } from "@/lib/twilio/status";

/** Why a message must not be sent at all (checked just before each send). */
export type Refusal = { errorCode: number | null; operatorMessage: string; memberMessage: string };

export type StatusReport = {
  /** The provider's raw status after merging (SMS: Twilio's status; email: what the mail server did). */
  providerStatus: string;
  outcome: StatusOutcome;
  providerId: string;
  /** Set when this report made the message fail: the provider's code and plain words for the member. */
  failure?: { errorCode: number | null; memberMessage: string };
};

/**
 * What a domain does with its messages' outcomes. Every callback runs inside the outbox's transaction, so the domain's
 * record and the outbox row always agree; callbacks must be quick and must not call out of the process.
 */
export type OutboxSender = {
  /** Just before each send: a reason not to send (e.g. the recipient replied STOP), or null to go ahead. */
  refuse?(tx: Db, message: OutboxMessage): Refusal | null;
  /** A status the provider reported for the message (its answer to the send, a status callback, or a status check). */
  onStatus?(tx: Db, message: OutboxMessage, report: StatusReport): void;
  /** Not sent (or not confirmed) yet; it is retried or checked later. Words the member can be shown meanwhile. */
  onDelayed?(tx: Db, message: OutboxMessage, reason: { memberMessage: string }): void;
  /** Given up for good: not sent, refused, or never confirmed. */
  onFailed?(tx: Db, message: OutboxMessage, failure: { errorCode: number | null; memberMessage: string; operatorMessage: string }): void;
};

// One registry per process, shared by the instrumentation hook and every separately bundled route.
const senders = remember("outbox.senders", () => new Map<string, OutboxSender>());

/** Registers (or replaces) the sender for a purpose; idempotent, so every entry point may call it. */
export function registerOutboxSender(purpose: string, sender: OutboxSender): void {
  senders.set(purpose, sender);
}

export function senderFor(purpose: string): OutboxSender | undefined {
  return senders.get(purpose);
}
