// The proxy as Next calls it: CSP with a fresh nonce on pages only, HSTS in live mode over https, a malformed
// %-escape refused; and which addresses Next hands it at all (its matcher, compiled by Next's own code).
import * as staticInfo from "next/dist/build/analysis/get-page-static-info";
import { getMiddlewareRouteMatcher } from "next/dist/shared/lib/router/utils/middleware-route-matcher";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { LIVE_ENV } from "@/lib/testing/env";
import { tempDir } from "@/lib/testing/db";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

async function proxyWith(env: Record<string, string>) {
  process.env = { ...saved, ...env, DATA_DIR: tempDir() };
  resetEnvForTests();
  vi.resetModules();
  return (await import("./proxy")).proxy;
}

const page = (path: string, headers: Record<string, string> = {}) => new NextRequest(`http://127.0.0.1:3000${path}`, { headers });

describe("proxy", () => {
  it("gives every page a CSP with a fresh nonce, no framing, and tells Next the nonce; API routes get no nonce work", async () => {
    const proxy = await proxyWith({});
    const a = proxy(page("/profile"));
    const b = proxy(page("/profile"));
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline' 'strict");
    expect(b.headers.get("content-security-policy")).not.toBe(csp);
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(proxy(page("/api/health")).headers.get("content-security-policy")).toBeNull();
    expect(proxy(page("/profile", { rsc: "1" })).headers.get("content-security-policy")).toBeNull();
    expect(a.headers.get("strict-transport-security")).toBeNull();
  });

  it("sends HSTS in live mode over https on every page, RSC requests included", async () => {
    const proxy = await proxyWith({ ...LIVE_ENV });
    expect(proxy(page("/")).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(proxy(page("/profile", { rsc: "1" })).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(proxy(page("/")).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("answers a malformed %-escape with a 400 in plain words (JSON for an API address), and lets a valid one through", async () => {
    const proxy = await proxyWith({});
    const api = proxy(page("/api/accounts/smoke-signals/%E0%A4%A"));
    expect(api.status).toBe(400);
    expect((await api.json()).error.code).toBe("invalid_url");
    const join = proxy(page("/join/%E0%A4%A"));
    expect(join.status).toBe(400);
    // Not answered by api(): it carries the headers every answer carries itself (decision 067).
    for (const answer of [api, join]) expect([answer.headers.get("x-content-type-options"), answer.headers.get("x-frame-options")]).toEqual(["nosniff", "DENY"]);
    expect(await join.text()).toContain("malformed %-escape");
    expect(proxy(page("/api/accounts/smoke-signals/a%20b")).headers.get("x-middleware-next")).toBe("1");
  });
});

describe("the proxy's matcher, as Next compiles and applies it", () => {
  it("hands Next every page, and an API or emulator address only when it holds a %-escape: the API's hot paths never pay for the proxy", async () => {
    const { config } = await import("./proxy");
    // Next's own compiler of `config.matcher` (exported at run time, not in its types).
    const { getMiddlewareMatchers } = staticInfo as unknown as { getMiddlewareMatchers: (m: string[], c: object) => Parameters<typeof getMiddlewareRouteMatcher>[0] };
    const matches = getMiddlewareRouteMatcher(getMiddlewareMatchers(config.matcher, {}));
    const reaches = (path: string) => matches(path, { headers: {} } as never, {});
    for (const path of ["/", "/profile", "/join/abc", "/sandbox/phone", "/sandbox/yoti", "/sandbox/twilio", "/no-such-page"]) expect(reaches(path), path).toBe(true);
    for (const path of ["/api/health", "/api/twilio/status-callback", "/api/accounts/smoke-signals/send/", "/api/auth/session", "/sandbox/twilio/2010-04-01/Accounts/AC1/Messages.json", "/sandbox/yoti/api/v1/sessions", "/_next/static/chunks/a.js", "/icon.svg"]) {
      expect(reaches(path), path).toBe(false);
    }
    for (const path of ["/api/accounts/smoke-signals/%E0%A4%A", "/api/health%2F", "/sandbox/twilio/%ZZ", "/sandbox/yoti/api/%E0"]) expect(reaches(path), path).toBe(true);
  });
});
