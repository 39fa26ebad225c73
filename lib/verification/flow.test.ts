import { generateKeyPairSync } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { profiles, sandboxYotiDeliveries, verificationNotifications, verificationSessions } from "@/db/schema";
import { createMember } from "@/lib/accounts/members";
import { FLOOD_GATE_MS, log } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import { serve } from "@/lib/http/serve";
import { createYotiClient, type YotiClient } from "@/lib/yoti/client";
import { createYotiEmulator } from "@/lib/yoti/emulator/handler";
import { staticTokenSource } from "@/lib/yoti/token";
import type { VerificationPolicy } from "./policy";
import { YotiError } from "@/lib/yoti/errors";
import { signNotification } from "@/lib/yoti/notification";
import { receiveNotification, refreshInBackground, refreshSession, startVerification, statusView } from "./service";
import { applyResult } from "./sessions";

const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const SDK_ID = "7e0f7f3c-1d0e-4c53-9e2f-2f4b3d5a6c7d";
const API_KEY = "emulator-api-key";

let db: Db;
let client: YotiClient;
let policy: VerificationPolicy;
let emulatorUrl: string;
const refreshes: Promise<unknown>[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = testDb();
  const emulator = await serve(createYotiEmulator({ db, sdkId: SDK_ID, apiKey: API_KEY, notificationPrivateKeyPem: keys.privateKey, retry: { baseMs: 50, capMs: 100 } }));
  emulatorUrl = emulator.url;
  client = createYotiClient({ apiUrl: `${emulator.url}/sandbox/yoti/api/v1`, sdkId: SDK_ID, tokens: staticTokenSource(API_KEY) });
  // The app's webhook, as the route does it: verify and record at once, fetch the result after answering.
  const app = await serve(async (request) => {
    const outcome = receiveNotification(db, await request.text(), keys.publicKey);
    const refresh = outcome.outcome === "accepted" ? outcome.sessionId : outcome.outcome === "ignored" ? outcome.refreshSessionId : undefined;
    if (refresh) refreshes.push(refreshSession(db, client, refresh, "notification"));
    return Response.json(outcome, { status: outcome.status });
  });
  closers.push(emulator.close, app.close);
  policy = {
    sdkId: SDK_ID,
    appUrl: app.url,
    portalUrl: `${emulator.url}/sandbox/yoti`,
    ageThreshold: 18,
    ageEstimationBuffer: 7,
    methods: ["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"],
    ttlSeconds: 900,
    sendNotificationUrl: true,
  };
});

afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

async function newMember() {
  return createMember(db, { email: `m-${Math.random().toString(36).slice(2)}@example.com`, password: "a long passphrase here" });
}

/** What the tester does on the hosted page: choose method and age, press Submit result. */
async function submitOnHostedPage(sessionId: string, form: Record<string, string>) {
  const response = await fetch(`${emulatorUrl}/sandbox/yoti/hosted/${sessionId}/submit`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ sdkId: SDK_ID, ...form }),
    redirect: "manual",
  });
  await Promise.all(refreshes.splice(0));
  return response;
}

const profileOf = (memberId: string) => db.select().from(profiles).where(eq(profiles.memberId, memberId)).get()!;
const deliveriesOf = (sessionId: string) => db.select().from(sandboxYotiDeliveries).where(eq(sandboxYotiDeliveries.sessionId, sessionId)).all();

