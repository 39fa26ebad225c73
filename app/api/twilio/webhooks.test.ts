import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { getEnv, resetEnvForTests } from "@/lib/env";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { isSuppressed } from "@/lib/smoke-signals/suppression";
import { tempDir } from "@/lib/testing/db";
import { fakePorts, fakeTwilio, makeMember, queueSignal, signalRow } from "@/lib/testing/messaging";
import { serve } from "@/lib/http/serve";
import { signTwilioRequest } from "@/lib/twilio/webhook";
import { receiptCounts } from "@/lib/webhooks/queries";
import { flushWebhookReceipts } from "@/lib/webhooks/receipts";
import { POST as inbound } from "./inbound/route";
import { POST as statusCallback } from "./status-callback/route";

let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  process.env.DATA_DIR = tempDir();
  server = await serve((request) => {
    const path = new URL(request.url).pathname.replace(/\/$/, "");
    if (path === "/api/twilio/status-callback") return statusCallback(request, undefined);
    if (path === "/api/twilio/inbound") return inbound(request, undefined);
    return new Response("not found", { status: 404 });
  });
  // Twilio signs the public URL: here the public URL is the test server itself.
  process.env.APP_URL = server.url;
  resetEnvForTests();
});
afterAll(() => server?.close());

async function post(path: string, params: Record<string, string>, opts: { sign?: boolean; tamper?: boolean } = {}) {
  const url = `${server.url}${path}`;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (opts.sign !== false) headers["x-twilio-signature"] = signTwilioRequest(getEnv().twilio.authToken, url, params);
  const body = new URLSearchParams(opts.tamper ? { ...params, MessageStatus: "delivered" } : params);
  return fetch(url, { method: "POST", headers, body });
}

/** The console's webhook counts of the last hour for Twilio status callbacks, as "outcome detail" -> count. */
function counts(): Record<string, number> {
  flushWebhookReceipts();
  return Object.fromEntries(
    receiptCounts(getDb(), new Date(Date.now() - 3600_000))
      .filter((r) => r.kind === "twilio_status")
      .map((r) => [`${r.outcome} ${r.detail}`, r.count]),
  );
}

async function sentSignal() {
  const db = getDb();
  const signal = queueSignal(db, makeMember(db));
  const twilio = fakeTwilio();
  const d = new Dispatcher({ db, mps: 100, ports: fakePorts(twilio.port), pollMs: 10 }).start();
  await d.drained();
  d.stop();
  return { db, signal, sid: twilio.sent.at(-1)!.sid };
}

const callback = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  MessageSid: sid,
  SmsSid: sid,
  MessageStatus: status,
  SmsStatus: status,
  AccountSid: getEnv().twilio.accountSid,
  To: "+447700900123",
  From: "+15005550006",
  ApiVersion: "2010-04-01",
  ...extra,
});

describe("Twilio status callbacks over HTTP", () => {
  it("a signed sequence of callbacks takes a signal to Delivered", async () => {
    const { db, signal, sid } = await sentSignal();
    for (const status of ["sent", "delivered"]) expect((await post("/api/twilio/status-callback", callback(sid, status))).status).toBe(200);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
  });

  it("duplicates and shuffled callbacks end at the right final status, and the trailing slash works too", async () => {
    const { db, signal, sid } = await sentSignal();
    for (const status of ["delivered", "sent", "queued", "delivered", "sending", "sent"]) {
      expect((await post("/api/twilio/status-callback/", callback(sid, status))).status).toBe(200);
    }
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "delivered" });
  });

  it("a failure report carries its error code and a plain reason", async () => {
    const { db, signal, sid } = await sentSignal();
    await post("/api/twilio/status-callback", callback(sid, "sent"));
    await post("/api/twilio/status-callback", callback(sid, "undelivered", { ErrorCode: "30003" }));
    const s = signalRow(db, signal.id);
    expect(s).toMatchObject({ status: "Failed", errorCode: 30003 });
    expect(s.reason).toBeTruthy();
    expect(s.reason).not.toMatch(/30003/);
  });

  it("refuses unsigned, badly signed and tampered callbacks with 403 and changes nothing", async () => {
    const { db, signal, sid } = await sentSignal();
    expect((await post("/api/twilio/status-callback", callback(sid, "delivered"), { sign: false })).status).toBe(403);
    const bad = await fetch(`${server.url}/api/twilio/status-callback`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "bm9wZQ==" },
      body: new URLSearchParams(callback(sid, "delivered")),
    });
    expect(bad.status).toBe(403);
    expect((await post("/api/twilio/status-callback", callback(sid, "failed"), { tamper: true })).status).toBe(403);
    expect(signalRow(db, signal.id).status).toBe("Pending");
  });

  it("every callback is counted for the console: which token signed it, or why it was refused", async () => {
    const before = counts();
    const { sid } = await sentSignal();
    await post("/api/twilio/status-callback", callback(sid, "sent"));
    await post("/api/twilio/status-callback", callback(sid, "delivered"), { sign: false });
    await post("/api/twilio/status-callback", callback(sid, "failed"), { tamper: true });
    const after = counts();
    expect(after["accepted primary"]! - (before["accepted primary"] ?? 0)).toBe(1);
    expect(after["refused no_signature"]! - (before["refused no_signature"] ?? 0)).toBe(1);
    expect(after["refused wrong_token"]! - (before["refused wrong_token"] ?? 0)).toBe(1);
  });

  it("a callback for a sid we never sent answers 200", async () => {
    expect((await post("/api/twilio/status-callback", callback(`SM${"f".repeat(32)}`, "delivered"))).status).toBe(200);
  });
});

describe("inbound SMS over HTTP", () => {
  const reply = (from: string, body: string) => ({ MessageSid: `SM${"a".repeat(32)}`, AccountSid: getEnv().twilio.accountSid, From: from, To: "+15005550006", Body: body, NumMedia: "0" });

  it("STOP suppresses the number, START lifts it, and none of them (nor HELP) gets a reply from the app: Twilio replies", async () => {
    const from = "+447700900777";
    const stop = await post("/api/twilio/inbound", reply(from, "Stop"));
    expect(stop.status).toBe(200);
    expect(stop.headers.get("content-type")).toMatch(/text\/xml/);
    expect(isSuppressed(getDb(), from)).toBe(true);
    await post("/api/twilio/inbound/", reply(from, "start"));
    expect(isSuppressed(getDb(), from)).toBe(false);
    const help = await post("/api/twilio/inbound", reply(from, "HELP"));
    expect(await help.text()).toMatch(/<Response\/>$/);
  });

  it("an unsigned inbound message is refused and suppresses nothing", async () => {
    const from = "+447700900778";
    expect((await post("/api/twilio/inbound", reply(from, "STOP"), { sign: false })).status).toBe(403);
    expect(isSuppressed(getDb(), from)).toBe(false);
  });
});
