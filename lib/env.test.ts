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

  it("sends the sandbox's Twilio requests to an emulator elsewhere when SANDBOX_TWILIO_URL says so, never in live mode", () => {
    expect(loadEnv({ DATA_DIR: tempDir(), SANDBOX_TWILIO_URL: "http://127.0.0.1:4010" }).twilio.emulatorUrl).toBe("http://127.0.0.1:4010");
    expect(problemsOf({ DATA_DIR: tempDir(), SANDBOX_TWILIO_URL: "file:///etc/passwd" }).join("\n")).toMatch(/SANDBOX_TWILIO_URL: must be an http\(s\) URL/);
    expect(loadEnv({ ...LIVE, SANDBOX_TWILIO_URL: "http://127.0.0.1:4010" }).twilio.emulatorUrl).toBeUndefined();
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
    expect(loadEnv({ ...LIVE, APP_URL: "https://members.example.com:8443/club" }).appOrigin).toBe("https://members.example.com:8443");
    expect(env.yoti.apiUrl).toBe("https://age.yoti.com/api/v1");
    expect(env.yoti.notificationPublicKeyPem).toContain("\nMIIB\n");
    expect(env.twilio.emulatorUrl).toBeUndefined();
    expect(env.demo).toBeUndefined();
  });

  it("trusts no proxy's X-Forwarded-For unless TRUSTED_PROXIES names it, as addresses or CIDR ranges", () => {
    expect(loadEnv({ DATA_DIR: tempDir() }).trustedProxies).toEqual([]);
    expect(loadEnv({ DATA_DIR: tempDir(), TRUSTED_PROXIES: "none" }).trustedProxies).toEqual([]);
    expect(loadEnv({ DATA_DIR: tempDir(), TRUSTED_PROXIES: "127.0.0.1, ::1" }).trustedProxies).toEqual(["127.0.0.1", "::1"]);
    expect(loadEnv({ DATA_DIR: tempDir(), TRUSTED_PROXIES: "10.0.0.0/8, FD00::/8" }).trustedProxies).toEqual(["10.0.0.0/8", "fd00::/8"]);
    for (const bad of ["proxy.internal", "10.0.0.0/33", "10.0.0.0/8/1", "::1/129", "10.0.0/8"]) {
      expect(problemsOf({ ...LIVE, TRUSTED_PROXIES: bad })[0], bad).toMatch(/TRUSTED_PROXIES: must be .*CIDR/);
    }
  });
});

