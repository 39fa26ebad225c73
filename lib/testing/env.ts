// Test environments: a complete live-mode set (placeholder values, no real credential) any test can derive from, and a
// helper that sets variables for one test file and restores the environment after it.
import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env";
export const LIVE_ENV = {
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
} as const;

/** Sets these variables (computed when the file's tests start) for the whole file, then restores process.env. */
export function withTestEnv(vars: () => Record<string, string>): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, vars());
    resetEnvForTests();
  });
  afterAll(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });
}
