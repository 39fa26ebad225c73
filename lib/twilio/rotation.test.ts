import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { servedEmulator } from "@/lib/testing/twilio";
import { priceOf, PRICE_DELAY_MS } from "./emulator/prices";
import type { SandboxTwilioMessage } from "@/db/schema";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emulator(options: Parameters<typeof servedEmulator>[1] = {}) {
  const twilio = await servedEmulator(testDb(), options);
  cleanups.push(twilio.close);
  return twilio;
}

describe("Twilio credentials during a rotation", () => {
  it("REST calls move to the secondary auth token when Twilio refuses the first (20003), and say which one works", async () => {
    const twilio = await emulator();
    const seen: string[] = [];
    const client = twilio.client({ authToken: "the-old-token-twilio-no-longer-takes", authTokenSecondary: twilio.config.authToken }, { observe: (name, outcome) => seen.push(`${name} ${outcome}`) });
    const sent = await client.sendSms({ to: "+447400123456", body: "after the promotion", statusCallback: "https://members.example.com/cb" });
    expect(sent.status).toBe("queued");
    expect(seen).toEqual(["TWILIO_AUTH_TOKEN refused", "TWILIO_AUTH_TOKEN_SECONDARY ok"]);
    // Sent once: the refused request was never processed.
    expect((await client.listMessages({ to: "+447400123456", since: new Date(Date.now() - 60_000) })).length).toBe(1);
    // And it stays on the one that works.
    await client.fetchMessage(sent.sid);
    expect(seen.at(-1)).toBe("TWILIO_AUTH_TOKEN_SECONDARY ok");
  });

  it("without a secondary token, a refused one is an error that names the fix", async () => {
    const twilio = await emulator();
    await expect(twilio.client({ authToken: "wrong" }).fetchMessage(`SM${"0".repeat(32)}`)).rejects.toMatchObject({ code: 20003 });
  });

  it("the emulator takes an API key (SK… and its secret) as Twilio does, and nothing else", async () => {
    const key = { sid: `SK${"a".repeat(32)}`, secret: "key-secret" };
    const twilio = await emulator({ apiKeys: [key] });
    const seen: string[] = [];
    const client = twilio.client({ apiKeySid: key.sid, apiKeySecret: key.secret, authToken: "unused" }, { observe: (name, outcome) => seen.push(`${name} ${outcome}`) });
    await client.sendSms({ to: "+447400123457", body: "with a key", statusCallback: "https://members.example.com/cb" });
    expect(seen).toEqual(["TWILIO_API_KEY ok"]);
    await expect(twilio.client({ apiKeySid: key.sid, apiKeySecret: "wrong", authToken: "unused" }).fetchMessage(`SM${"0".repeat(32)}`)).rejects.toMatchObject({ code: 20003 });
  });
});

describe("the emulator's prices", () => {
  const message = (to: string, status: string, segments = 1, dateUpdated = Date.now() - 5000) =>
    ({ to, status, numSegments: segments, direction: "outbound-api", dateUpdated }) as SandboxTwilioMessage;

  it("bill per segment at the destination country's list price, once the message is final and a moment has passed", () => {
    expect(priceOf(message("+447400123456", "delivered"))).toBe("-0.05240");
    expect(priceOf(message("+353851234567", "undelivered", 2))).toBe("-0.17720");
    expect(priceOf(message("+15005553003", "undelivered"))).toBe("-0.00830");
    expect(priceOf(message("+447400123456", "sent"))).toBeNull();
    expect(priceOf(message("+447400123456", "delivered", 1, Date.now()))).toBeNull();
    expect(priceOf(message("+447400123456", "delivered", 1, Date.now() - PRICE_DELAY_MS - 1))).toBe("-0.05240");
  });

  it("never bill a message that failed before reaching a carrier, nor an inbound one", () => {
    expect(priceOf(message("+447400123456", "failed"))).toBeNull();
    expect(priceOf({ ...message("+447400123456", "received"), direction: "inbound" })).toBeNull();
  });
});
