import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { LIVE_ENV } from "@/lib/testing/env";
import { credentialAges } from "./age";

const problems = (source: Record<string, string>) => {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join("\n");
    throw error;
  }
  return "";
};

describe("credential ages", () => {
  it("warn past 90 days, ask for the date when it is missing, and judge only the credentials in use", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    const env = loadEnv({ ...LIVE_ENV, DATA_DIR: tempDir(), TWILIO_AUTH_TOKEN_ISSUED: "2026-08-01", YOTI_KEY_ISSUED: "2026-11-01", TWILIO_API_KEY_ISSUED: "2020-01-01" });
    const ages = credentialAges(env, now);
    expect(ages.map((a) => [a.credential, a.status, a.ageDays])).toEqual([
      ["TWILIO_AUTH_TOKEN", "old", 122],
      ["YOTI_KEY", "ok", 30],
    ]);
    expect(ages[0]!.advice).toBe("Issued 122 days ago, more than 90: rotate it (docs/rotation.md), then update TWILIO_AUTH_TOKEN_ISSUED.");
    expect(ages[1]!.advice).toBe("Issued 30 days ago; due for rotation in 60 days.");
    const undated = credentialAges(loadEnv({ ...LIVE_ENV, DATA_DIR: tempDir(), TWILIO_AUTH_TOKEN_SECONDARY: "another-token" }), now);
    expect(undated.map((a) => [a.credential, a.status])).toEqual([
      ["TWILIO_AUTH_TOKEN", "unknown"],
      ["TWILIO_AUTH_TOKEN_SECONDARY", "unknown"],
      ["YOTI_KEY", "unknown"],
    ]);
  });

  it("refuse a date that is not one, or is in the future", () => {
    expect(problems({ ...LIVE_ENV, TWILIO_AUTH_TOKEN_ISSUED: "01/09/2026" })).toContain("TWILIO_AUTH_TOKEN_ISSUED: must be a date YYYY-MM-DD");
    expect(problems({ ...LIVE_ENV, YOTI_KEY_ISSUED: "2026-02-30" })).toContain("YOTI_KEY_ISSUED: is not a real date");
    expect(problems({ ...LIVE_ENV, YOTI_KEY_ISSUED: "2999-01-01" })).toContain("YOTI_KEY_ISSUED: is in the future");
  });

  it("refuse a rotation's second credential that is the first one again, or two second Yoti keys", () => {
    expect(problems({ ...LIVE_ENV, TWILIO_AUTH_TOKEN_SECONDARY: LIVE_ENV.TWILIO_AUTH_TOKEN })).toContain("TWILIO_AUTH_TOKEN_SECONDARY is the same as TWILIO_AUTH_TOKEN");
    expect(problems({ ...LIVE_ENV, YOTI_API_KEY_SECONDARY: LIVE_ENV.YOTI_API_KEY })).toContain("YOTI_API_KEY_SECONDARY is the same as YOTI_API_KEY");
    expect(problems({ ...LIVE_ENV, YOTI_API_KEY_SECONDARY: "k2", YOTI_PRIVATE_KEY_SECONDARY: "pem" })).toContain("Set one second Yoti key");
    const env = loadEnv({ ...LIVE_ENV, DATA_DIR: tempDir(), YOTI_API_KEY_SECONDARY: "the-new-key", TWILIO_AUTH_TOKEN_SECONDARY: "the-new-token" });
    expect(env.yoti.secondary).toEqual({ apiKey: "the-new-key", privateKeyPem: undefined });
    expect(env.twilio.authTokenSecondary).toBe("the-new-token");
    // A second credential alone is a live setting, never a silent sandbox.
    expect(problems({ TWILIO_AUTH_TOKEN_SECONDARY: "x" })).toContain("TWILIO_ACCOUNT_SID is missing");
  });
});
