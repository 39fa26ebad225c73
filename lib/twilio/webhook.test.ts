import { afterEach, describe, expect, it } from "vitest";
import { PayloadTooLarge } from "@/lib/http/body";
import { getEnv, resetEnvForTests } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { isValidTwilioSignature, readTwilioForm, signTwilioRequest, verifyTwilioWebhook } from "./webhook";

// Twilio's documented example (reference/twilio.md, "Webhook signatures").
const TOKEN = "12345";
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };
const SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

describe("Twilio signature validation", () => {
  it("accepts Twilio's documented example", () => {
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL_, PARAMS)).toBe(true);
    expect(signTwilioRequest(TOKEN, URL_, PARAMS)).toBe(SIGNATURE);
  });

  it("rejects a changed parameter, a changed URL, another token or no signature", () => {
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL_, { ...PARAMS, Digits: "1235" })).toBe(false);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, URL_, { ...PARAMS, Extra: "x" })).toBe(false);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, "http://mycompany.com/myapp.php?foo=1&bar=2", PARAMS)).toBe(false);
    expect(isValidTwilioSignature("54321", SIGNATURE, URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, null, URL_, PARAMS)).toBe(false);
  });
});

describe("verifyTwilioWebhook", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });

  it("checks the signature against the public URL, not the address the app sees behind a proxy", async () => {
    Object.assign(process.env, { DATA_DIR: tempDir(), APP_URL: "https://members.example.com", SANDBOX: "1", PORT: "3999" });
    resetEnvForTests();
    const token = getEnv().twilio.authToken;
    const params = { MessageSid: "SM" + "a".repeat(32), MessageStatus: "delivered" };
    const publicUrl = "https://members.example.com/api/twilio/status-callback?attempt=1";
    const body = new URLSearchParams(params).toString();
    // Behind the proxy the app receives plain http on an internal address.
    const request = (signature: string) =>
      new Request("http://127.0.0.1:3999/api/twilio/status-callback?attempt=1", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        body,
      });
    const signed = request(signTwilioRequest(token, publicUrl, params));
    expect(verifyTwilioWebhook(signed, await readTwilioForm(signed))).toBe(true);

    const signedForInternalUrl = request(signTwilioRequest(token, "http://127.0.0.1:3999/api/twilio/status-callback?attempt=1", params));
    expect(verifyTwilioWebhook(signedForInternalUrl, params)).toBe(false);
    expect(verifyTwilioWebhook(signed, { ...params, MessageStatus: "failed" })).toBe(false);
    expect(verifyTwilioWebhook(request(""), params)).toBe(false);
  });
});

describe("readTwilioForm", () => {
  const post = (type: string, body: string) => new Request("http://127.0.0.1/api/twilio/inbound", { method: "POST", headers: { "content-type": type }, body });

  it("reads Twilio's form-encoded body, whatever the charset parameter", async () => {
    expect(await readTwilioForm(post("application/x-www-form-urlencoded; charset=UTF-8", "From=%2B447700900123&Body=STOP"))).toEqual({ From: "+447700900123", Body: "STOP" });
  });

  it("yields no parameters for another content type, so a signature over them cannot match", async () => {
    expect(await readTwilioForm(post("text/plain", "From=%2B447700900123&Body=STOP"))).toEqual({});
    expect(await readTwilioForm(post("application/json", '{"From":"+447700900123"}'))).toEqual({});
  });

  it("refuses a body far larger than any Twilio webhook before buffering it (413, like every oversized body)", async () => {
    const big = `Body=${"x".repeat(70 * 1024)}`;
    await expect(readTwilioForm(post("application/x-www-form-urlencoded", big))).rejects.toBeInstanceOf(PayloadTooLarge);
  });
});
