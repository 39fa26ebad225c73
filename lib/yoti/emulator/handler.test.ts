import { generateKeyPairSync } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxYotiDeliveries, sandboxYotiSessions } from "@/db/schema";
import { testDb } from "@/lib/testing/db";
import { serve } from "@/lib/http/serve";
import { createYotiClient } from "../client";
import createFixture from "../fixtures/create-session-response.json";
import completeFixture from "../fixtures/result-complete.json";
import pendingFixture from "../fixtures/result-pending.json";
import { pssSaltLength } from "@/lib/testing/pss";
import { canonicalNotification, verifyNotification } from "../notification";
import type { CreateSessionRequest } from "../schemas";
import { centralAuthTokenSource, staticTokenSource } from "../token";
import { createYotiEmulator } from "./handler";

const pem = () => generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const notifyKeys = pem();
const clientKeys = pem();
const SDK_ID = "3a0d8b7e-5c3f-4f4e-9d8a-0b1c2d3e4f50";
const KEY = "the-api-key";
let clock = Date.now();
let base: string;
const received: string[] = [];
let failuresLeft = 0;
const emulatorDb = testDb();
const closers: (() => Promise<void>)[] = [];

const body = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: "OVER",
  ttl: 900,
  reference_id: "ref-1",
  age_estimation: { allowed: true, threshold: 25, level: "PASSIVE", retry_limit: 1 },
  digital_id: { allowed: true, threshold: 18, age_estimation_allowed: true, age_estimation_threshold: 25, level: "NONE", retry_limit: 1 },
  doc_scan: { allowed: false, threshold: 18, authenticity: "AUTO", level: "PASSIVE", retry_limit: 1 },
  callback: { auto: true, url: "http://app.example/back" },
  notification_url: `${receiverUrl}/hook`,
  cancel_url: "http://app.example/cancelled",
  ...patch,
});
let receiverUrl = "";

beforeAll(async () => {
  const receiver = await serve(async (r) => {
    received.push(await r.text());
    if (failuresLeft > 0) {
      failuresLeft--;
      return new Response("not now", { status: 503 });
    }
    return new Response("ok");
  });
  receiverUrl = receiver.url;
  const handler = createYotiEmulator({
    db: emulatorDb,
    sdkId: SDK_ID,
    apiKey: KEY,
    notificationPrivateKeyPem: notifyKeys.privateKey,
    retry: { baseMs: 20, capMs: 80 },
    now: () => new Date(clock),
    centralAuth: { publicKeyPem: clientKeys.publicKey, tokenUrl: "https://auth.example/v1/oauth/token" },
  });
  const server = await serve(handler);
  base = `${server.url}/sandbox/yoti`;
  closers.push(receiver.close, server.close);
});
afterAll(async () => Promise.all(closers.map((c) => c())));