describe("sandbox mode cannot be mistaken for production", () => {
  it("listens on 127.0.0.1 unless HOST is set, and then counts as exposed", () => {
    expect(loadEnv({ DATA_DIR: tempDir() }).listen).toEqual({ host: "127.0.0.1", exposed: false });
    expect(loadEnv({ DATA_DIR: tempDir(), HOST: "localhost" }).listen).toEqual({ host: "localhost", exposed: false });
    expect(loadEnv({ DATA_DIR: tempDir(), HOST: "0.0.0.0" }).listen).toEqual({ host: "0.0.0.0", exposed: true });
    expect(loadEnv({ ...LIVE }).listen).toEqual({ host: "0.0.0.0", exposed: false });
  });

  it("refuses a non-local APP_URL without credentials, saying which variable to set for live or for sandbox", () => {
    const [problem, ...rest] = problemsOf({ DATA_DIR: tempDir(), APP_URL: "https://members.example.com" });
    expect(rest).toEqual([]);
    expect(problem).toContain("APP_URL is https://members.example.com, not this machine");
    expect(problem).toContain("For live mode set the Yoti and Twilio credentials");
    expect(problem).toContain("set SANDBOX=1");
    const on = loadEnv({ DATA_DIR: tempDir(), APP_URL: "https://demo.example.com", SANDBOX: "1" });
    expect(on).toMatchObject({ mode: "sandbox", appUrl: "https://demo.example.com" });
    for (const local of ["http://localhost:4000", "http://127.0.0.1:3000", "http://[::1]:3000", "http://app.localhost"]) {
      expect(loadEnv({ DATA_DIR: tempDir(), APP_URL: local }).mode, local).toBe("sandbox");
    }
  });

  it("refuses SANDBOX=1 together with live credentials", () => {
    expect(problemsOf({ ...LIVE, SANDBOX: "1" })).toEqual([expect.stringContaining("SANDBOX=1 asks for sandbox mode, but Yoti or Twilio credentials are set")]);
  });

  it("live mode requires an https APP_URL, http only for this machine", () => {
    expect(problemsOf({ ...LIVE, APP_URL: "http://members.example.com" })).toEqual([expect.stringContaining("APP_URL must be https in live mode")]);
    expect(loadEnv({ ...LIVE, APP_URL: "http://localhost:3000" }).mode).toBe("live");
  });

  it("creates the data folder 0700 and the database files 0600", async () => {
    const { openDatabase } = await import("@/db/client");
    const dir = path.join(tempDir(), "data");
    loadEnv({ DATA_DIR: dir });
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const dbDir = path.join(tempDir(), "fresh");
    const db = openDatabase(path.join(dbDir, "app.db"));
    db.$client.prepare("create table t (x)").run();
    expect(fs.statSync(dbDir).mode & 0o777).toBe(0o700);
    for (const f of ["app.db", "app.db-wal", "app.db-shm"]) expect(fs.statSync(path.join(dbDir, f)).mode & 0o777, f).toBe(0o600);
    // An existing world-readable database (made before this rule) is tightened when it is opened.
    db.$client.close();
    fs.chmodSync(path.join(dbDir, "app.db"), 0o644);
    openDatabase(path.join(dbDir, "app.db")).$client.close();
    expect(fs.statSync(path.join(dbDir, "app.db")).mode & 0o777).toBe(0o600);
  });
});

describe("SMS pumping guards", () => {
  it("allows the default country only unless SMS_ALLOWED_COUNTRIES says more, and all only when asked", () => {
    expect(loadEnv({ DATA_DIR: tempDir() }).twilio.allowedCountries).toEqual(["GB"]);
    expect(loadEnv({ DATA_DIR: tempDir(), SMS_DEFAULT_COUNTRY: "ie" }).twilio.allowedCountries).toEqual(["IE"]);
    expect(loadEnv({ DATA_DIR: tempDir(), SMS_ALLOWED_COUNTRIES: "gb, ie" }).twilio.allowedCountries).toEqual(["GB", "IE"]);
    expect(loadEnv({ DATA_DIR: tempDir(), SMS_ALLOWED_COUNTRIES: "all" }).twilio.allowedCountries).toBe("all");
    expect(loadEnv({ DATA_DIR: tempDir(), SMS_ALLOWED_COUNTRIES: "*" }).twilio.allowedCountries).toBe("all");
    expect(problemsOf({ ...LIVE, SMS_ALLOWED_COUNTRIES: "GB,Britain" })[0]).toMatch(/SMS_ALLOWED_COUNTRIES/);
  });

  it("has daily SMS caps with per-country overrides", () => {
    expect(loadEnv({ DATA_DIR: tempDir() }).smsCaps).toEqual({ daily: 500, perCountry: 50, countries: {} });
    expect(loadEnv({ DATA_DIR: tempDir(), SMS_DAILY_CAP: "2000", SMS_COUNTRY_DAILY_CAPS: "gb:1500, IE:20" }).smsCaps).toEqual({
      daily: 2000,
      perCountry: 50,
      countries: { GB: 1500, IE: 20 },
    });
    expect(problemsOf({ ...LIVE, SMS_COUNTRY_DAILY_CAPS: "GB=10" })[0]).toMatch(/SMS_COUNTRY_DAILY_CAPS: must be comma-separated COUNTRY:number/);
  });
});
