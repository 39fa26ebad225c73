// The proxy as Next calls it: CSP with a fresh nonce on pages only, HSTS in live mode over https, CSRF on the API.
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

  it("sends HSTS in live mode over https, on pages and APIs", async () => {
    const proxy = await proxyWith({ ...LIVE_ENV });
    expect(proxy(page("/")).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(proxy(page("/api/health")).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(proxy(page("/")).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("refuses a cross-site API request with a JSON 403, and forwards a Bearer request without its cookies", async () => {
    const proxy = await proxyWith({});
    const post = (headers: Record<string, string>) =>
      new NextRequest("http://127.0.0.1:3000/api/accounts/smoke-signals/send", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
    const refused = proxy(post({ origin: "http://evil.example", cookie: "authjs.session-token=x" }));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("cross_site_request");
    const bearer = proxy(post({ authorization: "Bearer se_x", cookie: "authjs.session-token=x" }));
    expect(bearer.headers.get("x-middleware-next")).toBe("1");
    expect(bearer.headers.get("x-middleware-override-headers")?.split(",")).not.toContain("cookie");
    expect(bearer.headers.get("x-middleware-override-headers")?.split(",")).toContain("authorization");
  });
});
