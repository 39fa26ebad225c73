// Sends one claimed outbox message and settles it: sent, retried later, failed for good, or outcome unknown. An
// unknown outcome is never taken for "not sent" early: the look-up at Twilio waits until the attempt can no longer
// create a message, and two look-ups a while apart must both find nothing before sending again (decision 017).
import "server-only";
import { commitSoon, immediate, type Db } from "@/db/client";
import type { OutboxMessage } from "@/db/schema";
import { MailError } from "@/lib/email/errors";
import type { MailReceipt, OutgoingMail } from "@/lib/email/mailer";
import { log } from "@/lib/log";
import type { TwilioClient } from "@/lib/twilio/client";
import { TWILIO_OPTED_OUT, TwilioError } from "@/lib/twilio/errors";
import { isBilledStatus, isFinalStatus, mergeStatus, priceMicros } from "@/lib/twilio/status";
import { retryDelayMs } from "./pacing";
import type { DeliveryPolicy } from "./policy";
import { recordAttempt, recordStatusCheck, settle, startAttempt, statusAndPrice, type AttemptOutcome, type Claimed, type SettlePatch } from "./queue";
import { senderFor, type OutboxSender } from "./senders";
import { adoptOrphans, applyReport } from "./tracking";

export type SmsPort = Pick<TwilioClient, "sendSms" | "listMessages" | "fetchMessage" | "timing">;
export type MailPort = (mail: OutgoingMail) => Promise<MailReceipt>;
export type Ports = { sms: () => SmsPort | Promise<SmsPort>; mail: MailPort; statusCallbackUrl: () => string };

/** Look-ups that must each find nothing, `recheckMs` apart, before a message whose outcome was unknown is sent again. */
export const REQUIRED_LOOKS = 2;
// Clock skew allowance when asking Twilio for messages sent since our first attempt.
const LOOKBACK_MS = 5 * 60_000;

const CHECKING = "We are checking whether your message went out; its status will update shortly.";
const UNCONFIRMED = "We could not confirm whether this message was sent. Please check with the recipient before sending again.";

type Ctx = { db: Db; msg: Claimed; sender: OutboxSender; startedAt: Date; policy: DeliveryPolicy };

// Outcomes are written by group commit: many messages settle in one transaction (one per event-loop turn), and each
// delivery waits for its own commit before it counts as done.
function giveUp(c: Ctx, outcome: AttemptOutcome, code: number | null, operator: string, member: string): Promise<void> {
  return commitSoon(c.db, () => {
    recordAttempt(c.db, c.msg.id, c.startedAt, outcome, { errorCode: code, detail: operator });
    if (!settle(c.db, c.msg.id, { state: "failed", lastError: operator, errorCode: code })) return;
    // Plain words for the member; the operator detail stays in the outbox and its attempts.
    c.sender.onFailed?.(c.db, c.msg, { errorCode: code, memberMessage: member, operatorMessage: operator });
  });
}

/** Not done yet: record why, come back at `at`, and tell the member what is going on meanwhile. */
function later(c: Ctx, outcome: "retry" | "unknown" | "not_found" | "check_failed", at: number, code: number | null, detail: string, member: string, patch: SettlePatch = {}): Promise<void> {
  if (outcome !== "not_found") {
    // The operator's only live signal while a provider is down or misconfigured: say what failed and what to do, each time.
    log.warn(
      { outboxId: c.msg.id, channel: c.msg.channel, attempt: c.msg.attempts, code, detail, retryInSeconds: Math.round((at - Date.now()) / 1000) },
      outcome === "retry" ? "outbox send failed; retrying later" : "outbox send outcome unknown; checking before any resend",
    );
  }
  return commitSoon(c.db, () => {
    recordAttempt(c.db, c.msg.id, c.startedAt, outcome, { errorCode: code, detail });
    if (!settle(c.db, c.msg.id, { state: outcome === "retry" ? "queued" : "unknown", nextAttemptAt: new Date(at), lastError: detail, ...patch })) return;
    c.sender.onDelayed?.(c.db, c.msg, { memberMessage: member });
  });
}

function accepted(c: Ctx, outcome: "sent" | "found", found: { sid: string; status: string; errorCode: number | null; numSegments: number }): Promise<void> {
  return commitSoon(c.db, () => {
    recordAttempt(c.db, c.msg.id, c.startedAt, outcome, { detail: `${found.sid} ${found.status}`, errorCode: found.errorCode });
    const checkAt = isFinalStatus(found.status) ? null : new Date(Date.now() + c.policy.statusCheckAfterMs);
    // With a messaging service Twilio answers 0 segments until a sender is assigned: the status check fills it in.
    const segments = found.numSegments || null;
    if (!settle(c.db, c.msg.id, { state: "sent", providerId: found.sid, sentAt: new Date(), checks: 0, statusCheckAt: checkAt, segments })) return;
    // A message found by the outcome check may already have failed: keep Twilio's code so the reason is the real one.
    applyReport(c.db, found, c.policy);
    adoptOrphans(c.db, found.sid, c.policy);
  });
}

