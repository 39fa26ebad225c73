// End to end over real HTTP: our dispatcher drives the real Twilio client against the emulator, whose signed status
// callbacks and inbound replies reach our webhook routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as inbound } from "@/app/api/twilio/inbound/route";
import { POST as statusCallback } from "@/app/api/twilio/status-callback/route";
import { getDb } from "@/db/client";
import { getEnv, resetEnvForTests } from "@/lib/env";
import { SANDBOX_POLICY } from "@/lib/outbox/policy";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { attemptsOf, claimDue } from "@/lib/outbox/queue";
import { tempDir } from "@/lib/testing/db";
import { until } from "@/lib/testing/wait";
import { makeMember, outboxOf, queueSignal, signalRow } from "@/lib/testing/messaging";
import { serve } from "@/lib/http/serve";
import { servedEmulator } from "@/lib/testing/twilio";
import { SignalRefused } from "./errors";

let app: Awaited<ReturnType<typeof serve>>;
let emu: Awaited<ReturnType<typeof servedEmulator>>;
let dispatcher: Dispatcher;

beforeAll(async () => {
  process.env.DATA_DIR = tempDir();
  app = await serve((request) => {
    const path = new URL(request.url).pathname.replace(/\/$/, "");
    if (path === "/api/twilio/status-callback") return statusCallback(request, undefined);
    if (path === "/api/twilio/inbound") return inbound(request, undefined);
    return new Response("not found", { status: 404 });
  });
  process.env.APP_URL = app.url;
  resetEnvForTests();
  const { accountSid, authToken } = getEnv().twilio;
  emu = await servedEmulator(getDb(), { accountSid, authToken, inboundUrl: `${app.url}/api/twilio/inbound` });
  dispatcher = startDispatcher();
});
afterAll(async () => {
  dispatcher?.stop();
  await emu?.close();
  await app?.close();
});

function startDispatcher() {
  // Short timings (yet roomy on a busy machine): an attempt whose answer was lost can no longer create a message
  // 1.7 s after it started.
  const client = emu.client({}, { timeoutMs: 1500, providerGraceMs: 200 });
  return new Dispatcher({
    db: getDb(),
    mps: 50,
    pollMs: 20,
    policy: { ...SANDBOX_POLICY, recheckMs: 100 },
    ports: { sms: () => client, mail: async () => ({ messageId: "x", response: "250", caught: true }), statusCallbackUrl: () => `${app.url}/api/twilio/status-callback` },
  }).start();
}


const send = (to: string) => {
  const db = getDb();
  const s = queueSignal(db, makeMember(db), { to }, { ...getEnv(), limits: { perMemberPerDay: 100, perRecipientPerDay: 100, perIpPerDay: 1000 } } as never);
  dispatcher.kick();
  return s;
};

