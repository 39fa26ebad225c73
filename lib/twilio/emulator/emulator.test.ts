import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { sandboxTwilioMessages } from "@/db/schema";
import { testDb } from "@/lib/testing/db";
import { TwilioError } from "../errors";
import { servedEmulator, webhookReceiver } from "@/lib/testing/twilio";
import { createTwilioFaults } from "./faults";
import { DEFAULT_KEYWORD_REPLIES } from "./magic";
import { callbacksFor } from "./store";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(options: Parameters<typeof servedEmulator>[1] = {}, db: Db = testDb()) {
  const twilio = await servedEmulator(db, options);
  cleanups.push(twilio.close);
  const receiver = await webhookReceiver(twilio.config.authToken);
  cleanups.push(receiver.close);
  return { db, twilio, receiver, callbackUrl: `${receiver.url}/api/twilio/status-callback` };
}

async function sendError(promise: Promise<unknown>): Promise<TwilioError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TwilioError);
    return error as TwilioError;
  }
  throw new Error("expected the send to fail");
}

describe("the Twilio emulator, driven by the real SDK over HTTP", () => {
  it("accepts a message as queued, then POSTs signed callbacks sent -> delivered in order (none for the initial status)", async () => {
    const { twilio, receiver, callbackUrl } = await setup();
    const sent = await twilio.client().sendSms({ to: "+447400123456", body: "You are invited", statusCallback: callbackUrl });
    expect(sent).toMatchObject({ status: "queued", to: "+447400123456", errorCode: null, numSegments: 1 });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);

    await receiver.waitFor((all) => all.some((r) => r.params.MessageStatus === "delivered"));
    expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual(["sent", "delivered"]);
    for (const r of receiver.received) {
      expect(r.signatureValid).toBe(true);
      expect(r.path).toBe("/api/twilio/status-callback");
      expect(r.params).toMatchObject({ MessageSid: sent.sid, SmsSid: sent.sid, AccountSid: twilio.config.accountSid, From: "+15005550006", To: "+447400123456", ApiVersion: "2010-04-01" });
      expect(r.params.ErrorCode).toBeUndefined();
    }
    expect(await twilio.client().fetchMessage(sent.sid)).toMatchObject({ sid: sent.sid, status: "delivered" });
  });

  it("refuses Twilio's magic 'To' numbers with their documented errors, in words", async () => {
    const { twilio, callbackUrl } = await setup();
    const cases: [string, number][] = [
      ["+15005550001", 21211],
      ["+15005550002", 21612],
      ["+15005550003", 21408],
      ["+15005550004", 21610],
      ["+15005550009", 21614],
    ];
    for (const [to, code] of cases) {
      const error = await sendError(twilio.client().sendSms({ to, body: "hi", statusCallback: callbackUrl }));
      expect(error).toMatchObject({ code, httpStatus: 400, retryable: false, outcomeUnknown: false });
      expect(error.memberMessage.length).toBeGreaterThan(10);
      expect(error.operatorMessage).toContain(String(code));
    }
  });

  it("refuses the magic 'From' numbers, and any number the account does not own", async () => {
    const { twilio, callbackUrl } = await setup();
    const send = (from: string) => twilio.client({ phoneNumber: from }).sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl });
    expect((await sendError(send("+15005550001"))).code).toBe(21212);
    expect((await sendError(send("+15005550007"))).code).toBe(21606);
    expect(await sendError(send("+15005550008"))).toMatchObject({ code: 21611, retryable: true });
    expect((await sendError(send("+447400999999"))).code).toBe(21606);
  });

  it("refuses a body over 1600 characters with 21617", async () => {
    const { twilio, callbackUrl } = await setup();
    const error = await sendError(twilio.client().sendSms({ to: "+447400123456", body: "x".repeat(1601), statusCallback: callbackUrl }));
    expect(error.code).toBe(21617);
    await expect(twilio.client().sendSms({ to: "+447400123456", body: "x".repeat(1600), statusCallback: callbackUrl })).resolves.toMatchObject({ numSegments: 11 });
  });

  it("fails delivery for +1 500 555 300X with error 3000X, reported in the callbacks", async () => {
    const { twilio, receiver, callbackUrl } = await setup();
    const unreachable = await twilio.client().sendSms({ to: "+15005553003", body: "hi", statusCallback: callbackUrl });
    const unknownError = await twilio.client().sendSms({ to: "+15005553008", body: "hi", statusCallback: callbackUrl });
    const finals = (sid: string) => receiver.received.filter((r) => r.params.MessageSid === sid);
    await receiver.waitFor(() => finals(unreachable.sid).length === 2 && finals(unknownError.sid).length === 1);

    expect(finals(unreachable.sid).map((r) => r.params.MessageStatus)).toEqual(["sent", "undelivered"]);
    expect(finals(unreachable.sid)[1]!.params.ErrorCode).toBe("30003");
    expect(finals(unknownError.sid).map((r) => r.params.MessageStatus)).toEqual(["failed"]);
    expect(finals(unknownError.sid)[0]!.params.ErrorCode).toBe("30008");
    expect(await twilio.client().fetchMessage(unreachable.sid)).toMatchObject({ status: "undelivered", errorCode: 30003 });
  });

  it("on a Trial account, refuses unverified recipients with 21608", async () => {
    const { twilio, callbackUrl } = await setup({ account: { type: "Trial" }, verifiedNumbers: ["+447400123456"] });
    const send = (to: string) => twilio.client().sendSms({ to, body: "hi", statusCallback: callbackUrl });
    await expect(send("+447400123456")).resolves.toMatchObject({ status: "queued" });
    const error = await sendError(send("+447400654321"));
    expect(error).toMatchObject({ code: 21608, retryable: false });
    expect(error.operatorMessage).toMatch(/trial account.*Verified Caller IDs/i);
  });

  it("answers wrong credentials with 401 / 20003, explained for the operator", async () => {
    const { twilio, callbackUrl } = await setup();
    const error = await sendError(twilio.client({ authToken: "0".repeat(32) }).sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl }));
    expect(error).toMatchObject({ code: 20003, httpStatus: 401, retryable: false });
    expect(error.operatorMessage).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(error.memberMessage).not.toMatch(/20003|token/i);
  });

  it("queues a sender's messages beyond its rate instead of refusing them, and sends them at its rate", async () => {
    const { twilio, receiver, callbackUrl } = await setup({ mps: 5, delays: { acceptedMs: 10, queuedMs: 10, sentMs: 10 } });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => twilio.client().sendSms({ to: `+44740012345${i}`, body: "hi", statusCallback: callbackUrl })));
    // No 429: Twilio accepts every message as queued.
    expect(results.map((r) => r.status)).toEqual(Array(8).fill("queued"));
    await receiver.waitFor((all) => all.filter((r) => r.params.MessageStatus === "sent").length === 8, 5000);
    const sentAt = receiver.received.filter((r) => r.params.MessageStatus === "sent").map((r) => r.at - started).sort((a, b) => a - b);
    // One every 200 ms: the eighth leaves about 1.4 s after the first.
    expect(sentAt[7]! - sentAt[0]!).toBeGreaterThanOrEqual(1300);
    expect(sentAt[7]! - sentAt[0]!).toBeLessThan(2500);
  });

  it("refuses a number's message that would wait longer than the queue's maximum with 21611, retryable", async () => {
    const { twilio, callbackUrl } = await setup({ mps: 1, maxQueueWaitMs: 2500, delays: { acceptedMs: 10, queuedMs: 10, sentMs: 10 } });
    const send = () => twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl });
    for (let i = 0; i < 3; i++) await expect(send()).resolves.toMatchObject({ status: "queued" });
    expect(await sendError(send())).toMatchObject({ code: 21611, httpStatus: 400, retryable: true });
  });

  it("through a messaging service, accepts it and fails it with 30001 once it has waited the queue's maximum", async () => {
    const service = `MG${"a".repeat(32)}`;
    const { twilio, receiver, callbackUrl } = await setup({ mps: 1, messagingServiceSid: service, maxQueueWaitMs: 400, delays: { acceptedMs: 10, queuedMs: 10, sentMs: 10 } });
    const send = (to: string) => twilio.client({ messagingServiceSid: service }).sendSms({ to, body: "hi", statusCallback: callbackUrl });
    const first = await send("+447400000001");
    const overflow = await send("+447400000002");
    expect(overflow.status).toBe("accepted");
    await receiver.waitFor((all) => all.some((r) => r.params.MessageSid === overflow.sid && r.params.MessageStatus === "failed"), 3000);
    const overflowed = receiver.received.filter((r) => r.params.MessageSid === overflow.sid);
    // queued is reported (it is not the initial status with a service), then the failure with Twilio's code.
    expect(overflowed.map((r) => r.params.MessageStatus)).toEqual(["queued", "failed"]);
    expect(overflowed[1]!.params.ErrorCode).toBe("30001");
    await receiver.waitFor((all) => all.some((r) => r.params.MessageSid === first.sid && r.params.MessageStatus === "delivered"), 3000);
  });

  it("answers 429 / 20429 only beyond the account's concurrent requests, without processing them", async () => {
    const { twilio, callbackUrl } = await setup({ maxConcurrentRequests: 2, faults: "latencyMs=300" });
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => twilio.client().sendSms({ to: `+44740055500${i}`, body: "hi", statusCallback: callbackUrl })));
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as TwilioError);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(refused).toHaveLength(2);
    for (const e of refused) expect(e).toMatchObject({ code: 20429, httpStatus: 429, retryable: true, outcomeUnknown: false });
    // Never processed: only the two accepted messages exist.
    twilio.emulator.context.faults.set({});
    let total = 0;
    for (let i = 0; i < 4; i++) total += (await twilio.client().listMessages({ to: `+44740055500${i}`, since: new Date(0) })).length;
    expect(total).toBe(2);
  });

  it("lists a recipient's messages since a time, across pages, so an unknown outcome can be checked", async () => {
    const { db, twilio, callbackUrl } = await setup({ mps: 1000 });
    const client = twilio.client();
    const old = await client.sendSms({ to: "+447400111111", body: "old", statusCallback: callbackUrl });
    // Sent five seconds ago: Twilio's dates have one-second resolution, so an older message must be a second older.
    db.update(sandboxTwilioMessages).set({ dateCreated: Date.now() - 5000 }).where(eq(sandboxTwilioMessages.sid, old.sid)).run();
    const since = new Date();
    const sids: string[] = [];
    for (let i = 0; i < 60; i++) sids.push((await client.sendSms({ to: "+447400111111", body: `new ${i}`, statusCallback: callbackUrl })).sid);
    await client.sendSms({ to: "+447400222222", body: "someone else", statusCallback: callbackUrl });

    const listed = await client.listMessages({ to: "+447400111111", since });
    expect(listed).toHaveLength(60);
    expect(new Set(listed.map((m) => m.sid))).toEqual(new Set(sids));
    expect(listed[0]!.body).toBe("new 59");
    expect(listed.every((m) => m.dateCreated.getTime() >= since.getTime() - 1000 && m.to === "+447400111111")).toBe(true);
  });

  it("filters the list by DateSent> as Twilio does: a message still queued has no date_sent yet", async () => {
    const { twilio, receiver, callbackUrl } = await setup({ delays: { acceptedMs: 20, queuedMs: 400, sentMs: 40 } });
    const before = new Date(Date.now() - 60_000);
    const sent = await twilio.client().sendSms({ to: "+447400333333", body: "hi", statusCallback: callbackUrl });
    const sentSince = () => twilio.client().sdk.messages.list({ to: "+447400333333", dateSentAfter: before });
    expect(await sentSince()).toEqual([]);
    await receiver.waitFor((all) => all.some((r) => r.params.MessageStatus === "sent"));
    expect((await sentSince()).map((m) => m.sid)).toEqual([sent.sid]);
    expect(await twilio.client().sdk.messages.list({ to: "+447400333333", dateSentAfter: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it("resumes pending transitions and owed callbacks after a restart", async () => {
    const db = testDb();
    const first = await setup({ delays: { queuedMs: 300, sentMs: 40, acceptedMs: 20 } }, db);
    const sent = await first.twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: first.callbackUrl });
    await first.twilio.close(); // the process stops while the message is still queued
    expect(first.receiver.received).toEqual([]);

    const second = await servedEmulator(db, { accountSid: first.twilio.config.accountSid, authToken: first.twilio.config.authToken });
    cleanups.push(second.close);
    second.emulator.resume();
    await first.receiver.waitFor((all) => all.some((r) => r.params.MessageStatus === "delivered"));
    expect(first.receiver.received.map((r) => r.params.MessageStatus)).toEqual(["sent", "delivered"]);
    expect(await second.client().fetchMessage(sent.sid)).toMatchObject({ status: "delivered" });
  });

  it("after a restart, sends a callback that was still owed when the process stopped", async () => {
    const db = testDb();
    const first = await setup({ delays: { queuedMs: 3600_000, sentMs: 40, acceptedMs: 20 } }, db);
    const sent = await first.twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: first.callbackUrl });
    await first.twilio.close();
    // The process stopped between moving the message to "sent" and posting that status's callback.
    db.update(sandboxTwilioMessages).set({ status: "sent", dateSent: Date.now(), nextAt: Date.now() + 100 }).where(eq(sandboxTwilioMessages.sid, sent.sid)).run();

    const second = await servedEmulator(db, { accountSid: first.twilio.config.accountSid, authToken: first.twilio.config.authToken });
    cleanups.push(second.close);
    second.emulator.resume();
    await first.receiver.waitFor((all) => all.some((r) => r.params.MessageStatus === "delivered"));
    expect(first.receiver.received.map((r) => [r.params.MessageSid, r.params.MessageStatus])).toEqual([
      [sent.sid, "sent"],
      [sent.sid, "delivered"],
    ]);
  });

  it("posts a tester's reply as a signed inbound webhook, answers STOP/START/HELP itself as Twilio does, and honours STOP until START", async () => {
    const authToken = "f".repeat(32);
    const app = await webhookReceiver(authToken);
    cleanups.push(app.close);
    const { twilio, callbackUrl } = await setup({ authToken, inboundUrl: `${app.url}/api/twilio/inbound` });
    const send = () => twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl });

    const stop = await twilio.emulator.receive({ from: "+447400123456", body: "stop" });
    expect(stop.message).toMatchObject({ direction: "inbound", status: "received", replyHttpStatus: 200 });
    const posted = app.received[0]!;
    expect(posted.path).toBe("/api/twilio/inbound");
    expect(posted.params).toMatchObject({ From: "+447400123456", To: "+15005550006", Body: "stop", NumMedia: "0", FromCountry: "GB", ToCountry: "US", AccountSid: twilio.config.accountSid });
    // Default opt-out handling (a number, no Advanced Opt-Out): no OptOutType; Twilio's own reply goes to the phone.
    expect(posted.params.OptOutType).toBeUndefined();
    expect(posted.params.MessageSid).toBe(stop.message.sid);
    expect(posted.signatureValid).toBe(true);
    expect(stop.replies.map((r) => [r.replyBy, r.body])).toEqual([["twilio", DEFAULT_KEYWORD_REPLIES.STOP]]);
    expect((await sendError(send())).code).toBe(21610);

    // Opted out: HELP gets no answer from Twilio.
    expect((await twilio.emulator.receive({ from: "+447400123456", body: "HELP" })).replies).toEqual([]);
    const start = await twilio.emulator.receive({ from: "+447400123456", body: "START" });
    expect(start.replies.map((r) => r.body)).toEqual([DEFAULT_KEYWORD_REPLIES.START]);
    const help = await twilio.emulator.receive({ from: "+447400123456", body: "help" });
    expect(help.replies.map((r) => [r.replyBy, r.body])).toEqual([["twilio", DEFAULT_KEYWORD_REPLIES.HELP]]);
    await expect(send()).resolves.toMatchObject({ status: "queued" });
  });

  it("sends OptOutType only with Advanced Opt-Out on a messaging service", async () => {
    const authToken = "e".repeat(32);
    const app = await webhookReceiver(authToken);
    cleanups.push(app.close);
    const service = `MG${"b".repeat(32)}`;
    const { twilio } = await setup({ authToken, messagingServiceSid: service, advancedOptOut: true, inboundUrl: `${app.url}/api/twilio/inbound` });
    await twilio.emulator.receive({ from: "+447400123457", body: "Unsubscribe" });
    expect(app.received[0]!.params).toMatchObject({ OptOutType: "STOP", MessagingServiceSid: service });
    const plain = await setup({ authToken, messagingServiceSid: service, advancedOptOut: false, inboundUrl: `${app.url}/api/twilio/inbound` });
    await plain.twilio.emulator.receive({ from: "+447400123458", body: "STOP" });
    expect(app.received[1]!.params.OptOutType).toBeUndefined();
  });

  it("delivers an app's TwiML reply, except to a number that opted out (21610), so a second reply is visible", async () => {
    const authToken = "d".repeat(32);
    const app = await webhookReceiver(authToken, () => new Response("<Response><Message>Thanks &amp; bye</Message></Response>", { headers: { "content-type": "text/xml" } }));
    cleanups.push(app.close);
    const { twilio } = await setup({ authToken, inboundUrl: `${app.url}/api/twilio/inbound` });
    const hello = await twilio.emulator.receive({ from: "+447400123459", body: "hello there" });
    expect(hello.replies.map((r) => [r.replyBy, r.status, r.body])).toEqual([["app", "delivered", "Thanks & bye"]]);
    const stop = await twilio.emulator.receive({ from: "+447400123459", body: "STOP" });
    expect(stop.replies.map((r) => [r.replyBy, r.status, r.errorCode])).toEqual([
      ["twilio", "delivered", null],
      ["app", "failed", 21610],
    ]);
  });
});

