// The faults control endpoints of both emulators: sandbox only, JSON only, validated, visible and resettable.
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { LIVE_ENV } from "@/lib/testing/env";
import { resetTwilioEmulator } from "@/lib/twilio/runtime";
import { resetYotiFaults } from "@/lib/yoti/runtime";
import * as twilio from "./twilio/faults/route";
import * as yoti from "./yoti/faults/route";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

function sandbox(extra: Record<string, string> = {}) {
  process.env = { ...saved, DATA_DIR: tempDir(), ...extra };
  for (const key of Object.keys(LIVE_ENV)) delete process.env[key];
  resetEnvForTests();
  // Each test starts from a fresh emulator built from its environment.
  resetTwilioEmulator();
  resetYotiFaults();
}

const put = (route: typeof twilio, body: unknown, type = "application/json") =>
  route.PUT(new Request("http://127.0.0.1:3000/sandbox/x/faults", { method: "PUT", headers: { "content-type": type }, body: JSON.stringify(body) }), undefined);
const get = async (route: typeof twilio) => (await route.GET(new Request("http://127.0.0.1:3000/sandbox/x/faults"), undefined)).json();

describe("/sandbox/twilio/faults and /sandbox/yoti/faults", () => {
  it("do not exist in live mode", async () => {
    process.env = { ...saved, ...LIVE_ENV, DATA_DIR: tempDir() };
    resetEnvForTests();
    for (const route of [twilio, yoti]) {
      expect((await route.GET(new Request("https://members.example.com/sandbox/twilio/faults"), undefined)).status).toBe(404);
      expect((await put(route, { error500: 1 })).status).toBe(404);
      expect((await route.DELETE(new Request("https://members.example.com/sandbox/twilio/faults", { method: "DELETE" }), undefined)).status).toBe(404);
    }
  });

  it("show the environment's settings, change them, refuse bad ones naming the field, and reset to the environment", async () => {
    sandbox({ SANDBOX_TWILIO_FAULTS: "callbackDuplicate=25%" });
    expect(await get(twilio)).toMatchObject({ source: "environment", settings: { callbackDuplicate: 0.25, error500: 0 }, injected: {} });

    const changed = await put(twilio, { timeout: 0.5, to: "+447700900123" });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ source: "changed", settings: { timeout: 0.5, callbackDuplicate: 0, to: "+447700900123" } });

    const bad = await put(twilio, { timeout: 1.5 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_faults", fields: { timeout: expect.stringContaining("between 0 and 1") } });
    expect((await get(twilio)).settings.timeout).toBe(0.5);

    // A cross-site form cannot switch faults on: only JSON is taken.
    expect((await put(twilio, { timeout: 1 }, "text/plain")).status).toBe(415);

    const reset = await twilio.DELETE(new Request("http://127.0.0.1:3000/sandbox/twilio/faults", { method: "DELETE" }), undefined);
    expect(await reset.json()).toMatchObject({ source: "environment", settings: { callbackDuplicate: 0.25, timeout: 0 } });
  });

  it("work the same for the Yoti emulator", async () => {
    sandbox();
    expect(await get(yoti)).toMatchObject({ source: "environment", settings: { resultError: 0, notificationDuplicate: 0 } });
    expect(await (await put(yoti, { resultError: 1, notificationDelay: 0.5, notificationDelayMs: 2000 })).json()).toMatchObject({
      source: "changed",
      settings: { resultError: 1, notificationDelay: 0.5, notificationDelayMs: 2000 },
    });
    expect((await put(yoti, { callbackDrop: 1 })).status).toBe(400);
  });

  it("refuse to start with a malformed SANDBOX_*_FAULTS, naming the variable and the field", async () => {
    const { loadEnv, ConfigError } = await import("@/lib/env");
    const env = { DATA_DIR: tempDir(), SANDBOX_TWILIO_FAULTS: "error500=150%", SANDBOX_YOTI_FAULTS: "resultErorr=1" };
    expect(() => loadEnv(env)).toThrow(ConfigError);
    try {
      loadEnv(env);
    } catch (error) {
      expect((error as InstanceType<typeof ConfigError>).problems.join("\n")).toMatch(/SANDBOX_TWILIO_FAULTS: error500: must be between 0 and 1/);
      expect((error as InstanceType<typeof ConfigError>).problems.join("\n")).toMatch(/SANDBOX_YOTI_FAULTS: .*resultErorr/);
    }
  });
});
