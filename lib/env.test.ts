import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "@/lib/testing/db";
import { ConfigError, loadEnv } from "./env";
import { LIVE_ENV } from "@/lib/testing/env";

const problemsOf = (source: Record<string, string>) => {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

const LIVE = LIVE_ENV;

describe("loadEnv", () => {
  it("runs in sandbox mode when no provider credentials are set, with generated secrets that survive a restart", () => {
    const dir = tempDir();
    const env = loadEnv({ DATA_DIR: dir });
    expect(env.mode).toBe("sandbox");
    expect(env.appUrl).toBe("http://localhost:3000");
    expect(env.databasePath).toBe(path.join(dir, "app.db"));
    expect(env.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(env.yoti.apiUrl).toBe("http://127.0.0.1:3000/sandbox/yoti/api/v1");
    expect(env.twilio.emulatorUrl).toBe("http://127.0.0.1:3000/sandbox/twilio");
    expect(env.demo?.memberEmail).toBe("demo@example.com");
    expect(fs.statSync(path.join(dir, "sandbox-secrets.json")).mode & 0o777).toBe(0o600);
    const again = loadEnv({ DATA_DIR: dir, PORT: "4000" });
    expect(again.authSecret).toBe(env.authSecret);
    expect(again.twilio.authToken).toBe(env.twilio.authToken);
    expect(again.appUrl).toBe("http://localhost:4000");
  });

  it("treats blank variables as unset", () => {
    const env = loadEnv({ DATA_DIR: tempDir(), TWILIO_ACCOUNT_SID: "", YOTI_SDK_ID: "  ", APP_URL: "" });
    expect(env.mode).toBe("sandbox");
  });

  it("names every missing variable when only part of a live configuration is set", () => {
    const problems = problemsOf({ TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}` });
    const text = problems.join("\n");
    expect(text).toContain("TWILIO_AUTH_TOKEN is missing");
    expect(text).toContain("Twilio has no sender");
    expect(text).toContain("TWILIO_PHONE_NUMBER");
    expect(text).toContain("YOTI_SDK_ID is missing");
    expect(text).toContain("YOTI_API_KEY is missing");
    expect(text).toContain("AUTH_SECRET is missing");
    expect(text).toContain("APP_URL is missing");
  });

  it("treats a sender or Yoti's public key set without credentials as a partial live set, never a silent sandbox", () => {
    const partials: Record<string, string>[] = [
      { TWILIO_PHONE_NUMBER: "+447700900000" },
      { TWILIO_MESSAGING_SERVICE_SID: `MG${"c".repeat(32)}` },
      { YOTI_NOTIFICATION_PUBLIC_KEY_PATH: "/nonexistent/yoti.pem" },
    ];
    for (const partial of partials) {
      const text = problemsOf(partial).join("\n");
      expect(text).toContain("TWILIO_ACCOUNT_SID is missing");
      expect(text).toContain("TWILIO_AUTH_TOKEN is missing");
      expect(text).toContain("YOTI_SDK_ID is missing");
    }
  });

  it("refuses the .env.example placeholders, naming each variable that still holds one", () => {
    const problems = problemsOf({ ...LIVE, AUTH_SECRET: "replace-with-output-of-openssl-rand-base64-32", YOTI_API_KEY: "replace-with-yoti-api-key" });
    expect(problems).toEqual([
      'AUTH_SECRET still holds the .env.example placeholder "replace-with-output-of-openssl-rand-base64-32": set the real value',
      'YOTI_API_KEY still holds the .env.example placeholder "replace-with-yoti-api-key": set the real value',
    ]);
  });

  it("refuses a live configuration without a Twilio sender and says how to get one", () => {
    const { TWILIO_PHONE_NUMBER: _drop, ...rest } = LIVE;
    void _drop;
    const problems = problemsOf(rest);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Twilio has no sender.*Phone Numbers/);
  });

  it("names malformed values", () => {
    const problems = problemsOf({ ...LIVE, TWILIO_ACCOUNT_SID: "not-a-sid", PORT: "99999", APP_URL: "ftp://x" });
    const text = problems.join("\n");
    expect(text).toMatch(/TWILIO_ACCOUNT_SID: must be AC followed by 32 hex/);
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/APP_URL/);
  });

  it("requires the API key secret with the API key SID", () => {
    expect(problemsOf({ ...LIVE, TWILIO_API_KEY_SID: `SK${"1".repeat(32)}` })).toEqual([
      "TWILIO_API_KEY_SECRET is missing: it is shown once when the API key is created",
    ]);
  });

  it("accepts a complete live configuration", () => {
    const env = loadEnv({ ...LIVE, APP_URL: "https://members.example.com/" });
    expect(env.mode).toBe("live");
    expect(env.appUrl).toBe("https://members.example.com");
    expect(env.yoti.apiUrl).toBe("https://age.yoti.com/api/v1");
    expect(env.yoti.notificationPublicKeyPem).toContain("\nMIIB\n");
    expect(env.twilio.emulatorUrl).toBeUndefined();
    expect(env.demo).toBeUndefined();
  });

  it("trusts no proxy's X-Forwarded-For unless TRUSTED_PROXIES names it", () => {
    expect(loadEnv({ DATA_DIR: tempDir() }).trustedProxies).toEqual([]);
    expect(loadEnv({ DATA_DIR: tempDir(), TRUSTED_PROXIES: "none" }).trustedProxies).toEqual([]);
    expect(loadEnv({ DATA_DIR: tempDir(), TRUSTED_PROXIES: "127.0.0.1, ::1" }).trustedProxies).toEqual(["127.0.0.1", "::1"]);
    expect(problemsOf({ ...LIVE, TRUSTED_PROXIES: "proxy.internal" })[0]).toMatch(/TRUSTED_PROXIES/);
  });
});
