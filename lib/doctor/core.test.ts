import { describe, expect, it } from "vitest";
import { loadEnv } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { configChecks } from "./core";
import { LIVE_ENV } from "@/lib/testing/env";

const LIVE = { ...LIVE_ENV, DATA_DIR: tempDir() };

describe("doctor: configuration checks", () => {
  it("in live mode warns that, with no trusted proxy, members behind a reverse proxy share one per-IP allowance", async () => {
    const line = (await configChecks(loadEnv(LIVE))).find((r) => r.name === "client IP");
    expect(line).toMatchObject({ status: "WARN" });
    expect(line?.detail).toContain("TRUSTED_PROXIES");
    const trusted = (await configChecks(loadEnv({ ...LIVE, TRUSTED_PROXIES: "127.0.0.1" }))).find((r) => r.name === "client IP");
    expect(trusted).toMatchObject({ status: "PASS" });
  });

  it("warns when SMS_ALLOWED_COUNTRIES allows every country, and passes for a list", async () => {
    const all = (await configChecks(loadEnv({ ...LIVE, SMS_ALLOWED_COUNTRIES: "all" }))).find((r) => r.name === "SMS countries");
    expect(all).toMatchObject({ status: "WARN", detail: expect.stringContaining("SMS pumping") });
    const listed = (await configChecks(loadEnv(LIVE))).find((r) => r.name === "SMS countries");
    expect(listed).toMatchObject({ status: "PASS", detail: expect.stringContaining("only to GB") });
  });

  it("warns in sandbox mode when HOST exposes the emulators", async () => {
    const exposed = (await configChecks(loadEnv({ DATA_DIR: tempDir(), HOST: "0.0.0.0" }))).find((r) => r.name === "HOST");
    expect(exposed).toMatchObject({ status: "WARN", detail: expect.stringContaining("/sandbox/mail") });
    expect((await configChecks(loadEnv({ DATA_DIR: tempDir() }))).find((r) => r.name === "HOST")).toBeUndefined();
  });
});