describe("age verification against the Yoti emulator over HTTP", () => {
  it("create -> response-config -> hosted page -> signed notification -> result -> profile verified", async () => {
    const member = await newMember();
    const { session, reused } = await startVerification(db, client, policy, member.id);
    expect(reused).toBe(false);
    expect(session.referenceId).toMatch(/^[0-9a-f]{32}$/);
    expect(profileOf(member.id).yotiSessionId).toBe(session.id);

    await client.setResponseConfig(session.id, { status: "COMPLETE", age: 30, method: "DIGITAL_ID" });
    const answer = await submitOnHostedPage(session.id, { method: "DIGITAL_ID", age: "30" });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`${policy.appUrl}/api/accounts/profile/yoti/callback?sessionId=${session.id}`);

    const profile = profileOf(member.id);
    expect(profile).toMatchObject({ yotiVerified: true, isOver18: true, yotiSessionId: session.id });
    expect(profile.yotiVerificationData).toMatchObject({ method: "DIGITAL_ID", status: "COMPLETE", type: "OVER", threshold: 18, sessionId: session.id });
    expect(profile.yotiVerificationData).not.toHaveProperty("age");
    const view = statusView(db, member.id, policy);
    expect(view).toMatchObject({ verified: true, latest_session: { status: "COMPLETE", method: "DIGITAL_ID" } });
    expect(view.latest_session!.history.map((h) => h.status)).toEqual(["PENDING", "COMPLETE"]);
    expect(deliveriesOf(session.id)[0]).toMatchObject({ attempts: 1, lastError: null });
  });

  it("reuses an unfinished session instead of paying for a new one", async () => {
    const member = await newMember();
    const first = await startVerification(db, client, policy, member.id);
    const [again, concurrent] = await Promise.all([startVerification(db, client, policy, member.id), startVerification(db, client, policy, member.id)]);
    expect(again.session.id).toBe(first.session.id);
    expect(concurrent.session.id).toBe(first.session.id);
  });

  it("ignores a duplicate notification and lets a COMPLETE after a FAIL win, never downgrading it", async () => {
    const member = await newMember();
    const { session } = await startVerification(db, client, policy, member.id);

    await submitOnHostedPage(session.id, { method: "AGE_ESTIMATION", age: "21" }); // under the estimation threshold of 25
    expect(profileOf(member.id).yotiVerified).toBe(false);
    expect(statusView(db, member.id, policy).latest_session?.status).toBe("FAIL");
    const failNotification = deliveriesOf(session.id)[0]!.body;

    // Yoti retries until it sees a 200: the same notification again changes nothing.
    const duplicate = receiveNotification(db, failNotification, keys.publicKey);
    expect(duplicate.outcome).toBe("duplicate");
    expect(db.select().from(verificationNotifications).where(eq(verificationNotifications.sessionId, session.id)).get()?.duplicates).toBe(1);

    await submitOnHostedPage(session.id, { method: "DOC_SCAN", age: "30" });
    expect(profileOf(member.id).yotiVerified).toBe(true);
    expect(profileOf(member.id).yotiVerificationData?.method).toBe("DOC_SCAN");

    // A late FAIL result (out-of-order delivery or a stale read) does not undo the COMPLETE.
    const stale = applyResult(db, session.id, { id: session.id, type: "OVER", status: "FAIL", method: "AGE_ESTIMATION" }, "notification", new Date());
    expect(stale.status).toBe("COMPLETE");
    expect(profileOf(member.id).yotiVerified).toBe(true);
    expect(statusView(db, member.id, policy).latest_session!.history.map((h) => h.status)).toEqual(["PENDING", "FAIL", "COMPLETE"]);
  });

  it("answers a genuine but stale notification 200 'ignored', and fetches the result while the session is open", async () => {
    const member = await newMember();
    // No notification URL: Yoti's result is only known by asking, and our session still reads PENDING.
    const { session } = await startVerification(db, client, { ...policy, sendNotificationUrl: false }, member.id);
    await submitOnHostedPage(session.id, { method: "DIGITAL_ID", age: "30" });
    const twoHoursAgo = Math.floor(Date.now() / 1000) - 7200;
    const stale = (id: string) =>
      JSON.stringify(
        signNotification(
          { method: "DIGITAL_ID", result: true, age: 18, session_key: session.id, reference_id: session.referenceId, id, timestamp: twoHoursAgo, state: "COMPLETE", check_type: "NONE", sequence_number: 9 },
          keys.privateKey,
        ),
      );
    const first = receiveNotification(db, stale("stale-1"), keys.publicKey);
    expect(first).toMatchObject({ status: 200, outcome: "ignored", refreshSessionId: session.id });
    expect(first.outcome === "ignored" && first.message).toMatch(/too old/);
    // Acting on it is asking Yoti, never believing the body: the result makes the member verified.
    await refreshSession(db, client, session.id, "notification");
    expect(profileOf(member.id).yotiVerified).toBe(true);
    // Yoti retrying the same stale notification: still 200, a duplicate; another stale one for a finished session: no refresh.
    expect(receiveNotification(db, stale("stale-1"), keys.publicKey)).toMatchObject({ status: 200, outcome: "duplicate" });
    const finished = receiveNotification(db, stale("stale-2"), keys.publicKey);
    expect(finished).toMatchObject({ status: 200, outcome: "ignored" });
    expect(finished).not.toHaveProperty("refreshSessionId");
  });

  it("treats a status Yoti adds later as not verified", async () => {
    const member = await newMember();
    const { session } = await startVerification(db, client, policy, member.id);
    applyResult(db, session.id, { id: session.id, type: "OVER", status: "UNKNOWN" }, "result", new Date());
    expect(profileOf(member.id).yotiVerified).toBe(false);
    expect(statusView(db, member.id, policy).verified).toBe(false);
  });

  it("refuses a forged notification and changes nothing", async () => {
    const member = await newMember();
    const { session } = await startVerification(db, client, policy, member.id);
    const forged = JSON.stringify({ id: "forged-1", session_key: session.id, state: "COMPLETE", timestamp: Math.floor(Date.now() / 1000), signature: Buffer.from("x".repeat(256)).toString("base64") });
    expect(receiveNotification(db, forged, keys.publicKey)).toMatchObject({ status: 401, outcome: "rejected" });
    expect(db.select().from(verificationNotifications).where(eq(verificationNotifications.id, "forged-1")).get()).toBeUndefined();
    expect(db.select().from(verificationSessions).where(eq(verificationSessions.id, session.id)).get()?.status).toBe("PENDING");
  });

  it("refuses every one of a flood of forged notifications, logging a line a minute, not one each", async () => {
    const member = await newMember();
    const { session } = await startVerification(db, client, policy, member.id);
    // The clock starts far from any other test's refusals (the gates live for the process).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 100 * FLOOD_GATE_MS });
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 20; i++) {
        const forged = JSON.stringify({ id: `flood-${i}`, session_key: session.id, state: "COMPLETE", timestamp: Math.floor(Date.now() / 1000), signature: Buffer.from("y".repeat(256)).toString("base64") });
        expect(receiveNotification(db, forged, keys.publicKey)).toMatchObject({ status: 401, outcome: "rejected" });
      }
      expect(warn.mock.calls.filter((c) => String(c[1]).startsWith("yoti notification refused"))).toHaveLength(1);
      expect(db.select().from(verificationSessions).where(eq(verificationSessions.id, session.id)).get()?.status).toBe("PENDING");
    } finally {
      warn.mockRestore();
      vi.useRealTimers();
    }
  });

  it("a session past its ttl reads as EXPIRED", async () => {
    const member = await newMember();
    const { session } = await startVerification(db, client, policy, member.id);
    const later = new Date(Date.now() + 901_000);
    expect(statusView(db, member.id, policy, later).latest_session?.status).toBe("EXPIRED");
    const next = await startVerification(db, client, policy, member.id, later);
    expect(next.session.id).not.toBe(session.id);
  });

  it("retries a background refresh while Yoti is briefly unavailable, and gives up on a configuration error", async () => {
    const member = await newMember();
    // No notification URL: the result is only known by asking Yoti.
    const { session } = await startVerification(db, client, { ...policy, sendNotificationUrl: false }, member.id);
    await submitOnHostedPage(session.id, { method: "DIGITAL_ID", age: "30" });
    expect(profileOf(member.id).yotiVerified).toBe(false);

    let calls = 0;
    const flaky = { ...client, getResult: async (id: string) => (++calls <= 2 ? Promise.reject(new YotiError("unavailable", "Yoti answered 503", true, 503)) : client.getResult(id)) };
    await refreshInBackground(db, flaky, session.id, [5, 5, 5]);
    expect(calls).toBe(3);
    expect(profileOf(member.id).yotiVerified).toBe(true);

    let refused = 0;
    const misconfigured = { ...client, getResult: async () => Promise.reject((refused++, new YotiError("api_key", "Yoti rejected the API key", false, 403))) };
    await refreshInBackground(db, misconfigured, session.id, [5, 5, 5]);
    expect(refused).toBe(1);
  });

  it("explains a 401 (SDK ID) and a 403 (API key) from Yoti", async () => {
    const wrongSdk = createYotiClient({ apiUrl: `${emulatorUrl}/sandbox/yoti/api/v1`, sdkId: "not-our-sdk-id", tokens: staticTokenSource(API_KEY) });
    await expect(wrongSdk.getResult("anything")).rejects.toMatchObject({
      status: 401,
      message: "Yoti did not recognise the SDK ID for this environment (check YOTI_SDK_ID is the Age verification service's ID and that sandbox/production match)",
    });
    const wrongKey = createYotiClient({ apiUrl: `${emulatorUrl}/sandbox/yoti/api/v1`, sdkId: SDK_ID, tokens: staticTokenSource("wrong-key") });
    const member = await newMember();
    await expect(startVerification(db, wrongKey, policy, member.id)).rejects.toMatchObject({
      status: 403,
      message: "Yoti rejected the API key (active? revoked? belongs to this SDK ID?)",
    });
    expect(db.select().from(verificationSessions).where(eq(verificationSessions.memberId, member.id)).all()).toEqual([]);
  });
});
