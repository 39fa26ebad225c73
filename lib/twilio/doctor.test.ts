import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { checkTwilio } from "./doctor";
import { servedEmulator } from "@/lib/testing/twilio";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function doctorAgainst(options: Parameters<typeof servedEmulator>[1], override: Parameters<Awaited<ReturnType<typeof servedEmulator>>["client"]>[0] = {}) {
  const twilio = await servedEmulator(testDb(), options);
  cleanups.push(twilio.close);
  const config = { ...twilio.config, ...override };
  return checkTwilio(twilio.client(override), config);
}

describe("Twilio doctor checks", () => {
  it("passes an active account whose sender number can send SMS", async () => {
    const results = await doctorAgainst({});
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["twilio account", "PASS"],
      ["twilio sender", "PASS"],
    ]);
    expect(results[1]!.detail).toContain("+15005550006 belongs to the account and can send SMS");
  });

  it("warns about a Trial account: only verified numbers receive SMS", async () => {
    const [account] = await doctorAgainst({ account: { type: "Trial" } });
    expect(account).toMatchObject({ status: "WARN" });
    expect(account!.detail).toMatch(/Trial.*verified numbers/);
  });

  it("fails a suspended or closed account", async () => {
    for (const status of ["suspended", "closed"] as const) {
      const [account] = await doctorAgainst({ account: { status } });
      expect(account).toMatchObject({ status: "FAIL" });
      expect(account!.detail).toContain(`is ${status}`);
    }
  });

  it("fails wrong credentials naming 20003 and what to fix", async () => {
    const results = await doctorAgainst({}, { authToken: "0".repeat(32) });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: "FAIL", name: "twilio credentials" });
    expect(results[0]!.detail).toMatch(/20003.*TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
  });

  it("fails a sender number the account does not own", async () => {
    const results = await doctorAgainst({}, { phoneNumber: "+447400123456" });
    expect(results[1]).toMatchObject({ status: "FAIL", name: "twilio sender" });
    expect(results[1]!.detail).toContain("is not a number of this account");
  });

  it("checks a messaging service instead of a number when one is configured", async () => {
    const mg = `MG${"a".repeat(32)}`;
    expect((await doctorAgainst({ messagingServiceSid: mg }))[1]).toMatchObject({ status: "PASS", name: "twilio sender" });
    const wrong = await doctorAgainst({ messagingServiceSid: mg }, { messagingServiceSid: `MG${"b".repeat(32)}` });
    expect(wrong[1]).toMatchObject({ status: "FAIL" });
    expect(wrong[1]!.detail).toContain("is not a messaging service of this account");
  });
});
