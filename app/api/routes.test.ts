// Every API route enforces the CSRF rules itself (the proxy never sees /api: decision 030): each unsafe method of
// each app/api route applies them first, answers only 405, or belongs to a route decision 010 exempts. A new route
// that forgets fails here; the rules themselves are tested in lib/http/csrf.test.ts. And every method of every route
// answers through api() (or only refuses the method), which gives API answers their security headers (decision 067).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appliesCsrfRules } from "@/lib/http/api";
import { EXEMPT_ROUTES } from "@/lib/http/csrf";
import { isMethodRefusal } from "@/lib/http/methods";

const ROOT = path.resolve("app", "api");

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));
}

/** The address a route file answers, with a sample value for each dynamic segment. */
const addressOf = (file: string) =>
  `/api/${path
    .relative(ROOT, path.dirname(file))
    .split(path.sep)
    .map((s) => (s.startsWith("[...") ? "a/b" : s.startsWith("[") ? "abcDEF123_-x" : s))
    .join("/")}`;

describe("CSRF in the route layer", () => {
  const files = routeFiles(ROOT);

  it("finds the API routes", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files.map((f) => [path.relative(process.cwd(), f), f]))("%s: every unsafe method applies the CSRF rules first, refuses the method, or is exempt", async (_name, file) => {
    const route = (await import(file)) as Record<string, unknown>;
    const exempt = EXEMPT_ROUTES.some((r) => r.pattern.test(addressOf(file)));
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const handler = route[method];
      if (handler === undefined || exempt) continue;
      expect(appliesCsrfRules(handler) || isMethodRefusal(handler), `${method} ${addressOf(file)}`).toBe(true);
    }
  });

  it.each(files.map((f) => [path.relative(process.cwd(), f), f]))("%s: every method answers through api() or refuses the method, so every API answer carries the security headers", async (_name, file) => {
    // next.config.ts leaves /api/ to api() for X-Content-Type-Options, Referrer-Policy and X-Frame-Options (decision 067).
    const route = (await import(file)) as Record<string, unknown>;
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const handler = route[method];
      if (handler === undefined) continue;
      expect(appliesCsrfRules(handler) || isMethodRefusal(handler), `${method} ${addressOf(file)}`).toBe(true);
    }
  });

  it("a forged cross-site POST is refused by the real routes before they do anything: the API and Auth.js's sign-in", async () => {
    const forged = (url: string, type: string) => new Request(`http://127.0.0.1:3000${url}`, { method: "POST", headers: { "content-type": type, origin: "http://evil.example" }, body: "{}" });
    const send = await import("@/app/api/accounts/smoke-signals/send/route");
    const refused = await send.POST(forged("/api/accounts/smoke-signals/send", "text/plain"), undefined);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("cross_site_request");
    const authjs = await import("@/app/api/auth/[...nextauth]/route");
    const signIn = await authjs.POST(forged("/api/auth/callback/credentials", "application/x-www-form-urlencoded"), undefined);
    expect(signIn.status).toBe(403);
    const notJson = await send.POST(new Request("http://127.0.0.1:3000/api/accounts/smoke-signals/send", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }), undefined);
    expect(notJson.status).toBe(415);
  });
});