const tooLate = (c: Ctx) => (c.msg.firstAttemptAt ?? c.msg.createdAt).getTime() + c.policy.giveUpAfterMs < Date.now();

async function deliverSms(c: Ctx, ports: Ports): Promise<AttemptOutcome> {
  const { msg } = c;
  const sms = await ports.sms();
  // After this long from its start, an attempt's request can no longer create a message at Twilio.
  const settleMs = sms.timing.requestTimeoutMs + sms.timing.providerGraceMs;

  if (msg.previous.state !== "queued") {
    // The last attempt may have reached Twilio (its answer was lost, or its process died mid-send): look before sending.
    const lastStart = (msg.attemptStartedAt ?? msg.previous.claimedAt ?? msg.createdAt).getTime();
    const died = msg.previous.state === "sending";
    if (Date.now() < lastStart + settleMs) {
      const why = died ? "the process sending it stopped before recording Twilio's answer" : "its outcome is unknown";
      await later(c, "unknown", lastStart + settleMs, null, `${why}; looking it up at Twilio once that attempt can no longer create a message`, CHECKING, { checks: 0 });
      return "unknown";
    }
    let found: Awaited<ReturnType<SmsPort["listMessages"]>>[number] | undefined;
    try {
      const since = new Date((msg.firstAttemptAt ?? msg.createdAt).getTime() - LOOKBACK_MS);
      // A Trial account's messages carry Twilio's "Sent from your Twilio trial account - " prefix, so compare the end.
      found = (await sms.listMessages({ to: msg.recipient, since })).find((m) => m.body === msg.body || m.body.endsWith(msg.body));
    } catch (error) {
      const detail = `could not check Twilio for an earlier send: ${(error as Error).message}`;
      if (tooLate(c)) {
        await giveUp(c, "failed", null, detail, UNCONFIRMED);
        return "failed";
      }
      await later(c, "check_failed", Date.now() + retryDelayMs(msg.attempts + msg.checks + 1), null, detail, CHECKING);
      return "check_failed";
    }
    if (found) {
      await accepted(c, "found", found);
      return "found";
    }
    const looks = msg.checks + 1;
    if (looks < REQUIRED_LOOKS) {
      // Twilio's list can lag behind its writes: one empty look is not proof. Look again before sending.
      await later(c, "not_found", Date.now() + c.policy.recheckMs, null, `no earlier send found at Twilio (look ${looks} of ${REQUIRED_LOOKS}); looking again before sending`, CHECKING, { checks: looks });
      return "not_found";
    }
    const now = new Date();
    const restarted = immediate(c.db, () => {
      recordAttempt(c.db, msg.id, c.startedAt, "not_found", { detail: `no earlier send found at Twilio (look ${looks} of ${REQUIRED_LOOKS}); sending` });
      return startAttempt(c.db, msg.id, now);
    });
    if (!restarted) return "unknown"; // our claim was taken over meanwhile: the other process owns it now
    msg.attemptStartedAt = now;
    msg.attempts += 1;
  }

  const refusal = c.sender.refuse?.(c.db, msg);
  if (refusal) {
    await giveUp(c, refusal.errorCode === TWILIO_OPTED_OUT ? "suppressed" : "refused", refusal.errorCode, refusal.operatorMessage, refusal.memberMessage);
    return "suppressed";
  }
  const attemptStart = (msg.attemptStartedAt ?? msg.claimedAt ?? new Date()).getTime();
  try {
    // The request is never in flight after attemptStart + timeout: the moment the outcome check relies on.
    const sent = await sms.sendSms({ to: msg.recipient, body: msg.body, statusCallback: ports.statusCallbackUrl(), deadline: attemptStart + sms.timing.requestTimeoutMs });
    await accepted(c, "sent", sent);
    return "sent";
  } catch (error) {
    const e = error instanceof TwilioError ? error : null;
    const code = e?.code ?? null;
    const operator = e?.operatorMessage || (error as Error).message;
    // Anything we cannot classify might have reached Twilio: treat it as outcome unknown, never as safe to resend.
    if (!e || e.outcomeUnknown) {
      await later(c, "unknown", attemptStart + settleMs, code, operator, CHECKING, { checks: 0, attemptStartedAt: new Date(attemptStart) });
      return "unknown";
    }
    if (e.retryable && !tooLate(c)) {
      await later(c, "retry", Date.now() + retryDelayMs(msg.attempts), code, operator, e.memberMessage);
      return "retry";
    }
    log.warn({ outboxId: msg.id, code, detail: operator }, "SMS could not be sent");
    await giveUp(c, "failed", code, operator, e.memberMessage);
    return "failed";
  }
}

