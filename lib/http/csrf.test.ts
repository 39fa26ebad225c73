import { describe, expect, it } from "vitest";
import { csrfVerdict } from "./csrf";

const APP = "https://members.example.com";
const verdict = (method: string, path: string, headers: Record<string, string>) => csrfVerdict(method, path, new Headers(headers), APP);
const SEND = "/api/accounts/smoke-signals/send";
const json = { "content-type": "application/json" };

describe("CSRF rules for unsafe API requests", () => {
  it("refuses the reported attack: a cookie-authenticated text/plain POST from another site", () => {
    const v = verdict("POST", SEND, { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site", cookie: "session=1" });
    expect(v).toMatchObject({ ok: false, status: 403, code: "cross_site_request" });
    if (!v.ok) expect(v.message).toContain("Origin: http://evil.example");
  });

  it("refuses JSON from another origin, and without Origin a Sec-Fetch-Site other than same-origin or none", () => {
    expect(verdict("POST", SEND, { ...json, origin: "https://members.example.com.evil.example" })).toMatchObject({ ok: false, status: 403 });
    expect(verdict("POST", SEND, { ...json, origin: "null" })).toMatchObject({ ok: false, status: 403 });
    expect(verdict("PATCH", SEND, { ...json, "sec-fetch-site": "same-site" })).toMatchObject({ ok: false, status: 403 });
    expect(verdict("DELETE", SEND, { ...json, "sec-fetch-site": "cross-site" })).toMatchObject({ ok: false, status: 403 });
  });

  it("accepts JSON from the app's own origin, a same-origin or user-initiated fetch, or a client that is no browser", () => {
    expect(verdict("POST", SEND, { ...json, origin: APP, "sec-fetch-site": "same-origin" })).toEqual({ ok: true });
    expect(verdict("POST", SEND, { ...json, "sec-fetch-site": "same-origin" }).ok).toBe(true);
    expect(verdict("POST", SEND, { ...json, "sec-fetch-site": "none" }).ok).toBe(true);
    expect(verdict("POST", SEND, { "content-type": "application/json; charset=utf-8" }).ok).toBe(true);
  });

  it("answers 415 for any body that is not JSON, from the app's own origin too", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const v = verdict("POST", SEND, { origin: APP, ...(type ? { "content-type": type } : {}) });
      expect(v, type).toMatchObject({ ok: false, status: 415, code: "unsupported_media_type" });
    }
  });

  it("exempts Bearer-token requests from the origin check (only their token can sign them in), not from JSON", () => {
    const bearer = { authorization: "Bearer se_abc", origin: "https://script.example" };
    expect(verdict("POST", SEND, { ...bearer, ...json })).toEqual({ ok: true });
    expect(verdict("POST", SEND, { ...bearer, "content-type": "text/plain" })).toMatchObject({ ok: false, status: 415 });
  });

  it("leaves the webhooks and the one-click unsubscribe alone: they are signed or carry their own token, never a cookie", () => {
    const server = { "content-type": "application/x-www-form-urlencoded" };
    for (const path of ["/api/twilio/status-callback", "/api/twilio/inbound/", "/api/accounts/profile/yoti/callback", "/api/email/unsubscribe/abcDEF123_-x"]) {
      expect(verdict("POST", path, { ...server, origin: "https://mail.example" }), path).toEqual({ ok: true });
    }
  });

  it("checks the origin of Auth.js's own form posts but not their (form) content type", () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect(verdict("POST", "/api/auth/callback/credentials", form).ok).toBe(true);
    expect(verdict("POST", "/api/auth/signout", { ...form, origin: APP }).ok).toBe(true);
    expect(verdict("POST", "/api/auth/signout", { ...form, origin: "http://evil.example" })).toMatchObject({ ok: false, status: 403 });
  });

  it("lets safe methods and pages through (server actions keep Next's own origin check)", () => {
    expect(verdict("GET", SEND, { origin: "http://evil.example" }).ok).toBe(true);
    expect(verdict("HEAD", SEND, {}).ok).toBe(true);
    expect(verdict("POST", "/profile", { "content-type": "text/plain", origin: "http://evil.example" }).ok).toBe(true);
  });
});