const call = (method: string, path: string, init: { headers?: Record<string, string>; json?: unknown } = {}) =>
  fetch(`${base}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...(init.headers ?? { authorization: `Bearer ${KEY}`, "yoti-sdk-id": SDK_ID }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });

const hosted = (id: string, action: string, form: Record<string, string> = {}) =>
  fetch(`${base}/hosted/${id}/${action}`, { method: "POST", body: new URLSearchParams({ sdkId: SDK_ID, ...form }), redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" } });

describe("Yoti emulator", () => {
  it("answers 401 for a missing or unknown SDK ID and 403 for a wrong bearer, as Yoti documents", async () => {
    expect((await call("POST", "/sessions", { headers: { authorization: `Bearer ${KEY}` }, json: body() })).status).toBe(401);
    expect((await call("POST", "/sessions", { headers: { authorization: `Bearer ${KEY}`, "yoti-sdk-id": "undefined" }, json: body() })).status).toBe(401);
    expect((await call("POST", "/sessions", { headers: { authorization: "Bearer nope", "yoti-sdk-id": SDK_ID }, json: body() })).status).toBe(403);
    expect((await call("POST", "/sessions", { headers: { "yoti-sdk-id": SDK_ID }, json: body() })).status).toBe(403);
  });

  it.each([
    ["an unknown type", { type: "ABOVE" as never }, "type"],
    ["a ttl under a minute", { ttl: 30 }, "ttl"],
    ["a ttl over a month", { ttl: 40 * 24 * 3600 }, "ttl"],
    ["an unknown level", { age_estimation: { allowed: true, threshold: 25, level: "ACTIVE" as never, retry_limit: 1 } }, "age_estimation.level"],
    ["a digital ID estimation threshold equal to its threshold", { digital_id: { allowed: true, threshold: 18, age_estimation_allowed: true, age_estimation_threshold: 18, level: "NONE", retry_limit: 1 } }, "digital_id.age_estimation_threshold"],
    ["a digital ID estimation threshold 21 above", { digital_id: { allowed: true, threshold: 18, age_estimation_allowed: true, age_estimation_threshold: 39, level: "NONE", retry_limit: 1 } }, "digital_id.age_estimation_threshold"],
  ])("refuses %s with 400 naming the field", async (_what, patch, field) => {
    const response = await call("POST", "/sessions", { json: body(patch) });
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error.context.map((c: { field: string }) => c.field)).toContain(field);
  });

  it("answers in the documented shapes", async () => {
    const created = await (await call("POST", "/sessions", { json: body() })).json();
    expect(Object.keys(created).sort()).toEqual(Object.keys(createFixture).sort());
    expect(created.status).toBe("PENDING");
    expect(created.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const pending = await (await call("GET", `/sessions/${created.id}/result`)).json();
    for (const key of Object.keys(pending)) expect(Object.keys(pendingFixture), key).toContain(key);
    expect(pending).toMatchObject({ status: "PENDING", sdk_id: SDK_ID, reference_id: "ref-1", type: "OVER", age_estimation: { threshold: 25, allowed: true, attempts: 0, attempts_remaining: 2 } });
    expect((await call("GET", `/sessions/${created.id}`)).status).toBe(200);
    expect((await call("GET", "/sessions/00000000-0000-4000-8000-000000000000/result")).status).toBe(404);
  });

  it("stores response-config, preselects it, and lets the age against the threshold decide", async () => {
    const { id } = await (await call("POST", "/sessions", { json: body() })).json();
    const set = await call("PUT", `/sessions/${id}/response-config`, { json: { status: "COMPLETE", age: 21, method: "AGE_ESTIMATION" } });
    expect(await set.json()).toEqual({ message: "Response config set successfully" });
    expect((await call("PUT", `/sessions/${id}/response-config`, { json: { status: "MAYBE" } })).status).toBe(400);
    const answer = await hosted(id, "submit", { method: "AGE_ESTIMATION", age: "21" });
    expect(answer.headers.get("location")).toBe(`http://app.example/back?sessionId=${id}`);
    const result = await (await call("GET", `/sessions/${id}/result`)).json();
    expect(result).toMatchObject({ status: "FAIL", method: "AGE_ESTIMATION", age: 25 }); // 21 is under the estimation threshold
    for (const key of Object.keys(result)) expect(Object.keys(completeFixture), key).toContain(key);
  });

  it("refuses a submission without an age instead of reading it as 0 (a FAIL)", async () => {
    const { id } = await (await call("POST", "/sessions", { json: body() })).json();
    for (const age of ["", "  ", "abc"]) {
      const refused = await hosted(id, "submit", { method: "DIGITAL_ID", age });
      expect(decodeURIComponent(refused.headers.get("location") ?? "").replace(/\+/g, " "), JSON.stringify(age)).toContain("Enter an age between 0 and 130.");
    }
    const refused = await fetch(`${base}/hosted/${id}/submit`, { method: "POST", body: new URLSearchParams({ sdkId: SDK_ID, method: "DIGITAL_ID" }), redirect: "manual" });
    expect(decodeURIComponent(refused.headers.get("location") ?? "").replace(/\+/g, " ")).toContain("Enter an age between 0 and 130.");
    expect((await (await call("GET", `/sessions/${id}/result`)).json()).status).toBe("IN_PROGRESS");
  });

  it("signs notifications with the maximum salt so the app can verify them, and retries delivery with backoff until a 200", async () => {
    const { id } = await (await call("POST", "/sessions", { json: body() })).json();
    received.length = 0;
    failuresLeft = 5;
    await hosted(id, "submit", { method: "DIGITAL_ID", age: "30" });
    // Five refusals, then a 200: Yoti keeps trying (its backoff doubles: 20, 40, 80, 80, 80 ms here).
    await expect.poll(() => received.length, { timeout: 3000 }).toBe(6);
    // The emulator records the 200 as the end of that delivery: delivered, nothing more scheduled, so no 7th attempt.
    const delivery = () => emulatorDb.select().from(sandboxYotiDeliveries).where(eq(sandboxYotiDeliveries.sessionId, id)).get();
    await expect.poll(() => delivery()?.deliveredAt ?? null).toBeInstanceOf(Date);
    expect(delivery()).toMatchObject({ attempts: 6, nextAttemptAt: null, lastError: null });
    expect(received).toHaveLength(6);
    const last = JSON.parse(received[5]!);
    const notification = verifyNotification(received[5]!, notifyKeys.publicKey, { nowSeconds: Math.floor(clock / 1000) });
    expect(notification).toMatchObject({ ok: true, notification: { session_key: id, state: "COMPLETE", method: "DIGITAL_ID", age: 18, reference_id: "ref-1" } });
    expect(pssSaltLength(canonicalNotification(last), last.signature, notifyKeys.publicKey)).toBe(222);
    // The same notification each time; only its unsigned attempt number (sequence_number) changes.
    expect(received.map((r) => JSON.parse(r).sequence_number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(received.map((r) => JSON.parse(r).id)).size).toBe(1);
  });

  it("sends the notifications a previous process still owed as soon as it starts, before any request", async () => {
    const db = testDb();
    const got: string[] = [];
    const receiver = await serve(async (r) => {
      got.push(await r.text());
      return new Response("ok");
    });
    closers.push(receiver.close);
    db.insert(sandboxYotiDeliveries).values({ id: "owed-1", sessionId: "s-1", url: `${receiver.url}/hook`, body: '{"owed":true,"signature":"s"}', attempts: 1, nextAttemptAt: Date.now() + 20 }).run();
    createYotiEmulator({ db, sdkId: SDK_ID, apiKey: KEY, notificationPrivateKeyPem: notifyKeys.privateKey, retry: { baseMs: 20, capMs: 40 } });
    // The second attempt carries its attempt number.
    await expect.poll(() => got, { timeout: 2000 }).toEqual(['{"owed":true,"sequence_number":2,"signature":"s"}']);
  });

  it("cancels to cancel_url and expires sessions after their ttl", async () => {
    const { id } = await (await call("POST", "/sessions", { json: body() })).json();
    expect((await hosted(id, "cancel")).headers.get("location")).toBe("http://app.example/cancelled");
    expect((await (await call("GET", `/sessions/${id}/result`)).json()).status).toBe("CANCELLED");

    const { id: later } = await (await call("POST", "/sessions", { json: body({ ttl: 60 }) })).json();
    clock += 61_000;
    expect((await (await call("GET", `/sessions/${later}/result`)).json()).status).toBe("EXPIRED");
    const refused = await hosted(later, "submit", { method: "DIGITAL_ID", age: "30" });
    expect(decodeURIComponent(refused.headers.get("location") ?? "")).toContain("expired");
  });

  it("plays Central Auth for a client holding the registered private key", async () => {
    const tokenUrl = "https://auth.example/v1/oauth/token";
    const tokens = centralAuthTokenSource({
      sdkId: SDK_ID,
      privateKeyPem: clientKeys.privateKey,
      authUrl: tokenUrl,
      now: () => clock,
      // The JWT's audience is the configured token URL; the request itself goes to the emulator.
      fetch: (_url, init) => fetch(`${base}/auth/v1/oauth/token`, init),
    });
    const client = createYotiClient({ apiUrl: `${base}/api/v1`, sdkId: SDK_ID, tokens });
    expect((await client.createSession(body() as CreateSessionRequest)).status).toBe("PENDING");
    const stranger = centralAuthTokenSource({ sdkId: SDK_ID, privateKeyPem: pem().privateKey, authUrl: tokenUrl, fetch: (_u, init) => fetch(`${base}/auth/v1/oauth/token`, init) });
    await expect(stranger.token()).rejects.toMatchObject({ kind: "auth" });
    const plain = createYotiClient({ apiUrl: `${base}/api/v1`, sdkId: SDK_ID, tokens: staticTokenSource(KEY) });
    expect((await plain.createSession(body() as CreateSessionRequest)).status).toBe("PENDING");
  });
});

