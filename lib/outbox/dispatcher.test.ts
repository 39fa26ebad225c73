import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { outbox } from "@/db/schema";
import { getSignal } from "@/lib/smoke-signals/queries";
import { applyStatusCallback } from "@/lib/smoke-signals/tracking";
import { suppress } from "@/lib/smoke-signals/suppression";
import { testDb } from "@/lib/testing/db";
import { fakePorts, fakeTwilio, makeMember, outboxOf, queueSignal, signalRow } from "@/lib/testing/messaging";
import { TwilioError } from "@/lib/twilio/errors";
import { Dispatcher } from "./dispatcher";
import { attemptsOf, claimDue } from "./queue";

/** A send that reaches Twilio but whose answer is lost (a timeout after sending): the outcome is unknown to us. */
function sentButAnswerLost(twilio: { port: { sendSms(input: { to: string; body: string; statusCallback: string }): Promise<unknown> } }) {
  return async (input: { to: string; body: string; statusCallback: string }): Promise<never> => {
    await twilio.port.sendSms(input);
    throw new TwilioError({ code: null, httpStatus: null, retryable: true, outcomeUnknown: true, memberMessage: "m", operatorMessage: "timeout" });
  };
}

const running: Dispatcher[] = [];
afterEach(() => running.splice(0).forEach((d) => d.stop()));

function dispatcher(db: ReturnType<typeof testDb>, sms: ReturnType<typeof fakeTwilio>, opts: { leaseMs?: number } = {}) {
  const d = new Dispatcher({ db, mps: 100, ports: fakePorts(sms.port), pollMs: 10, ...opts }).start();
  running.push(d);
  return d;
}

/** Makes every waiting message due now, as if its backoff had elapsed. */
const fastForward = (db: ReturnType<typeof testDb>) => db.update(outbox).set({ nextAttemptAt: new Date(0) }).run();

