import { describe, expect, it } from "vitest";
import { loadEnv } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { configChecks } from "./core";

const LIVE = {
  DATA_DIR: tempDir(),
  AUTH_SECRET: "x".repeat(40),
  APP_URL: "https://members.example.com",
  YOTI_SDK_ID: "5d3add31-3a3a-4d3b-a6b4-347edb35264c",
  YOTI_API_KEY: "yoti-key",
  YOTI_NOTIFICATION_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----",
  TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "token",
  TWILIO_PHONE_NUMBER: "+15005550006",
  SMTP_URL: "smtp://mail.example.com:587",
  MAIL_FROM: "Select Exposure <no-reply@example.com>",
};

describe("doctor: configuration checks", () => {
  it("in live mode warns that, with no trusted proxy, members behind a reverse proxy share one per-IP allowance", async () => {
    const line = (await configChecks(loadEnv(LIVE))).find((r) => r.name === "client IP");
    expect(line).toMatchObject({ status: "WARN" });
    expect(line?.detail).toContain("TRUSTED_PROXIES");
    const trusted = (await configChecks(loadEnv({ ...LIVE, TRUSTED_PROXIES: "127.0.0.1" }))).find((r) => r.name === "client IP");
    expect(trusted).toMatchObject({ status: "PASS" });
  });
});