async function deliverMail(c: Ctx, ports: Ports): Promise<AttemptOutcome> {
  const { msg } = c;
  // SMTP has no look-up: a send whose process died mid-DATA is sent again, so a rare duplicate email is possible.
  const refusal = c.sender.refuse?.(c.db, msg);
  if (refusal) {
    await giveUp(c, "refused", refusal.errorCode, refusal.operatorMessage, refusal.memberMessage);
    return "refused";
  }
  try {
    const receipt = await ports.mail({ to: msg.recipient, subject: msg.subject ?? "Select Exposure", text: msg.body, html: msg.html });
    await commitSoon(c.db, () => {
      recordAttempt(c.db, msg.id, c.startedAt, "sent", { detail: receipt.response.slice(0, 200) });
      const providerStatus = receipt.caught ? "caught (sandbox)" : "accepted by mail server";
      if (!settle(c.db, msg.id, { state: "sent", providerId: receipt.messageId, providerStatus, sentAt: new Date() })) return;
      c.sender.onStatus?.(c.db, { ...msg, providerStatus }, { providerStatus, outcome: "delivered", providerId: receipt.messageId });
    });
    return "sent";
  } catch (error) {
    const e = error instanceof MailError ? error : new MailError((error as Error).message, true, "Email could not be sent yet; we will try again.");
    if (e.retryable && !tooLate(c)) {
      await later(c, "retry", Date.now() + retryDelayMs(msg.attempts), e.responseCode, e.operatorMessage, e.memberMessage);
      return "retry";
    }
    log.warn({ outboxId: msg.id, detail: e.operatorMessage }, "email could not be sent");
    await giveUp(c, "failed", e.responseCode, e.operatorMessage, e.memberMessage);
    return "failed";
  }
}

/** Delivers one claimed message; never throws (every outcome is recorded). */
export async function deliver(db: Db, msg: Claimed, ports: Ports, policy: DeliveryPolicy): Promise<AttemptOutcome> {
  const startedAt = new Date();
  const sender = senderFor(msg.purpose);
  if (!sender) {
    // Nothing is sent without its owner's pre-send checks (e.g. opt-outs): a process that forgot to register waits.
    log.error({ outboxId: msg.id, purpose: msg.purpose }, "outbox: no sender registered for this purpose; nothing is sent until one is (registerSenders at start-up)");
    immediate(db, () => settle(db, msg.id, { state: msg.previous.state === "queued" ? "queued" : "unknown", nextAttemptAt: new Date(Date.now() + 60_000) }));
    return "retry";
  }
  const c: Ctx = { db, msg, sender, startedAt, policy };
  try {
    return msg.channel === "SMS" ? await deliverSms(c, ports) : await deliverMail(c, ports);
  } catch (error) {
    // A bug or a database error: leave the claim to expire, which makes the next attempt check before resending.
    log.error({ err: error, outboxId: msg.id }, "outbox delivery crashed");
    return "unknown";
  }
}

/**
 * A status check for a sent SMS whose final status is overdue (its callback may have been lost, e.g. while the app was
 * down), or whose price has not arrived yet: ask Twilio, apply what it says and keep its price and segment count, and
 * come back later (with backoff) while the status is not final or a billed message has no price yet.
 */
export async function checkStatus(db: Db, msg: OutboxMessage, ports: Ports, policy: DeliveryPolicy): Promise<void> {
  if (!msg.providerId || msg.channel !== "SMS") return;
  const checks = msg.statusChecks + 1;
  const sentAt = (msg.sentAt ?? msg.updatedAt).getTime();
  const nextAfter = (base: number) => {
    const next = Date.now() + Math.min(base * 2 ** (checks - 1), 3600_000);
    return next - sentAt > policy.statusCheckForMs ? null : new Date(next);
  };
  const record = (next: Date | null, found?: Parameters<typeof recordStatusCheck>[4]) => recordStatusCheck(db, msg.id, checks, next, found);
  try {
    const m = await (await ports.sms()).fetchMessage(msg.providerId);
    immediate(db, () => {
      applyReport(db, { sid: m.sid, status: m.status, errorCode: m.errorCode }, policy, "status check");
      // The row as the report left it (a concurrent callback may have moved it on).
      const now = statusAndPrice(db, msg.id);
      const status = now?.providerStatus ?? mergeStatus(msg.providerStatus, m.status);
      const price = priceMicros(m.price) ?? now?.priceMicros ?? null;
      const final = isFinalStatus(status);
      const awaitingPrice = final && price === null && isBilledStatus(status);
      record(!final ? nextAfter(policy.statusCheckAfterMs) : awaitingPrice ? nextAfter(policy.priceCheckAfterMs) : null, {
        ...(m.numSegments ? { segments: m.numSegments } : {}),
        ...(price !== null ? { priceMicros: price, priceUnit: m.priceUnit ?? "USD" } : {}),
      });
    });
  } catch (error) {
    log.warn({ outboxId: msg.id, detail: (error as Error).message }, "outbox status check failed; trying again later");
    record(nextAfter(policy.statusCheckAfterMs));
  }
}