describe("a smoke signal by SMS, end to end against the Twilio emulator", () => {
  it("is sent, and Twilio's signed callbacks take it from Pending to Delivered", async () => {
    const signal = send("+447700900501");
    const delivered = await until(() => signalRow(getDb(), signal.id).status === "Delivered" && signalRow(getDb(), signal.id));
    expect(delivered).toMatchObject({ providerStatus: "delivered", errorCode: null });
    expect(delivered.providerSid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("a magic number Twilio refuses at once ends Failed with a plain reason and is not retried", async () => {
    const signal = send("+15005550009");
    const failed = await until(() => signalRow(getDb(), signal.id).status === "Failed" && signalRow(getDb(), signal.id));
    expect(failed.errorCode).toBe(21614);
    expect(failed.reason).toMatch(/mobile|text/i);
    expect(attemptsOf(getDb(), outboxOf(getDb(), signal.id).id).map((a) => a.outcome)).toEqual(["failed"]);
  });

  it("a handset that cannot be reached ends Failed with error 30003 from the callback", async () => {
    const signal = send("+15005553003");
    const failed = await until(() => signalRow(getDb(), signal.id).status === "Failed" && signalRow(getDb(), signal.id));
    expect(failed).toMatchObject({ errorCode: 30003, providerStatus: "undelivered" });
    expect(failed.reason).toBeTruthy();
  });

  it("a STOP reply from the phone suppresses the number: the next send is refused before Twilio is called", async () => {
    const number = "+447700900502";
    await emu.emulator.receive({ from: number, body: "STOP" });
    let refused: unknown;
    try {
      send(number);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SignalRefused);
    expect((refused as SignalRefused).code).toBe("recipient_opted_out");
    await emu.emulator.receive({ from: number, body: "START" });
    const signal = send(number);
    await until(() => signalRow(getDb(), signal.id).status === "Delivered");
  });

  it("HELP from the phone gets exactly one answer, Twilio's own: the app does not reply a second time", async () => {
    const help = await emu.emulator.receive({ from: "+447700900505", body: "HELP" });
    expect(help.message.replyHttpStatus).toBe(200);
    expect(help.replies.map((r) => r.replyBy)).toEqual(["twilio"]);
  });

  it("a timeout at Twilio leaves the signal Pending with a reason the member can see, then Delivered, sent once", async () => {
    const number = "+447700900504";
    emu.emulator.context.faults.set({ timeout: 1, to: number });
    const signal = send(number);
    const pending = await until(() => signalRow(getDb(), signal.id).reason && signalRow(getDb(), signal.id));
    expect(pending).toMatchObject({ status: "Pending", reason: "We are checking whether your message went out; its status will update shortly." });
    emu.emulator.context.faults.set({});
    await until(() => signalRow(getDb(), signal.id).status === "Delivered");
    expect(signalRow(getDb(), signal.id).reason).toBeNull();
    expect(await emu.client().listMessages({ to: number, since: new Date(0) })).toHaveLength(1);
    expect(attemptsOf(getDb(), outboxOf(getDb(), signal.id).id).map((a) => a.outcome)).toEqual(expect.arrayContaining(["unknown", "found"]));
  });

  it("callbacks duplicated, reordered and delayed still end every signal at its right final status", async () => {
    emu.emulator.context.faults.set({ callbackDuplicate: 0.3, callbackReorder: 0.3, callbackDelay: 0.3, callbackDelayMs: 150 });
    try {
      const numbers = ["+447700900510", "+447700900511", "+447700900512", "+15005553003", "+15005553008", "+447700900513"];
      const signals = numbers.map((n) => send(n));
      await until(() => signals.every((s) => signalRow(getDb(), s.id).status !== "Pending"), 8000);
      await emu.emulator.idle();
      expect(signals.map((s) => [signalRow(getDb(), s.id).status, signalRow(getDb(), s.id).errorCode])).toEqual([
        ["Delivered", null],
        ["Delivered", null],
        ["Delivered", null],
        ["Failed", 30003],
        ["Failed", 30008],
        ["Delivered", null],
      ]);
    } finally {
      emu.emulator.context.faults.set({});
    }
  });

  it("resumes after a restart without sending twice: a send whose process died is found at Twilio", async () => {
    dispatcher.stop();
    const db = getDb();
    const signal = send("+447700900503");
    // A first process claims the message (for 1 ms), gets it to Twilio, and dies before recording the answer.
    const [claimed] = claimDue(db, 1, 1);
    await emu.client().sendSms({ to: claimed!.recipient, body: claimed!.body, statusCallback: `${app.url}/api/twilio/status-callback` });
    await until(() => Date.now() > claimed!.leaseUntil!.getTime());
    dispatcher = startDispatcher();
    await until(() => signalRow(db, signal.id).status === "Delivered");
    const atTwilio = await emu.client().listMessages({ to: "+447700900503", since: new Date(Date.now() - 60_000) });
    expect(atTwilio).toHaveLength(1);
    // Looked up only once that attempt could no longer create a message, then found: never sent twice.
    expect(attemptsOf(db, outboxOf(db, signal.id).id).map((a) => a.outcome)).toEqual(["unknown", "found"]);
  });
});