describe("the Twilio emulator's faults on demand", () => {
  it("a 500 is answered after the message was created; a 503 and a 429 before, so nothing was created", async () => {
    const { twilio, callbackUrl } = await setup();
    const send = (to: string) => twilio.client().sendSms({ to, body: "hi", statusCallback: callbackUrl });
    const count = async (to: string) => (await twilio.client().listMessages({ to, since: new Date(0) })).length;
    twilio.emulator.context.faults.set({ error500: 1 });
    expect(await sendError(send("+447400100001"))).toMatchObject({ httpStatus: 500, outcomeUnknown: true });
    twilio.emulator.context.faults.set({ error503: 1, to: "+447400100002" });
    expect(await sendError(send("+447400100002"))).toMatchObject({ httpStatus: 503, outcomeUnknown: true });
    twilio.emulator.context.faults.set({ tooManyRequests: 1, to: "+447400100003" });
    expect(await sendError(send("+447400100003"))).toMatchObject({ code: 20429, retryable: true, outcomeUnknown: false });
    twilio.emulator.context.faults.reset();
    expect([await count("+447400100001"), await count("+447400100002"), await count("+447400100003")]).toEqual([1, 0, 0]);
    expect(twilio.emulator.context.faults.injected()).toEqual({});
  });

  it("a timeout processes the request and withholds the answer: the client gives up, the message exists", async () => {
    const { twilio, callbackUrl } = await setup({ faults: "timeout=100%,to=+447400100010" });
    const started = Date.now();
    const error = await sendError(twilio.client({}, { timeoutMs: 300 }).sendSms({ to: "+447400100010", body: "hi", statusCallback: callbackUrl }));
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(twilio.emulator.context.faults.injected()).toEqual({ timeout: 1 });
    // Aimed at one number: others are untouched.
    await expect(twilio.client().sendSms({ to: "+447400100011", body: "hi", statusCallback: callbackUrl })).resolves.toMatchObject({ status: "queued" });
    // Reset goes back to the environment's settings (this fault); clearing them turns every fault off.
    expect(twilio.emulator.context.faults.reset().timeout).toBe(1);
    twilio.emulator.context.faults.set({});
    expect(await twilio.client().listMessages({ to: "+447400100010", since: new Date(0) })).toHaveLength(1);
  });

  it("a timeout can also answer late, after the configured time", async () => {
    const { twilio, callbackUrl } = await setup({ faults: "timeout=1,timeoutAnswerAfterMs=250" });
    const started = Date.now();
    await expect(twilio.client().sendSms({ to: "+447400100020", body: "hi", statusCallback: callbackUrl })).resolves.toMatchObject({ status: "queued" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("status callbacks can be duplicated, dropped, delayed or reordered", async () => {
    const { twilio, receiver, callbackUrl } = await setup({ delays: { acceptedMs: 10, queuedMs: 10, sentMs: 60 } });
    const faults = twilio.emulator.context.faults;
    const statuses = (sid: string) => receiver.received.filter((r) => r.params.MessageSid === sid).map((r) => r.params.MessageStatus);
    const send = (to: string) => twilio.client().sendSms({ to, body: "hi", statusCallback: callbackUrl });

    faults.set({ callbackDuplicate: 1 });
    const dup = await send("+447400100030");
    await receiver.waitFor(() => statuses(dup.sid).length === 4);
    expect(statuses(dup.sid)).toEqual(["sent", "sent", "delivered", "delivered"]);

    faults.set({ callbackReorder: 1, callbackDelayMs: 50 });
    const reordered = await send("+447400100031");
    await receiver.waitFor(() => statuses(reordered.sid).length === 2);
    expect(statuses(reordered.sid)).toEqual(["delivered", "sent"]);

    faults.set({ callbackDelay: 1, callbackDelayMs: 300 });
    const sentAt = Date.now();
    const delayed = await send("+447400100032");
    await receiver.waitFor(() => statuses(delayed.sid).length === 2);
    expect(statuses(delayed.sid)).toEqual(["sent", "delivered"]);
    const first = receiver.received.find((r) => r.params.MessageSid === delayed.sid)!;
    expect(first.at - sentAt).toBeGreaterThanOrEqual(300);

    faults.set({ callbackDrop: 1 });
    const dropped = await send("+447400100033");
    await twilio.emulator.idle();
    // Both callbacks were due and dropped (recorded as such, never posted): none can reach the receiver later.
    await expect.poll(() => callbacksFor(twilio.emulator.context.db, [dropped.sid]).map((c) => c.fault)).toEqual(["dropped", "dropped"]);
    expect(statuses(dropped.sid)).toEqual([]);
    expect(await twilio.client().fetchMessage(dropped.sid)).toMatchObject({ status: "delivered" });
  });

  it("can make new messages show up late in list results", async () => {
    const { twilio, callbackUrl } = await setup({ faults: "listLagMs=300" });
    const sentAt = Date.now();
    await twilio.client().sendSms({ to: "+447400100040", body: "hi", statusCallback: callbackUrl });
    expect(await twilio.client().listMessages({ to: "+447400100040", since: new Date(0) })).toHaveLength(0);
    await expect.poll(async () => (await twilio.client().listMessages({ to: "+447400100040", since: new Date(0) })).length, { timeout: 5000 }).toBe(1);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(300);
  });

  it("refuses malformed settings with the field and its problem, changing nothing", () => {
    const store = createTwilioFaults("error500=10%");
    expect(store.set({ error500: 2 })).toMatchObject({ ok: false, fields: { error500: expect.stringContaining("between 0 and 1") } });
    expect(store.set({ error500: 0.6, timeout: 0.6 })).toMatchObject({ ok: false, fields: { error500: expect.stringContaining("100%") } });
    expect(store.set({ nonsense: 1 })).toMatchObject({ ok: false });
    expect(store.set({ to: "07700 900123" })).toMatchObject({ ok: false, fields: { to: expect.stringContaining("E.164") } });
    expect(store.get().error500).toBe(0.1);
    expect(store.source()).toBe("environment");
  });
});
