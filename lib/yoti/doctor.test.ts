import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv, type Env } from "@/lib/env";
import { loadSandboxSecrets } from "@/lib/sandbox/secrets";
import { tempDir, testDb } from "@/lib/testing/db";
import { serve } from "@/lib/http/serve";
import { yotiChecks } from "./doctor";
import { createYotiEmulator } from "./emulator/handler";

let env: Env;
let close: () => Promise<void>;

beforeAll(async () => {
  const dir = tempDir();
  const secrets = loadSandboxSecrets(dir);
  const server = await serve(createYotiEmulator({ db: testDb(), sdkId: secrets.yoti.sdkId, apiKey: secrets.yoti.apiKey, notificationPrivateKeyPem: secrets.yoti.notificationPrivateKeyPem }));
  close = server.close;
  env = loadEnv({ DATA_DIR: dir, YOTI_API_URL: `${server.url}/sandbox/yoti/api/v1` });
});
afterAll(() => close());

const byName = (results: { name: string; status: string; detail: string }[], name: string) => results.find((r) => r.name === name)!;

describe("Yoti doctor checks", () => {
  it("pass with working credentials and the emulator's notification key", async () => {
    const results = await yotiChecks(env);
    expect(results.map((r) => r.status)).toEqual(["PASS", "PASS", "PASS", "PASS"]);
    expect(byName(results, "Yoti credentials").detail).toContain("probe answered 404");
    expect(byName(results, "Yoti policy").detail).toBe("OVER 18, age estimation at 25; methods AGE_ESTIMATION, DIGITAL_ID, DOC_SCAN");
  });

  it("say which credential is wrong, with the fix, and never print the key", async () => {
    const badKey = await yotiChecks({ ...env, yoti: { ...env.yoti, apiKey: "wrong-key-value" } });
    expect(byName(badKey, "Yoti credentials")).toMatchObject({ status: "FAIL", detail: expect.stringContaining("Yoti rejected the API key") });
    expect(JSON.stringify(badKey)).not.toContain("wrong-key-value");
    const badSdk = await yotiChecks({ ...env, yoti: { ...env.yoti, sdkId: "another-service" } });
    expect(byName(badSdk, "Yoti credentials")).toMatchObject({ status: "FAIL", detail: expect.stringContaining("check YOTI_SDK_ID") });
  });

  it("check a rotation's second key too, and say when Yoti refuses the first but takes the second", async () => {
    const both = await yotiChecks({ ...env, yoti: { ...env.yoti, secondary: { apiKey: env.yoti.apiKey } } });
    expect(byName(both, "Yoti second key")).toMatchObject({ status: "PASS", detail: expect.stringContaining("ready for the rotation") });
    const rotated = await yotiChecks({ ...env, yoti: { ...env.yoti, apiKey: "the-revoked-key", secondary: { apiKey: env.yoti.apiKey } } });
    expect(byName(rotated, "Yoti credentials")).toMatchObject({ status: "WARN", detail: expect.stringContaining("The second key works and is used instead") });
    expect(JSON.stringify(rotated)).not.toContain("the-revoked-key");
  });

  it("fail on an unreadable notification key and on http callbacks in live mode", async () => {
    const results = await yotiChecks({ ...env, mode: "live", appUrl: "http://members.example.com", yoti: { ...env.yoti, notificationPublicKeyPem: "not a key" } });
    expect(byName(results, "Yoti notification key").status).toBe("FAIL");
    expect(byName(results, "Yoti callback URLs")).toMatchObject({ status: "FAIL", detail: expect.stringContaining("not https") });
  });

  it("warn, not fail, when the sandbox emulator is not running", async () => {
    const results = await yotiChecks({ ...env, yoti: { ...env.yoti, apiUrl: "http://127.0.0.1:9/sandbox/yoti/api/v1" } });
    expect(byName(results, "Yoti credentials").status).toBe("WARN");
  });
});
