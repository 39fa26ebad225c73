import { afterEach, describe, expect, it, vi } from "vitest";
import { PayloadTooLarge } from "@/lib/http/body";
import { getEnv, resetEnvForTests } from "@/lib/env";
import { FLOOD_GATE_MS, log } from "@/lib/log";
import { tempDir } from "@/lib/testing/db";
import { LIVE_ENV } from "@/lib/testing/env";
import { isValidTwilioSignature, readStatusCallback, readTwilioForm, refusalWords, signTwilioRequest, TwilioWebhookRefused, verifyTwilioWebhook } from "./webhook";

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
    expect(isValidTwilioSignature(TOKEN, `${SIGNATURE}x`, URL_, PARAMS)).toBe(false);
  });

  it("accepts what Twilio signs for the same address with the default port written out, or left out", () => {
    const withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    expect(isValidTwilioSignature(TOKEN, signTwilioRequest(TOKEN, withPort, PARAMS), URL_, PARAMS)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, SIGNATURE, withPort, PARAMS)).toBe(true);
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
    expect(verifyTwilioWebhook(signed, await readTwilioForm(signed))).toBe("primary");

    const signedForInternalUrl = request(signTwilioRequest(token, "http://127.0.0.1:3999/api/twilio/status-callback?attempt=1", params));
    expect(verifyTwilioWebhook(signedForInternalUrl, params)).toBeNull();
    expect(verifyTwilioWebhook(signed, { ...params, MessageStatus: "failed" })).toBeNull();
    expect(verifyTwilioWebhook(request(""), params)).toBeNull();
  });
});

describe("reading a status callback: the auth token changeover and the likely cause of a refusal", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });
  const params = { MessageSid: "SM" + "b".repeat(32), MessageStatus: "delivered" };
  const post = (url: string, signature: string | null, headers: Record<string, string> = {}, type = "application/x-www-form-urlencoded") =>
    new Request(url, {
      method: "POST",
      headers: { "content-type": type, ...(signature === null ? {} : { "x-twilio-signature": signature }), ...headers },
      body: new URLSearchParams(params).toString(),
    });
  const live = (extra: Record<string, string> = {}) => {
    Object.assign(process.env, LIVE_ENV, { DATA_DIR: tempDir(), APP_URL: "https://members.example.com" }, extra);
    resetEnvForTests();
  };
  const PUBLIC = "https://members.example.com/api/twilio/status-callback";
  const INTERNAL = "http://127.0.0.1:3000/api/twilio/status-callback";
  /** What reading the request gives: the report and the signing token, or the refusal's cause and hint. */
  const read = (request: Request) =>
    readStatusCallback(request).then(
      (r) => ({ ok: true as const, signedBy: r.signedBy, value: r.value }),
      (e: unknown) => {
        if (!(e instanceof TwilioWebhookRefused)) throw e;
        return { ok: false as const, cause: e.cause, ...(e.hint ? { hint: e.hint } : {}) };
      },
    );

  it("accepts either token during a changeover and says which one signed", async () => {
    live({ TWILIO_AUTH_TOKEN_SECONDARY: "f".repeat(32) });
    const primary = await read(post(INTERNAL, signTwilioRequest(LIVE_ENV.TWILIO_AUTH_TOKEN, PUBLIC, params)));
    const secondary = await read(post(INTERNAL, signTwilioRequest("f".repeat(32), PUBLIC, params)));
    expect(primary).toEqual({ ok: true, signedBy: "primary", value: { sid: params.MessageSid, status: "delivered", errorCode: null } });
    expect(secondary).toMatchObject({ ok: true, signedBy: "secondary" });
  });

  it("without a secondary token, a signature made with another token is refused as the wrong token", async () => {
    live();
    expect(await read(post(INTERNAL, signTwilioRequest("f".repeat(32), PUBLIC, params)))).toEqual({ ok: false, cause: "wrong_token" });
  });

  it("recognises Twilio's own signature for another URL than APP_URL and names the URL it signed", async () => {
    live();
    // Twilio was configured with the proxy's http address; the proxy forwards Host and X-Forwarded-Proto.
    const signedFor = "http://members.example.com:8080/api/twilio/status-callback";
    const verdict = await read(
      post(INTERNAL, signTwilioRequest(LIVE_ENV.TWILIO_AUTH_TOKEN, signedFor, params), { "x-forwarded-host": "members.example.com:8080", "x-forwarded-proto": "http" }),
    );
    expect(verdict).toEqual({ ok: false, cause: "app_url_mismatch", hint: "Twilio signed http://members.example.com:8080 (primary token) but APP_URL is https://members.example.com" });
    expect(refusalWords("app_url_mismatch")).toContain("set APP_URL to the public URL Twilio calls");
  });

  it("refuses every one of a flood of forged callbacks, but logs a line a minute per cause, with the count held back", async () => {
    live();
    // The clock starts far from any other test's refusals (the gates live for the process).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 100 * FLOOD_GATE_MS });
    const warn = vi.spyOn(log, "warn").mockImplementation(() => undefined);
    try {
      const forged = () => read(post(INTERNAL, signTwilioRequest("f".repeat(32), PUBLIC, params)));
      for (let i = 0; i < 30; i++) expect(await forged()).toEqual({ ok: false, cause: "wrong_token" });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![1]).toBe(`Twilio webhook refused (403): ${refusalWords("wrong_token")}`);
      // Another cause is not hidden by the flood.
      expect(await read(post(INTERNAL, "abc", {}, "application/json"))).toMatchObject({ ok: false, cause: "not_form" });
      expect(warn).toHaveBeenCalledTimes(2);
      // A minute later the next one is logged, saying how many were held back.
      vi.setSystemTime(Date.now() + FLOOD_GATE_MS);
      expect(await forged()).toEqual({ ok: false, cause: "wrong_token" });
      expect(warn).toHaveBeenCalledTimes(3);
      expect(warn.mock.calls[2]![0]).toMatchObject({ cause: "wrong_token", heldBack: 29 });
      expect(warn.mock.calls[2]![1]).toContain("(29 more like it since the last such line, not logged)");
    } finally {
      warn.mockRestore();
      vi.useRealTimers();
    }
  });

  it("tells a request without a signature, or not form-encoded, from a bad signature", async () => {
    live();
    expect(await read(post(INTERNAL, null))).toEqual({ ok: false, cause: "no_signature" });
    expect(await read(post(INTERNAL, "abc", {}, "application/json"))).toMatchObject({ ok: false, cause: "not_form" });
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
