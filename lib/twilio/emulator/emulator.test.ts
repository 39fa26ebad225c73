import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { testDb } from "@/lib/testing/db";
import { TwilioError } from "../errors";
import { servedEmulator, webhookReceiver } from "../testing";

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
  it("accepts a message, then POSTs signed callbacks queued -> sent -> delivered in order", async () => {
    const { twilio, receiver, callbackUrl } = await setup();
    const sent = await twilio.client().sendSms({ to: "+447400123456", body: "You are invited", statusCallback: callbackUrl });
    expect(sent).toMatchObject({ status: "queued", to: "+447400123456", errorCode: null, numSegments: 1 });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);

    await receiver.waitFor((all) => all.some((r) => r.params.MessageStatus === "delivered"));
    expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual(["queued", "sent", "delivered"]);
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
    await receiver.waitFor(() => finals(unreachable.sid).length === 3 && finals(unknownError.sid).length === 2);

    expect(finals(unreachable.sid).map((r) => r.params.MessageStatus)).toEqual(["queued", "sent", "undelivered"]);
    expect(finals(unreachable.sid)[2]!.params.ErrorCode).toBe("30003");
    expect(finals(unknownError.sid).map((r) => r.params.MessageStatus)).toEqual(["queued", "failed"]);
    expect(finals(unknownError.sid)[1]!.params.ErrorCode).toBe("30008");
    expect(await twilio.client().fetchMessage(unreachable.sid)).toMatchObject({ status: "undelivered", errorCode: 30003 });
  });

  it("answers wrong credentials with 401 / 20003, explained for the operator", async () => {
    const { twilio, callbackUrl } = await setup();
    const error = await sendError(twilio.client({ authToken: "0".repeat(32) }).sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl }));
    expect(error).toMatchObject({ code: 20003, httpStatus: 401, retryable: false });
    expect(error.operatorMessage).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(error.memberMessage).not.toMatch(/20003|token/i);
  });

  it("enforces the configured messages per second per sender with 429 / 20429, then lets sends through again", async () => {
    const { twilio, callbackUrl } = await setup({ mps: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl })),
    );
    const refused = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as TwilioError);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(refused).toHaveLength(3);
    for (const e of refused) expect(e).toMatchObject({ code: 20429, httpStatus: 429, retryable: true });
    await new Promise((r) => setTimeout(r, 450));
    await expect(twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl })).resolves.toMatchObject({ status: "queued" });
  });

  it("lists a recipient's messages since a time, across pages, so an unknown outcome can be checked", async () => {
    const { twilio, callbackUrl } = await setup({ mps: 1000 });
    const client = twilio.client();
    await client.sendSms({ to: "+447400111111", body: "old", statusCallback: callbackUrl });
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5)); // Twilio dates have one-second resolution
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

  it("resumes pending transitions and owed callbacks after a restart", async () => {
    const db = testDb();
    const first = await setup({ delays: { queuedMs: 300, sentMs: 40, acceptedMs: 20 } }, db);
    const sent = await first.twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: first.callbackUrl });
    await first.receiver.waitFor((all) => all.length === 1);
    await first.twilio.close(); // the process stops while the message is still queued

    const second = await servedEmulator(db, { accountSid: first.twilio.config.accountSid, authToken: first.twilio.config.authToken });
    cleanups.push(second.close);
    second.emulator.resume();
    await first.receiver.waitFor((all) => all.some((r) => r.params.MessageStatus === "delivered"));
    expect(first.receiver.received.map((r) => r.params.MessageStatus)).toEqual(["queued", "sent", "delivered"]);
    expect(await second.client().fetchMessage(sent.sid)).toMatchObject({ status: "delivered" });
  });

  it("posts a tester's reply as a signed inbound webhook with OptOutType, and honours STOP until START", async () => {
    const authToken = "f".repeat(32);
    const app = await webhookReceiver(authToken, (r) =>
      r.params.OptOutType === "HELP"
        ? new Response("<Response><Message>Select Exposure: reply STOP to opt out &amp; START to opt in.</Message></Response>", { headers: { "content-type": "text/xml" } })
        : new Response("<Response/>", { headers: { "content-type": "text/xml" } }),
    );
    cleanups.push(app.close);
    const { twilio, callbackUrl } = await setup({ authToken, inboundUrl: `${app.url}/api/twilio/inbound` });
    const send = () => twilio.client().sendSms({ to: "+447400123456", body: "hi", statusCallback: callbackUrl });

    const stop = await twilio.emulator.receive({ from: "+447400123456", body: "stop" });
    expect(stop.message).toMatchObject({ direction: "inbound", status: "received", replyHttpStatus: 200 });
    const posted = app.received[0]!;
    expect(posted.path).toBe("/api/twilio/inbound");
    expect(posted.params).toMatchObject({ From: "+447400123456", To: "+15005550006", Body: "stop", OptOutType: "STOP", NumMedia: "0", FromCountry: "GB", ToCountry: "US", AccountSid: twilio.config.accountSid });
    expect(posted.params.MessageSid).toBe(stop.message.sid);
    expect(posted.signatureValid).toBe(true);
    expect((await sendError(send())).code).toBe(21610);

    const help = await twilio.emulator.receive({ from: "+447400123456", body: "HELP" });
    expect(help.replies.map((r) => r.body)).toEqual(["Select Exposure: reply STOP to opt out & START to opt in."]);

    await twilio.emulator.receive({ from: "+447400123456", body: "START" });
    expect(app.received.at(-1)!.params.OptOutType).toBe("START");
    await expect(send()).resolves.toMatchObject({ status: "queued" });
  });
});
