// Sends one claimed outbox message and settles it: sent, retry later, failed for good, or outcome unknown (checked at
// Twilio before any resend, so nothing is ever sent twice).
import "server-only";
import type { Db } from "@/db/client";
import { MailError } from "@/lib/email/errors";
import type { MailReceipt, OutgoingMail } from "@/lib/email/mailer";
import { log } from "@/lib/log";
import { adoptOrphans, applyReport, setSignalStatus } from "@/lib/smoke-signals/tracking";
import { isSuppressed, SUPPRESSED_REASON } from "@/lib/smoke-signals/suppression";
import type { getTwilio } from "@/lib/twilio/client";
import { TwilioError } from "@/lib/twilio/errors";
import { retryDelayMs } from "./pacing";
import { recordAttempt, settle, type AttemptOutcome, type Claimed } from "./queue";

export type SmsPort = Pick<ReturnType<typeof getTwilio>, "sendSms" | "listMessages">;
export type MailPort = (mail: OutgoingMail) => Promise<MailReceipt>;
export type Ports = { sms: () => SmsPort; mail: MailPort; statusCallbackUrl: () => string };

/** After this many attempts a message that still cannot be sent (or confirmed) is given up as failed. */
export const MAX_ATTEMPTS = 8;
// Clock skew allowance when asking Twilio for messages sent since our first attempt.
const LOOKBACK_MS = 5 * 60_000;

function tx<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

function giveUp(db: Db, msg: Claimed, startedAt: Date, outcome: AttemptOutcome, code: number | null, operator: string, member: string) {
  tx(db, () => {
    recordAttempt(db, msg.id, startedAt, outcome, { errorCode: code, detail: operator });
    if (!settle(db, msg.id, { state: "failed", lastError: operator })) return;
    // The timeline is shown to the member: plain words only; the operator detail stays in the outbox and attempts.
    if (msg.signalId) setSignalStatus(db, msg.signalId, { status: "Failed", errorCode: code, reason: member, note: member });
  });
}

function later(db: Db, msg: Claimed, startedAt: Date, outcome: "retry" | "unknown", code: number | null, detail: string) {
  const wait = retryDelayMs(msg.attempts);
  // The operator's only live signal while a provider is down or misconfigured: say what failed and what to do, each time.
  log.warn(
    { outboxId: msg.id, channel: msg.channel, attempt: msg.attempts, code, detail, retryInSeconds: Math.round(wait / 1000) },
    outcome === "unknown" ? "outbox send outcome unknown; checking before any resend" : "outbox send failed; retrying later",
  );
  tx(db, () => {
    recordAttempt(db, msg.id, startedAt, outcome, { errorCode: code, detail });
    settle(db, msg.id, { state: outcome === "unknown" ? "unknown" : "queued", nextAttemptAt: new Date(Date.now() + wait), lastError: detail });
  });
}

function accepted(db: Db, msg: Claimed, startedAt: Date, outcome: "sent" | "found", sid: string, status: string, errorCode: number | null = null) {
  tx(db, () => {
    recordAttempt(db, msg.id, startedAt, outcome, { detail: `${sid} ${status}`, errorCode });
    if (!settle(db, msg.id, { state: "sent", providerId: sid, sentAt: new Date() })) return;
    // A message found by the outcome check may already have failed: keep Twilio's code so the reason is the real one.
    applyReport(db, { sid, status, errorCode });
    adoptOrphans(db, sid);
  });
}