describe("the Yoti emulator's faults on demand", () => {
  async function faulty(faults: string) {
    const db = testDb();
    const got: { body: string; at: number }[] = [];
    const receiver = await serve(async (r) => {
      got.push({ body: await r.text(), at: Date.now() });
      return new Response("ok");
    });
    const handler = createYotiEmulator({ db, sdkId: SDK_ID, apiKey: KEY, notificationPrivateKeyPem: notifyKeys.privateKey, faults, retry: { baseMs: 20, capMs: 40 } });
    const server = await serve(handler);
    closers.push(receiver.close, server.close);
    const api = (method: string, path: string, json?: unknown) =>
      fetch(`${server.url}/sandbox/yoti/api/v1${path}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${KEY}`, "yoti-sdk-id": SDK_ID }, body: json === undefined ? undefined : JSON.stringify(json) });
    const submit = (id: string) =>
      fetch(`${server.url}/sandbox/yoti/hosted/${id}/submit`, { method: "POST", body: new URLSearchParams({ sdkId: SDK_ID, method: "DIGITAL_ID", age: "30" }), redirect: "manual" });
    return { db, got, api, submit, create: () => api("POST", "/sessions", body({ notification_url: `${receiver.url}/hook` })) };
  }

  it("GET /result can answer 503 while the rest of the API works", async () => {
    const y = await faulty("resultError=100%");
    const { id } = await (await y.create()).json();
    expect((await y.api("GET", `/sessions/${id}/result`)).status).toBe(503);
    expect((await y.api("GET", `/sessions/${id}`)).status).toBe(200);
  });

  it("a 500 is answered after the session was created; a 503 before", async () => {
    const created = await faulty("error500=100%");
    expect((await created.create()).status).toBe(500);
    expect(created.db.select().from(sandboxYotiSessions).all()).toHaveLength(1);
    const refused = await faulty("error503=100%");
    expect((await refused.create()).status).toBe(503);
    expect(refused.db.select().from(sandboxYotiSessions).all()).toHaveLength(0);
  });

  it("can send a notification twice, or late", async () => {
    const twice = await faulty("notificationDuplicate=100%");
    const { id } = await (await twice.create()).json();
    await twice.submit(id);
    await expect.poll(() => twice.got.length).toBe(2);
    const [first, second] = twice.got.map((g) => JSON.parse(g.body));
    expect(second.id).toBe(first.id);
    expect(second.signature).toBe(first.signature);

    const late = await faulty("notificationDelay=100%,notificationDelayMs=300");
    const session = await (await late.create()).json();
    const submittedAt = Date.now();
    await late.submit(session.id);
    expect(late.got).toHaveLength(0);
    await expect.poll(() => late.got.length, { timeout: 2000 }).toBe(1);
    expect(late.got[0]!.at - submittedAt).toBeGreaterThanOrEqual(290);
  });
});
