import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api, ApiError, parseJson, toApiError } from "./api";
import { refuseOtherMethods } from "./methods";
import { MAX_BODY_BYTES } from "./body";

const schema = z.object({ to: z.string().min(1, "Enter a recipient."), count: z.number().int() });
const post = (body: string) => new Request("http://127.0.0.1/api/x", { method: "POST", headers: { "content-type": "application/json" }, body });

describe("parseJson", () => {
  it("returns the parsed body when it matches the schema", async () => {
    expect(await parseJson(post('{"to":"sam","count":2}'), schema)).toEqual({ to: "sam", count: 2 });
  });

  it("answers 400 invalid_json for a body that is not JSON", async () => {
    await expect(parseJson(post("to=sam"), schema)).rejects.toMatchObject({ status: 400, code: "invalid_json" });
  });

  it("answers 400 with a message per field when the body does not match", async () => {
    const error = (await parseJson(post('{"to":"","count":"x"}'), schema).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.fields).toMatchObject({ to: "Enter a recipient.", count: expect.any(String) });
    expect(error.message).toContain("to: Enter a recipient.");
  });

  it("refuses a body over the limit with 413 before parsing it", async () => {
    const huge = JSON.stringify({ to: "x".repeat(MAX_BODY_BYTES), count: 1 });
    const error = await parseJson(post(huge), schema).catch((e: unknown) => e);
    expect(toApiError(error)).toMatchObject({ status: 413, code: "payload_too_large", message: "The request body is too large (at most 64 KiB)." });
  });
});

describe("toApiError: one answer per condition, whichever route meets it", () => {
  it("answers domain and provider errors with their status and code", async () => {
    const { SignalRefused } = await import("@/lib/smoke-signals/errors");
    const { VerificationError } = await import("@/lib/verification/errors");
    const { YotiError } = await import("@/lib/yoti/errors");
    const { TwilioWebhookRefused } = await import("@/lib/twilio/webhook");
    const { NotificationRejected } = await import("@/lib/yoti/notification");
    const { PasswordHashBusy } = await import("@/lib/accounts/password");
    const { PayloadTooLarge } = await import("./body");
    const { AccountSmsRefused } = await import("@/lib/account-messages/send");
    const { AlertChoicesRefused } = await import("@/lib/alerts/preferences");
    const answer = (e: unknown) => {
      const a = toApiError(e)!;
      return { status: a.status, code: a.code, retryAfter: a.headers?.["Retry-After"] };
    };
    expect(answer(new SignalRefused(429, "sms_daily_cap", "cap", undefined, 60))).toEqual({ status: 429, code: "sms_daily_cap", retryAfter: "60" });
    expect(answer(new VerificationError("already_verified", "done"))).toEqual({ status: 409, code: "already_verified", retryAfter: undefined });
    expect(answer(new VerificationError("rate_limited", "wait", 12))).toEqual({ status: 429, code: "rate_limited", retryAfter: "12" });
    expect(answer(new YotiError("unavailable", "down", true, 503))).toEqual({ status: 503, code: "yoti_unavailable", retryAfter: "30" });
    expect(answer(new YotiError("api_key", "key", false, 403))).toEqual({ status: 502, code: "yoti_api_key", retryAfter: undefined });
    expect(answer(new TwilioWebhookRefused("bad_signature", "no", "wrong_token"))).toEqual({ status: 403, code: "bad_signature", retryAfter: undefined });
    expect(answer(new NotificationRejected("bad_signature", "no"))).toEqual({ status: 401, code: "bad_signature", retryAfter: undefined });
    expect(answer(new NotificationRejected("malformed", "no"))).toEqual({ status: 400, code: "malformed", retryAfter: undefined });
    expect(answer(new PasswordHashBusy())).toEqual({ status: 429, code: "busy", retryAfter: "1" });
    expect(answer(new PayloadTooLarge(1024))).toEqual({ status: 413, code: "payload_too_large", retryAfter: undefined });
    expect(answer(new AccountSmsRefused("sms_daily_cap", "cap", 429, 90))).toEqual({ status: 429, code: "sms_daily_cap", retryAfter: "90" });
    expect(answer(new AccountSmsRefused("sms_stopped", "stop", 400))).toEqual({ status: 400, code: "sms_stopped", retryAfter: undefined });
    expect(toApiError(new AlertChoicesRefused({ password_changed: "Keep one" }))).toMatchObject({ status: 400, code: "invalid_preferences", fields: { password_changed: "Keep one" } });
    expect(toApiError(new Error("a bug"))).toBeNull();
  });
});

describe("api(): the headers every answer carries", () => {
  const EVERY = { "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin", "x-frame-options": "DENY" };
  const headersOf = (r: Response) => Object.fromEntries(Object.keys(EVERY).map((k) => [k, r.headers.get(k)]));
  const get = (path = "/api/x") => new Request(`http://127.0.0.1:3000${path}`);

  it("on a route's own answer, on an error's and on the 500 of a bug", async () => {
    const ok = await api(() => Response.json({ ok: true }))(get(), undefined);
    const refused = await api(() => {
      throw new ApiError(409, "conflict", "No.");
    })(get(), undefined);
    const bug = await api(() => {
      throw new TypeError("a bug");
    })(get(), undefined);
    expect([ok.status, refused.status, bug.status]).toEqual([200, 409, 500]);
    for (const answer of [ok, refused, bug]) expect(headersOf(answer)).toEqual(EVERY);
  });

  it("on a cross-site write refused before the route runs, and on a method the route does not take", async () => {
    const forged = await api(() => new Response(null))(new Request("http://127.0.0.1:3000/api/x", { method: "POST", headers: { origin: "http://evil.example", "content-type": "application/json" }, body: "{}" }), undefined);
    expect(forged.status).toBe(403);
    expect(headersOf(forged)).toEqual(EVERY);
    const wrongMethod = refuseOtherMethods("POST").GET();
    expect(wrongMethod.status).toBe(405);
    expect(headersOf(wrongMethod)).toEqual(EVERY);
  });

  it("on a redirect, whose headers cannot change, and never over a header the route chose", async () => {
    const redirect = await api(() => Response.redirect("http://127.0.0.1:3000/profile", 303))(get(), undefined);
    expect([redirect.status, redirect.headers.get("location")]).toEqual([303, "http://127.0.0.1:3000/profile"]);
    expect(headersOf(redirect)).toEqual(EVERY);
    const own = await api(() => new Response("<p>hi</p>", { headers: { "content-type": "text/html", "referrer-policy": "no-referrer" } }))(get(), undefined);
    expect(own.headers.get("referrer-policy")).toBe("no-referrer");
    expect(own.headers.get("x-frame-options")).toBe("DENY");
    expect(await own.text()).toBe("<p>hi</p>");
  });
});