async function deliverSms(db: Db, msg: Claimed, ports: Ports, startedAt: Date): Promise<AttemptOutcome> {
  const twilio = ports.sms();
  if (msg.checkFirst) {
    // The previous attempt may have reached Twilio: look for it before sending again.
    try {
      const since = new Date((msg.firstAttemptAt ?? msg.createdAt).getTime() - LOOKBACK_MS);
      // A Trial account's messages carry Twilio's "Sent from your Twilio trial account - " prefix, so compare the end.
      const found = (await twilio.listMessages({ to: msg.recipient, since })).find((m) => m.body === msg.body || m.body.endsWith(msg.body));
      if (found) {
        accepted(db, msg, startedAt, "found", found.sid, found.status, found.errorCode);
        return "found";
      }
      recordAttempt(db, msg.id, startedAt, "not_found", { detail: "no earlier send found at Twilio; sending" });
    } catch (error) {
      const detail = `could not check Twilio for an earlier send: ${(error as Error).message}`;
      if (msg.attempts >= MAX_ATTEMPTS) {
        giveUp(db, msg, startedAt, "failed", null, detail, "We could not confirm whether this message was sent. Please check with the recipient before sending again.");
        return "failed";
      }
      later(db, msg, startedAt, "unknown", null, detail);
      return "unknown";
    }
  }
  if (isSuppressed(db, msg.recipient)) {
    giveUp(db, msg, startedAt, "suppressed", 21610, "recipient is on the suppression list (replied STOP)", SUPPRESSED_REASON);
    return "suppressed";
  }
  try {
    const sent = await twilio.sendSms({ to: msg.recipient, body: msg.body, statusCallback: ports.statusCallbackUrl() });
    accepted(db, msg, startedAt, "sent", sent.sid, sent.status);
    return "sent";
  } catch (error) {
    const e = error instanceof TwilioError ? error : null;
    const code = e?.code ?? null;
    const operator = e?.operatorMessage || (error as Error).message;
    // Anything we cannot classify might have reached Twilio: treat it as outcome unknown, never as safe to resend.
    if (!e || e.outcomeUnknown) {
      if (msg.attempts >= MAX_ATTEMPTS) {
        giveUp(db, msg, startedAt, "failed", code, operator, "We could not confirm whether this message was sent. Please check with the recipient before sending again.");
        return "failed";
      }
      later(db, msg, startedAt, "unknown", code, operator);
      return "unknown";
    }
    if (e.retryable && msg.attempts < MAX_ATTEMPTS) {
      later(db, msg, startedAt, "retry", code, operator);
      return "retry";
    }
    log.warn({ outboxId: msg.id, code, detail: operator }, "SMS could not be sent");
    giveUp(db, msg, startedAt, "failed", code, operator, e.memberMessage);
    return "failed";
  }
}

async function deliverMail(db: Db, msg: Claimed, ports: Ports, startedAt: Date): Promise<AttemptOutcome> {
  try {
    const receipt = await ports.mail({ to: msg.recipient, subject: msg.subject ?? "Select Exposure", text: msg.body, html: msg.html });
    tx(db, () => {
      recordAttempt(db, msg.id, startedAt, "sent", { detail: receipt.response.slice(0, 200) });
      if (!settle(db, msg.id, { state: "sent", providerId: receipt.messageId, providerStatus: "accepted", sentAt: new Date() })) return;
      if (msg.signalId) {
        setSignalStatus(db, msg.signalId, { status: "Delivered", providerStatus: receipt.caught ? "caught (sandbox)" : "accepted by mail server", providerSid: receipt.messageId });
      }
    });
    return "sent";
  } catch (error) {
    const e = error instanceof MailError ? error : new MailError((error as Error).message, true, "Email could not be sent yet; we will try again.");
    if (e.retryable && msg.attempts < MAX_ATTEMPTS) {
      later(db, msg, startedAt, "retry", e.responseCode, e.operatorMessage);
      return "retry";
    }
    log.warn({ outboxId: msg.id, detail: e.operatorMessage }, "email could not be sent");
    giveUp(db, msg, startedAt, "failed", e.responseCode, e.operatorMessage, e.memberMessage);
    return "failed";
  }
}

/** Delivers one claimed message; never throws (every outcome is recorded). */
export async function deliver(db: Db, msg: Claimed, ports: Ports): Promise<AttemptOutcome> {
  const startedAt = new Date();
  try {
    return msg.channel === "SMS" ? await deliverSms(db, msg, ports, startedAt) : await deliverMail(db, msg, ports, startedAt);
  } catch (error) {
    // A bug or a database error: leave the claim to expire, which makes the next attempt check before resending.
    log.error({ err: error, outboxId: msg.id }, "outbox delivery crashed");
    return "unknown";
  }
}
