import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { openDatabase } from "@/db/client";
import { outbox, suppressions } from "@/db/schema";
import { getSignal } from "@/lib/smoke-signals/queries";
import { suppress } from "@/lib/smoke-signals/suppression";
import { EMAIL_SUPPRESSED_REASON, suppressEmail } from "@/lib/email/unsubscribe";
import { until } from "@/lib/testing/wait";
import { testDb } from "@/lib/testing/db";
import { fakePorts, fakeTwilio, FAKE_TIMING, makeMember, outboxOf, queueSignal, signalRow, TEST_ENV } from "@/lib/testing/messaging";
import type { SmsPort } from "./deliver";
import { TwilioError } from "@/lib/twilio/errors";
import { SANDBOX_POLICY, type DeliveryPolicy } from "./policy";
import { Dispatcher } from "./dispatcher";
import { attemptsOf, claimDue } from "./queue";
import { applyStatusCallback, SeenStatuses } from "./tracking";

type Db = ReturnType<typeof testDb>;
type Fake = ReturnType<typeof fakeTwilio>;

const unknownError = () => new TwilioError({ code: null, httpStatus: null, retryable: true, outcomeUnknown: true, memberMessage: "m", operatorMessage: "timeout" });

/** A send that reaches Twilio but whose answer is lost (a timeout after sending): the outcome is unknown to us. */
function sentButAnswerLost(twilio: Fake) {
  return async (input: { to: string; body: string; statusCallback: string }): Promise<never> => {
    await twilio.port.sendSms(input);
    throw unknownError();
  };
}

const running: Dispatcher[] = [];
afterEach(() => running.splice(0).forEach((d) => d.stop()));

/** Fast policy for tests: a second look 30 ms after the first, status checks after 50 ms. */
const POLICY: DeliveryPolicy = { ...SANDBOX_POLICY, recheckMs: 30, statusCheckAfterMs: 50, priceCheckAfterMs: 50 };

function dispatcher(db: Db, sms: SmsPort, opts: { leaseMs?: number; mps?: number; policy?: DeliveryPolicy } = {}) {
  const d = new Dispatcher({ db, mps: opts.mps ?? 100, ports: fakePorts(sms), pollMs: 10, policy: opts.policy ?? POLICY, leaseMs: opts.leaseMs });
  running.push(d);
  return d.start();
}

/** Makes every waiting message due now, as if its backoff had elapsed. */
const fastForward = (db: Db) => db.update(outbox).set({ nextAttemptAt: new Date(0) }).run();


const outcomes = (db: Db, signalId: string) => attemptsOf(db, outboxOf(db, signalId).id).map((a) => a.outcome);

