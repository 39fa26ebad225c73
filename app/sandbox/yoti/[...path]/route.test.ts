import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { LIVE_ENV } from "@/lib/testing/env";

const LIVE = LIVE_ENV;

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("the Yoti emulator route", () => {
  it("does not exist in live mode", async () => {
    process.env = { ...saved, ...LIVE, DATA_DIR: tempDir() };
    resetEnvForTests();
    const route = await import("./route");
    for (const path of ["/sandbox/yoti/api/v1/sessions", "/sandbox/yoti/hosted/x/submit", "/sandbox/yoti/auth/v1/oauth/token"]) {
      const response = await route.POST(new Request(`https://members.example.com${path}`, { method: "POST", body: "{}" }));
      expect(response.status, path).toBe(404);
    }
  });

  it("serves the emulator in sandbox mode", async () => {
    process.env = { ...saved, DATA_DIR: tempDir() };
    for (const key of Object.keys(LIVE)) delete process.env[key];
    resetEnvForTests();
    const route = await import("./route");
    const response = await route.POST(new Request("http://127.0.0.1:3000/sandbox/yoti/api/v1/sessions", { method: "POST", body: "{}" }));
    expect(response.status).toBe(401); // the emulator itself: no Yoti-SDK-Id header
  });
});
