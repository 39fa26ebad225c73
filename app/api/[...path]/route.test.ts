import { afterEach, describe, expect, it } from "vitest";
import { getEnv, resetEnvForTests } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { LIVE_ENV } from "@/lib/testing/env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("an /api address no route answers", () => {
  it("is a JSON 404 in plain words for every method, not Next's HTML page; a cross-site write is refused first", async () => {
    process.env = { ...saved, DATA_DIR: tempDir() };
    for (const key of Object.keys(LIVE_ENV)) delete process.env[key];
    resetEnvForTests();
    const route = await import("./route");
    const site = getEnv().appOrigin;
    const url = `${site}/api/accounts/smoke-signal/send`;
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      const init: RequestInit = { method, ...(method === "GET" ? {} : { body: "{}", headers: { "content-type": "application/json", origin: site } }) };
      const response = await route[method](new Request(url, init), undefined as never);
      expect(response.status, method).toBe(404);
      expect(response.headers.get("content-type"), method).toContain("application/json");
      expect(await response.json(), method).toEqual({ error: { code: "not_found", message: "There is no API at /api/accounts/smoke-signal/send. The README lists the endpoints." } });
    }
    const crossSite = await route.POST(new Request(url, { method: "POST", body: "{}", headers: { "content-type": "application/json", origin: "https://evil.example" } }), undefined as never);
    expect(crossSite.status).toBe(403);
  });
});