describe("the outbox dispatcher", () => {
  it("sends a queued SMS once, with the status callback URL, and the signal follows Twilio's callbacks to Delivered", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.sent[0]!.statusCallback).toBe("https://members.example.com/api/twilio/status-callback");
    expect(twilio.sent[0]!.body).toContain("/join/");
    const sid = twilio.sent[0]!.sid;
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Pending", providerStatus: "queued", providerSid: sid });
    expect(await applyStatusCallback(db, { sid, status: "sent", errorCode: null })).toBe("applied");
    expect(await applyStatusCallback(db, { sid, status: "delivered", errorCode: null })).toBe("applied");
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
    // The message's timeline: the send, then each status a callback brought.
    expect(attemptsOf(db, outboxOf(db, signal.id).id).map((a) => [a.outcome, a.detail])).toEqual([
      ["sent", `${sid} queued`],
      ["status", "sent (callback)"],
      ["status", "delivered (callback)"],
    ]);
  });

  it("ignores duplicate and late callbacks: a 'sent' after 'delivered' never moves the status back", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    const sid = twilio.sent[0]!.sid;
    for (const status of ["delivered", "sent", "delivered", "queued", "sending"]) await applyStatusCallback(db, { sid, status, errorCode: null });
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
  });

  it("knows a repeated callback from memory: what it applied is not read again", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    const sid = twilio.sent[0]!.sid;
    expect(await applyStatusCallback(db, { sid, status: "delivered", errorCode: null })).toBe("applied");
    // Behind the callback's back (a stored status never moves down in practice), so a read would now see "sent".
    db.update(outbox).set({ providerStatus: "sent" }).where(eq(outbox.providerId, sid)).run();
    for (const status of ["delivered", "sent"]) expect(await applyStatusCallback(db, { sid, status, errorCode: null })).toBe("duplicate");
    expect(outboxOf(db, signal.id).providerStatus).toBe("sent");
    // A higher status is still read and applied.
    expect(await applyStatusCallback(db, { sid, status: "read", errorCode: null })).toBe("applied");
    expect(outboxOf(db, signal.id).providerStatus).toBe("read");
  });

  it("a duplicate this process has not seen (another process applied it, or a restart) changes nothing and is remembered", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    const sid = twilio.sent[0]!.sid;
    expect(await applyStatusCallback(db, { sid, status: "delivered", errorCode: null })).toBe("applied");
    // Another connection to the same database (another process, or this one after a restart) remembers nothing.
    const restarted = openDatabase(db.$client.name);
    const id = outboxOf(db, signal.id).id;
    const timeline = attemptsOf(db, id).length;
    expect(await applyStatusCallback(restarted, { sid, status: "sent", errorCode: null })).toBe("duplicate");
    expect(await applyStatusCallback(restarted, { sid, status: "delivered", errorCode: null })).toBe("duplicate");
    expect(attemptsOf(db, id)).toHaveLength(timeline);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
    // What it found stored is remembered: behind its back the row says "sent", and a repeat is still not read.
    db.update(outbox).set({ providerStatus: "sent" }).where(eq(outbox.providerId, sid)).run();
    expect(await applyStatusCallback(restarted, { sid, status: "delivered", errorCode: null })).toBe("duplicate");
    expect(outboxOf(db, signal.id).providerStatus).toBe("sent");
    restarted.$client.close();
  });

  it("remembers a bounded number of sids, forgetting the least recently seen first", () => {
    const seen = new SeenStatuses(2);
    seen.note("SMa", "sent");
    seen.note("SMb", "sent");
    seen.note("SMa", "delivered");
    seen.note("SMc", "sent");
    expect([seen.get("SMa"), seen.get("SMb"), seen.get("SMc")]).toEqual(["delivered", undefined, "sent"]);
  });

  it("applies a callback that overtook the send's own answer once the sid is known", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    // The callback for the sid the fake will return arrives before the dispatcher records it.
    const early: string[] = [];
    const port: SmsPort = {
      ...twilio.port,
      async sendSms(input) {
        const m = await twilio.port.sendSms(input);
        early.push(await applyStatusCallback(db, { sid: m.sid, status: "delivered", errorCode: null }));
        return m;
      },
    };
    await dispatcher(db, port).drained();
    expect(early).toEqual(["unknown"]);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered" });
  });

  it("retries a retryable failure later, telling the member why it is still Pending, and sends once it succeeds", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio((call) => {
      if (call === 1) throw TwilioError.fromCode(20429, 429, "Too Many Requests");
    });
    const d = dispatcher(db, twilio.port);
    await d.drained();
    const row = outboxOf(db, signal.id);
    expect(row.state).toBe("queued");
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Pending", reason: "We are sending a lot of messages right now; yours is queued and will go out shortly." });
    fastForward(db);
    d.kick();
    await d.drained();
    expect(twilio.sent).toHaveLength(1);
    expect(attemptsOf(db, row.id).map((a) => [a.outcome, a.errorCode])).toEqual([
      ["retry", 20429],
      ["sent", null],
    ]);
    // Accepted by Twilio: the wait is over, so is its reason.
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Pending", providerStatus: "queued", reason: null });
  });

  it("tells the operator's log about every failed attempt it will retry, with the fix and no recipient", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    try {
      const db = testDb();
      const signal = queueSignal(db, makeMember(db));
      const twilio = fakeTwilio((call) => {
        if (call === 1) throw TwilioError.fromCode(20429, 429, "Too Many Requests");
      });
      await dispatcher(db, twilio.port).drained();
      expect(outboxOf(db, signal.id).state).toBe("queued");
      const [fields, message] = warn.mock.calls[0] as unknown as [Record<string, unknown>, string];
      expect(message).toBe("outbox send failed; retrying later");
      expect(fields).toMatchObject({ channel: "SMS", attempt: 1, code: 20429 });
      expect(String(fields.detail)).toContain("concurrent");
      expect(JSON.stringify(fields)).not.toContain(outboxOf(db, signal.id).recipient);
    } finally {
      warn.mockRestore();
    }
  });

  it("never resends a message whose outcome is unknown when Twilio shows it was sent", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const d = dispatcher(db, { ...twilio.port, sendSms: sentButAnswerLost(twilio) });
    await until(() => outboxOf(db, signal.id).state === "unknown");
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Pending", reason: "We are checking whether your message went out; its status will update shortly." });
    await until(() => outboxOf(db, signal.id).state === "sent");
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(twilio.lists()).toBe(1);
    expect(outboxOf(db, signal.id)).toMatchObject({ state: "sent", providerId: twilio.sent[0]!.sid });
    expect(outcomes(db, signal.id)).toEqual(["unknown", "found"]);
  });

  it("does not look for an unknown send until that attempt can no longer create a message at Twilio", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const settleMs = FAKE_TIMING.requestTimeoutMs + FAKE_TIMING.providerGraceMs;
    let attemptAt = 0;
    let createdAt = 0;
    const lookedAt: number[] = [];
    const port: SmsPort = {
      ...twilio.port,
      // Our request gives up at once, but Twilio creates the message late: well after the attempt started, still
      // within the time an attempt can create one (settleMs).
      async sendSms(input) {
        attemptAt = Date.now();
        setTimeout(() => {
          createdAt = Date.now();
          void twilio.port.sendSms(input);
        }, settleMs / 2);
        throw unknownError();
      },
      async listMessages(input) {
        lookedAt.push(Date.now());
        return twilio.port.listMessages(input);
      },
    };
    const d = dispatcher(db, port);
    await until(() => outboxOf(db, signal.id).state === "sent");
    await d.drained();
    expect(twilio.calls()).toBe(1);
    // The first look came after Twilio had created the message (a look at once would have missed it), and not
    // before the attempt could no longer create one. Timed from when the late message was made, not from the
    // dispatcher's own clock, so a loaded machine cannot move the bound.
    expect(lookedAt.length).toBeGreaterThan(0);
    expect(createdAt).toBeGreaterThan(0);
    expect(lookedAt[0]!).toBeGreaterThanOrEqual(createdAt);
    expect(lookedAt[0]! - attemptAt).toBeGreaterThanOrEqual(settleMs / 2);
    expect(outcomes(db, signal.id)).toEqual(["unknown", "found"]);
  });

  it("does not conclude 'not sent' from one look: a message that shows up in Twilio's list late is found by the second", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const port: SmsPort = {
      ...twilio.port,
      sendSms: sentButAnswerLost(twilio),
      // Twilio's list lags its writes by 25 ms here; the second look comes 30 ms after the first.
      async listMessages(input) {
        return (await twilio.port.listMessages(input)).filter((m) => m.dateCreated.getTime() < Date.now() - 25 - FAKE_TIMING.requestTimeoutMs);
      },
    };
    const d = dispatcher(db, port);
    await until(() => outboxOf(db, signal.id).state === "sent", 3000);
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(outcomes(db, signal.id)).toEqual(["unknown", "not_found", "found"]);
  });

  it("recognises an earlier send on a Trial account, where Twilio prefixes the body it stores", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const trial: SmsPort = {
      ...twilio.port,
      sendSms: sentButAnswerLost(twilio),
      async listMessages(input) {
        return (await twilio.port.listMessages(input)).map((m) => ({ ...m, body: `Sent from your Twilio trial account - ${m.body}` }));
      },
    };
    const d = dispatcher(db, trial);
    await until(() => outboxOf(db, signal.id).state === "sent");
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(outboxOf(db, signal.id)).toMatchObject({ state: "sent", providerId: twilio.sent[0]!.sid });
  });

  it("a message the outcome check finds already undelivered shows Twilio's error code and its plain reason", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const lost: SmsPort = {
      ...twilio.port,
      sendSms: sentButAnswerLost(twilio),
      async listMessages(input) {
        return (await twilio.port.listMessages(input)).map((m) => ({ ...m, status: "undelivered", errorCode: 30003 }));
      },
    };
    dispatcher(db, lost);
    await until(() => signalRow(db, signal.id).status === "Failed");
    expect(twilio.calls()).toBe(1);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed", errorCode: 30003, reason: expect.stringContaining("switched off") });
  });

  it("keeps its claim on a send that outlasts the lease, so the same message is not claimed and sent again meanwhile", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    // Twilio answers slowly: the send takes several lease lengths before it is recorded.
    let started = 0;
    const slow: SmsPort = {
      ...twilio.port,
      timing: { requestTimeoutMs: 5000, providerGraceMs: 10 },
      async sendSms(input) {
        started++;
        // eslint-disable-next-line no-restricted-syntax -- the fake Twilio answers slowly on purpose
        await new Promise((resolve) => setTimeout(resolve, 400));
        return twilio.port.sendSms(input);
      },
    };
    const d = dispatcher(db, slow, { leaseMs: 100 });
    // Four lease lengths pass while the send is out; a lost claim would have started a second send meanwhile.
    await until(() => outboxOf(db, signal.id).state === "sent");
    await d.drained();
    expect(started).toBe(1);
    expect(twilio.calls()).toBe(1);
    // Never taken for abandoned: no "outcome unknown", no look-up at Twilio.
    expect(outcomes(db, signal.id)).toEqual(["sent"]);
    expect(twilio.lists()).toBe(0);
    expect(outboxOf(db, signal.id)).toMatchObject({ state: "sent", attempts: 1 });
  });

  it("sends a message whose outcome was unknown exactly once when two looks at Twilio find no trace of it", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio((call) => {
      if (call === 1) throw unknownError();
    });
    const d = dispatcher(db, twilio.port);
    await until(() => outboxOf(db, signal.id).state === "sent");
    await d.drained();
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.lists()).toBe(2);
    expect(outcomes(db, signal.id)).toEqual(["unknown", "not_found", "not_found", "sent"]);
    expect(outboxOf(db, signal.id).attempts).toBe(2);
  });

  it("resumes after a restart: a claim left by a process that died is checked at Twilio, then sent once", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    // The first process claims the message (for 1 ms) and dies before it settles.
    const claimed = claimDue(db, 10, 1);
    expect(claimed).toHaveLength(1);
    await until(() => Date.now() > claimed[0]!.leaseUntil!.getTime());
    const twilio = fakeTwilio();
    const d = dispatcher(db, twilio.port);
    await until(() => outboxOf(db, signal.id).state === "sent");
    await d.drained();
    expect(twilio.lists()).toBe(2);
    expect(twilio.sent).toHaveLength(1);
    expect(signalRow(db, signal.id).providerStatus).toBe("queued");
  });

  it("learns an opt-out from Twilio's 21610 (a STOP we never saw): the number goes on our list, marked as Twilio's refusal", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { to: "+447700900555" });
    const twilio = fakeTwilio(() => {
      throw TwilioError.fromCode(21610, 400, "Attempt to send to unsubscribed recipient");
    });
    await dispatcher(db, twilio.port).drained();
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed", errorCode: 21610 });
    expect(outboxOf(db, signal.id)).toMatchObject({ outcome: "failed", errorCode: 21610 });
    expect(db.select().from(suppressions).where(eq(suppressions.phone, "+447700900555")).get()).toMatchObject({ keyword: "STOP", source: "twilio_refusal" });
  });

  it("fails for good on a permanent error, with the reason in plain words", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { to: "+15005550009" });
    const twilio = fakeTwilio(() => {
      throw TwilioError.fromCode(21614, 400, "'To' number +15005550009 is not a valid mobile number");
    });
    await dispatcher(db, twilio.port).drained();
    const s = signalRow(db, signal.id);
    expect(s).toMatchObject({ status: "Failed", errorCode: 21614 });
    expect(s.reason).toMatch(/mobile|text/i);
    expect(outboxOf(db, signal.id).state).toBe("failed");
    // The member's timeline (GET /api/accounts/smoke-signals/{id}) has the plain words; Twilio's own text, with the
    // full number the API masks, stays in the outbox for operators.
    const timeline = getSignal(db, makeMember(db, "admin"), signal.id)!.timeline;
    expect(timeline.at(-1)!.note).toBe(s.reason);
    expect(JSON.stringify(timeline)).not.toContain("Twilio said");
    expect(outboxOf(db, signal.id).lastError).toContain("Twilio said");
  });

  it("gives a retryable failure up only after the give-up time, with a plain reason", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio(() => {
      throw TwilioError.fromCode(20429, 429, "Too Many Requests");
    });
    const d = dispatcher(db, twilio.port, { policy: { ...POLICY, giveUpAfterMs: 150 } });
    await d.drained();
    expect(outboxOf(db, signal.id).state).toBe("queued");
    // Its first attempt now lies further back than the give-up time.
    db.update(outbox).set({ firstAttemptAt: new Date(Date.now() - 1000) }).where(eq(outbox.id, outboxOf(db, signal.id).id)).run();
    fastForward(db);
    d.kick();
    await until(() => outboxOf(db, signal.id).state === "failed");
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed", reason: expect.stringMatching(/queued|shortly/) });
  });

  it("refuses, without calling Twilio, a queued SMS to a number that replied STOP after it was queued", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    suppress(db, "+447700900123", "STOP");
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    expect(twilio.calls()).toBe(0);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed" });
    expect(signalRow(db, signal.id).reason).toMatch(/STOP/);
  });

  it("refuses, without emailing, a queued invitation to an address that unsubscribed after it was queued", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { channel: "Email", to: "sam+club@example.com" });
    suppressEmail(db, "sam@example.com", "one-click");
    const mailed: string[] = [];
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(fakeTwilio().port, async (m) => (mailed.push(m.to), { messageId: "<m@test>", response: "250 ok", caught: true })), pollMs: 10, policy: POLICY });
    running.push(d);
    await d.start().drained();
    expect(mailed).toEqual([]);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed", reason: EMAIL_SUPPRESSED_REASON });
  });

  it("asks Twilio for the status of a sent message whose final callback never came", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const d = dispatcher(db, twilio.port);
    await d.drained();
    expect(outboxOf(db, signal.id).statusCheckAt).not.toBeNull();
    // Twilio delivered it, but every callback was lost (the app was down, or a proxy dropped them).
    Object.assign(twilio.sent[0]!, { status: "delivered", price: "-0.05240", priceUnit: "USD" });
    await until(() => signalRow(db, signal.id).status === "Delivered", 4000);
    // One look brought the final status and Twilio's price: nothing more to ask.
    expect(outboxOf(db, signal.id)).toMatchObject({ providerStatus: "delivered", statusCheckAt: null, priceMicros: 52_400, priceUnit: "USD", segments: 1 });
    expect(outcomes(db, signal.id)).toEqual(["sent", "status"]);
  });

  it("looks a delivered SMS up again until Twilio has priced it, and keeps the price", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    const sid = twilio.sent[0]!.sid;
    Object.assign(twilio.sent[0]!, { status: "delivered" });
    const before = Date.now();
    await applyStatusCallback(db, { sid, status: "delivered", errorCode: null }, POLICY);
    // Final, billed, no price yet: Twilio prices a message a while after it is final, so the look waits that long.
    expect(outboxOf(db, signal.id).statusCheckAt!.getTime()).toBeGreaterThanOrEqual(before + POLICY.priceCheckAfterMs);
    expect(outboxOf(db, signal.id).statusCheckAt!.getTime()).toBeLessThanOrEqual(Date.now() + POLICY.priceCheckAfterMs);
    await until(() => outboxOf(db, signal.id).statusChecks >= 1, 4000);
    expect(outboxOf(db, signal.id)).toMatchObject({ priceMicros: null });
    expect(outboxOf(db, signal.id).statusCheckAt).not.toBeNull();
    // Twilio prices it a while later; the next look (priceCheckAfterMs) keeps it and stops looking.
    Object.assign(twilio.sent[0]!, { price: "-0.08860", priceUnit: "USD" });
    await until(() => outboxOf(db, signal.id).priceMicros !== null, 4000);
    expect(outboxOf(db, signal.id)).toMatchObject({ priceMicros: 88_600, statusCheckAt: null });
  });

  it("keeps pace with the send rate when pricing: 60 delivered SMS at 50 messages per second are all priced within two seconds", async () => {
    const db = testDb();
    const member = makeMember(db);
    for (let i = 0; i < 60; i++) queueSignal(db, member, { to: `+4477009002${String(i).padStart(2, "0")}` });
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port, { mps: 50 }).drained();
    for (const m of twilio.sent) Object.assign(m, { status: "delivered", price: "-0.00790", priceUnit: "USD" });
    const started = Date.now();
    for (const m of twilio.sent) await applyStatusCallback(db, { sid: m.sid, status: "delivered", errorCode: null }, POLICY);
    const priced = () => db.select().from(outbox).all().filter((r) => r.priceMicros === 7_900).length;
    // A look-up budget fixed below the send rate (it was 8 a second) would need 8 seconds here, and fall ever further
    // behind a busy sender.
    await until(() => priced() === 60, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("never waits for the price of a message that failed before reaching a carrier (Twilio does not bill it)", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio.port).drained();
    await applyStatusCallback(db, { sid: twilio.sent[0]!.sid, status: "failed", errorCode: 30008 }, POLICY);
    expect(outboxOf(db, signal.id)).toMatchObject({ statusCheckAt: null, errorCode: 30008, outcome: "failed" });
  });

  it("keeps to the configured rate", async () => {
    const db = testDb();
    const member = makeMember(db);
    for (let i = 0; i < 30; i++) queueSignal(db, member, { to: `+4477009001${String(i).padStart(2, "0")}` });
    const twilio = fakeTwilio();
    const started = performance.now();
    const d = dispatcher(db, twilio.port, { mps: 50 });
    await d.drained();
    const seconds = (performance.now() - started) / 1000;
    expect(twilio.sent).toHaveLength(30);
    // 5 may go at once (the burst), the other 25 at 50 per second.
    expect(seconds).toBeGreaterThan(0.45);
    expect(db.select().from(outbox).where(eq(outbox.state, "sent")).all()).toHaveLength(30);
  });

  it("is fair: with TWILIO_MPS=1 and 500 SMS queued by one member, another member's single SMS goes out within 3 s", async () => {
    const db = testDb();
    const busy = makeMember(db);
    const env = { ...TEST_ENV, limits: { perMemberPerDay: 1000, perRecipientPerDay: 1000, perIpPerDay: 10_000 } };
    db.$client.transaction(() => {
      for (let i = 0; i < 500; i++) queueSignal(db, busy, { to: `+447700${String(900000 + i)}` }, env);
    })();
    const twilio = fakeTwilio();
    const d = dispatcher(db, twilio.port, { mps: 1 });
    await until(() => twilio.sent.length >= 1);
    const other = queueSignal(db, makeMember(db), { to: "+447400123456" }, env);
    const queuedAt = Date.now();
    d.kick();
    // Sent, and recorded: the member sees Twilio's "queued".
    await until(() => signalRow(db, other.id).providerStatus === "queued", 3000);
    expect(Date.now() - queuedAt).toBeLessThan(3000);
    // Only a couple of the busy member's messages went out meanwhile: the rate was kept.
    expect(twilio.sent.length).toBeLessThanOrEqual(4);
  });
});

describe("the outbox is a one-way layer", () => {
  it("imports no domain that uses it: senders register themselves (lib/outbox/senders.ts)", () => {
    const dir = path.join(process.cwd(), "lib", "outbox");
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const imports = [...source.matchAll(/from "(@\/lib\/[^"/]+)/g)].map((m) => m[1]);
      for (const target of imports) expect(["@/lib/log", "@/lib/env", "@/lib/twilio", "@/lib/email"], `${file} imports ${target}`).toContain(target);
    }
  });
});