describe("the outbox dispatcher", () => {
  it("sends a queued SMS once, with the status callback URL, and the signal follows Twilio's callbacks to Delivered", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio).drained();
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.sent[0]!.statusCallback).toBe("https://members.example.com/api/twilio/status-callback");
    expect(twilio.sent[0]!.body).toContain("/join/");
    const sid = twilio.sent[0]!.sid;
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Pending", providerStatus: "queued", providerSid: sid });
    expect(applyStatusCallback(db, { sid, status: "sent", errorCode: null })).toBe("applied");
    expect(applyStatusCallback(db, { sid, status: "delivered", errorCode: null })).toBe("applied");
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
    expect(attemptsOf(db, outboxOf(db, signal.id).id).map((a) => a.outcome)).toEqual(["sent"]);
  });

  it("ignores duplicate and late callbacks: a 'sent' after 'delivered' never moves the status back", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio).drained();
    const sid = twilio.sent[0]!.sid;
    for (const status of ["delivered", "sent", "delivered", "queued", "sending"]) applyStatusCallback(db, { sid, status, errorCode: null });
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
  });

  it("applies a callback that overtook the send's own answer once the sid is known", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    // The callback for the sid the fake will return arrives before the dispatcher records it.
    const early: string[] = [];
    const port = {
      ...twilio.port,
      async sendSms(input: { to: string; body: string; statusCallback: string }) {
        const m = await twilio.port.sendSms(input);
        early.push(applyStatusCallback(db, { sid: m.sid, status: "delivered", errorCode: null }));
        return m;
      },
    };
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(port), pollMs: 10 }).start();
    running.push(d);
    await d.drained();
    expect(early).toEqual(["unknown"]);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered" });
  });

  it("retries a retryable failure later, recording each attempt, and sends once it succeeds", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio((call) => {
      if (call === 1) throw TwilioError.fromCode(20429, 429, "Too Many Requests");
    });
    const d = dispatcher(db, twilio);
    await d.drained();
    const row = outboxOf(db, signal.id);
    expect(row.state).toBe("queued");
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    fastForward(db);
    d.kick();
    await d.drained();
    expect(twilio.sent).toHaveLength(1);
    expect(attemptsOf(db, row.id).map((a) => [a.outcome, a.errorCode])).toEqual([
      ["retry", 20429],
      ["sent", null],
    ]);
  });

  it("tells the operator's log about every failed attempt it will retry, with the fix and no recipient", async () => {
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    try {
      const db = testDb();
      const signal = queueSignal(db, makeMember(db));
      const twilio = fakeTwilio((call) => {
        if (call === 1) throw TwilioError.fromCode(20429, 429, "Too Many Requests");
      });
      await dispatcher(db, twilio).drained();
      expect(outboxOf(db, signal.id).state).toBe("queued");
      const [fields, message] = warn.mock.calls[0] as unknown as [Record<string, unknown>, string];
      expect(message).toBe("outbox send failed; retrying later");
      expect(fields).toMatchObject({ channel: "SMS", attempt: 1, code: 20429 });
      expect(String(fields.detail)).toContain("TWILIO_MPS");
      expect(JSON.stringify(fields)).not.toContain(outboxOf(db, signal.id).recipient);
    } finally {
      warn.mockRestore();
    }
  });

  it("never resends a message whose outcome is unknown when Twilio shows it was sent", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    // Twilio accepted the message but the answer was lost (a timeout after sending).
    const lossy = {
      ...twilio.port,
      sendSms: sentButAnswerLost(twilio),
    };
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(lossy), pollMs: 10 }).start();
    running.push(d);
    await d.drained();
    expect(outboxOf(db, signal.id).state).toBe("unknown");
    fastForward(db);
    d.kick();
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(twilio.lists()).toBe(1);
    const row = outboxOf(db, signal.id);
    expect(row).toMatchObject({ state: "sent", providerId: twilio.sent[0]!.sid });
    expect(attemptsOf(db, row.id).map((a) => a.outcome)).toEqual(["unknown", "found"]);
  });

  it("recognises an earlier send on a Trial account, where Twilio prefixes the body it stores", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const trial = {
      sendSms: sentButAnswerLost(twilio),
      async listMessages(input: { to: string; since: Date }) {
        return (await twilio.port.listMessages(input)).map((m) => ({ ...m, body: `Sent from your Twilio trial account - ${m.body}` }));
      },
    };
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(trial), pollMs: 10 }).start();
    running.push(d);
    await d.drained();
    fastForward(db);
    d.kick();
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(outboxOf(db, signal.id)).toMatchObject({ state: "sent", providerId: twilio.sent[0]!.sid });
  });

  it("a message the outcome check finds already undelivered shows Twilio's error code and its plain reason", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    const lost = {
      sendSms: sentButAnswerLost(twilio),
      async listMessages(input: { to: string; since: Date }) {
        return (await twilio.port.listMessages(input)).map((m) => ({ ...m, status: "undelivered", errorCode: 30003 }));
      },
    };
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(lost), pollMs: 10 }).start();
    running.push(d);
    await d.drained();
    fastForward(db);
    d.kick();
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed", errorCode: 30003, reason: expect.stringContaining("switched off") });
  });

  it("keeps its claim on a send that outlasts the lease, so the same message is not claimed and sent again meanwhile", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio();
    // Twilio answers slowly: the send takes several lease lengths before it is recorded.
    const slow = {
      ...twilio.port,
      async sendSms(input: { to: string; body: string; statusCallback: string }) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return twilio.port.sendSms(input);
      },
    };
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(slow), pollMs: 10, leaseMs: 100 }).start();
    running.push(d);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await d.drained();
    expect(twilio.calls()).toBe(1);
    expect(outboxOf(db, signal.id)).toMatchObject({ state: "sent", attempts: 1 });
  });

  it("sends a message whose outcome was unknown exactly once when Twilio has no trace of it", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    const twilio = fakeTwilio((call) => {
      if (call === 1) throw new TwilioError({ code: null, httpStatus: null, retryable: true, outcomeUnknown: true, memberMessage: "m", operatorMessage: "reset" });
    });
    const d = dispatcher(db, twilio);
    await d.drained();
    fastForward(db);
    d.kick();
    await d.drained();
    expect(twilio.sent).toHaveLength(1);
    expect(attemptsOf(db, outboxOf(db, signal.id).id).map((a) => a.outcome)).toEqual(["unknown", "not_found", "sent"]);
  });

  it("resumes after a restart: a claim left by a process that died is checked at Twilio, then sent once", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    // The first process claims the message and dies before it settles.
    expect(claimDue(db, 10, 1)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 5));
    const twilio = fakeTwilio();
    await dispatcher(db, twilio).drained();
    expect(twilio.lists()).toBe(1);
    expect(twilio.sent).toHaveLength(1);
    expect(signalRow(db, signal.id).providerStatus).toBe("queued");
  });

  it("fails for good on a permanent error, with the reason in plain words", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { to: "+15005550009" });
    const twilio = fakeTwilio(() => {
      throw TwilioError.fromCode(21614, 400, "'To' number +15005550009 is not a valid mobile number");
    });
    await dispatcher(db, twilio).drained();
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

  it("refuses, without calling Twilio, a queued SMS to a number that replied STOP after it was queued", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    suppress(db, "+447700900123", "STOP");
    const twilio = fakeTwilio();
    await dispatcher(db, twilio).drained();
    expect(twilio.calls()).toBe(0);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Failed" });
    expect(signalRow(db, signal.id).reason).toMatch(/STOP/);
  });

  it("keeps to the configured rate", async () => {
    const db = testDb();
    const member = makeMember(db);
    for (let i = 0; i < 30; i++) queueSignal(db, member, { to: `+4477009001${String(i).padStart(2, "0")}` });
    const twilio = fakeTwilio();
    const d = new Dispatcher({ db, mps: 50, ports: fakePorts(twilio.port), pollMs: 10 });
    running.push(d);
    const started = performance.now();
    d.start();
    await d.drained();
    const seconds = (performance.now() - started) / 1000;
    expect(twilio.sent).toHaveLength(30);
    // 5 may go at once (the burst), the other 25 at 50 per second.
    expect(seconds).toBeGreaterThan(0.45);
    expect(db.select().from(outbox).where(eq(outbox.state, "sent")).all()).toHaveLength(30);
  });
});
