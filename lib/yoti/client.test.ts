import { afterEach, describe, expect, it } from "vitest";
import { serve } from "@/lib/http/serve";
import { createYotiClient } from "./client";
import { YotiError } from "./errors";
import createResponse from "./fixtures/create-session-response.json";
import notificationExample from "./fixtures/notification-example.json";
import resultComplete from "./fixtures/result-complete.json";
import resultPending from "./fixtures/result-pending.json";
import responseConfig from "./fixtures/sandbox-response-config.json";
import { createSessionResponseSchema, notificationSchema, responseConfigSchema, sessionResultSchema, type CreateSessionRequest } from "./schemas";
import { staticTokenSource } from "./token";

const SDK_ID = "5d3add31-3a3a-4d3b-a6b4-347edb35264c";
const KEY = "s3cr3t-api-key-value";

const request: CreateSessionRequest = {
  type: "OVER",
  ttl: 900,
  reference_id: "opaque-ref",
  age_estimation: { allowed: true, threshold: 25, level: "PASSIVE", retry_limit: 1 },
  digital_id: { allowed: true, threshold: 18, age_estimation_allowed: true, age_estimation_threshold: 25, level: "NONE", retry_limit: 1 },
  doc_scan: { allowed: true, threshold: 18, authenticity: "AUTO", level: "PASSIVE", retry_limit: 1 },
  credit_card: { allowed: false },
  mobile: { allowed: false },
  callback: { auto: true, url: "https://app.example/api/accounts/profile/yoti/callback" },
  notification_url: "https://app.example/api/accounts/profile/yoti/callback",
  cancel_url: "https://app.example/api/accounts/profile/yoti/callback?cancelled=1",
  retry_enabled: true,
  resume_enabled: false,
  synchronous_checks: true,
};

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function fakeYoti(answer: (r: Request) => Response | Promise<Response>) {
  const seen: { method: string; path: string; headers: Headers; body: string }[] = [];
  const server = await serve(async (r) => {
    seen.push({ method: r.method, path: new URL(r.url).pathname, headers: r.headers, body: await r.text() });
    return answer(r);
  });
  closers.push(server.close);
  const client = createYotiClient({ apiUrl: `${server.url}/api/v1`, sdkId: SDK_ID, tokens: staticTokenSource(KEY), timeoutMs: 300 });
  return { client, seen };
}

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("Yoti AVS client", () => {
  it("creates a session with exactly the documented headers and body", async () => {
    const { client, seen } = await fakeYoti(() => jsonResponse(createResponse));
    const created = await client.createSession(request);
    expect(created).toMatchObject({ id: createResponse.id, status: "PENDING", expires_at: createResponse.expires_at });
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call!.method).toBe("POST");
    expect(call!.path).toBe("/api/v1/sessions");
    expect(call!.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(call!.headers.get("yoti-sdk-id")).toBe(SDK_ID);
    expect(call!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(call!.body)).toEqual(request);
  });

  it("reads a result from GET /sessions/{id}/result and keeps unknown fields", async () => {
    const { client, seen } = await fakeYoti(() => jsonResponse(resultComplete));
    const result = await client.getResult(resultComplete.id);
    expect(seen[0]).toMatchObject({ method: "GET", path: `/api/v1/sessions/${resultComplete.id}/result` });
    expect(seen[0]!.body).toBe("");
    expect(result).toMatchObject({ status: "COMPLETE", method: "DIGITAL_ID", age: 18, reference_id: "over_18_example" });
    expect((result as Record<string, unknown>).electronic_id).toBeDefined();
  });

  it("maps a status Yoti may add later to UNKNOWN instead of failing", async () => {
    const { client } = await fakeYoti(() => jsonResponse({ ...resultComplete, status: "AWAITING_REVIEW" }));
    expect((await client.getResult(resultComplete.id)).status).toBe("UNKNOWN");
  });

  it("sends the sandbox response-config as documented", async () => {
    const { client, seen } = await fakeYoti(() => jsonResponse(responseConfig.response));
    await client.setResponseConfig("abc", responseConfig.request as never);
    expect(seen[0]).toMatchObject({ method: "PUT", path: "/api/v1/sessions/abc/response-config" });
    expect(JSON.parse(seen[0]!.body)).toEqual(responseConfig.request);
  });

  it("explains 401 as the SDK ID and 403 as the API key, never quoting the key", async () => {
    for (const [status, kind, words] of [
      [401, "sdk_id", "Yoti did not recognise the SDK ID for this environment"],
      [403, "api_key", "Yoti rejected the API key"],
    ] as const) {
      const { client } = await fakeYoti(() => jsonResponse({ message: `bad ${KEY}` }, status));
      const error = (await client.getResult("x").catch((e) => e)) as YotiError;
      expect(error).toBeInstanceOf(YotiError);
      expect(error.kind).toBe(kind);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(words);
      expect(error.message).not.toContain(KEY);
    }
  });

  it("names the fields of a 400", async () => {
    const { client } = await fakeYoti(() => jsonResponse({ message: "Invalid", context: [{ field: "ttl" }, { field: "digital_id.age_estimation_threshold" }] }, 400));
    const error = (await client.createSession(request).catch((e) => e)) as YotiError;
    expect(error.kind).toBe("bad_request");
    expect(error.fields).toEqual(["ttl", "digital_id.age_estimation_threshold"]);
    expect(error.message).toContain("fields: ttl, digital_id.age_estimation_threshold");
  });

  it("classifies 5xx, timeouts and unreachable hosts as retryable", async () => {
    const { client: broken } = await fakeYoti(() => new Response("oops", { status: 502 }));
    expect(await broken.getResult("x").catch((e) => e)).toMatchObject({ kind: "unavailable", retryable: true });
    // eslint-disable-next-line no-restricted-syntax -- a Yoti that answers after the client's timeout, on purpose
    const { client: slow } = await fakeYoti(() => new Promise((resolve) => setTimeout(() => resolve(jsonResponse(resultComplete)), 1000)));
    expect(await slow.getResult("x").catch((e) => e)).toMatchObject({ kind: "timeout", retryable: true });
    const nowhere = createYotiClient({ apiUrl: "http://127.0.0.1:9/api/v1", sdkId: SDK_ID, tokens: staticTokenSource(KEY), timeoutMs: 1000 });
    expect(await nowhere.getResult("x").catch((e) => e)).toMatchObject({ kind: "network", retryable: true });
  });
});

describe("documented fixtures", () => {
  it("parse with our schemas", () => {
    expect(createSessionResponseSchema.parse(createResponse).status).toBe("PENDING");
    expect(sessionResultSchema.parse(resultComplete)).toMatchObject({ status: "COMPLETE", sdk_id: SDK_ID, evidence_id: resultComplete.evidence_id });
    const pending = sessionResultSchema.parse(resultPending);
    expect(pending.status).toBe("PENDING");
    expect(pending.method).toBeUndefined();
    expect(notificationSchema.parse(notificationExample)).toMatchObject({ state: "FAIL", session_key: notificationExample.session_key });
    expect(responseConfigSchema.parse(responseConfig.request)).toEqual(responseConfig.request);
  });
});
