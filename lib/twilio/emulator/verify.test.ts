// Twilio Verify in the emulator, over real HTTP: through the official SDK (lib/twilio/verify.ts) for what the app does,
// and raw requests checked against Twilio's OpenAPI description of Verify v2 (lib/twilio/openapi) for every answer.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getMessage, listMessages } from "./store";
import { testDb } from "@/lib/testing/db";
import { errorValidator, expectValid, openApi } from "@/lib/testing/openapi";
import { servedEmulator } from "@/lib/testing/twilio";
import { TwilioError } from "../errors";
import { createTwilioVerify } from "../verify";

type Json = Record<string, unknown>;
const validator = openApi("twilio_verify_v2.json");
const SERVICE = `VA${randomBytes(16).toString("hex")}`;
const CREATE = "/v2/Services/{ServiceSid}/Verifications";
const CHECK = "/v2/Services/{ServiceSid}/VerificationCheck";
const ONE = "/v2/Services/{ServiceSid}/Verifications/{Sid}";

describe("Twilio Verify in the emulator", () => {
  let twilio: Awaited<ReturnType<typeof servedEmulator>>;
  let verify: ReturnType<typeof createTwilioVerify>;
  let raw: (path: string, form?: Record<string, string>) => Promise<Response>;
  let n = 0;
  const number = () => `+4474001${String(++n).padStart(5, "0")}`;
  /** The code the number received, as the sandbox phone shows it (the emulator's own text). */
  const codeTexted = (to: string) => {
    const [last] = listMessages(twilio.emulator.context.db, { accountSid: twilio.config.accountSid, to, limit: 1 });
    return /verification code is: (\d{6})$/.exec(last?.body ?? "")?.[1] ?? null;
  };
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      return error as TwilioError;
    }
    throw new Error("expected a refusal");
  };

  beforeAll(async () => {
    twilio = await servedEmulator(testDb(), { verify: { serviceSid: SERVICE, friendlyName: "Select Exposure" } });
    verify = createTwilioVerify({ ...twilio.config, verifyServiceSid: SERVICE });
    const auth = `Basic ${Buffer.from(`${twilio.config.accountSid}:${twilio.config.authToken}`).toString("base64")}`;
    raw = (path, form) =>
      fetch(`${twilio.url}/verify${path}`, {
        method: form ? "POST" : "GET",
        headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
  });
  afterAll(() => twilio.close());

  it("texts a 6-digit code from Verify's sender; the right code approves the verification once", async () => {
    const to = number();
    const started = await verify.start(to);
    expect(started).toMatchObject({ status: "pending", sends: 1 });
    const code = codeTexted(to)!;
    expect(code).toMatch(/^\d{6}$/);
    const [message] = listMessages(twilio.emulator.context.db, { accountSid: twilio.config.accountSid, to, limit: 1 });
    expect(message).toMatchObject({ from: "Verify", body: `Your Select Exposure verification code is: ${code}` });
    await twilio.emulator.idle();
    expect(await verify.check({ to, code })).toEqual({ sid: started.sid, status: "approved" });
    // Approved verifications are gone: checking again is 20404, as at Twilio.
    expect(await refusal(verify.check({ to, code }))).toMatchObject({ code: 20404, httpStatus: 404 });
    expect(getMessage(twilio.emulator.context.db, message!.sid)?.statusCallback).toBeNull();
  });

  it("resends the same code in the same verification, at most 5 times (then 60203)", async () => {
    const to = number();
    const first = await verify.start(to);
    const code = codeTexted(to);
    for (let i = 2; i <= 5; i++) expect(await verify.start(to)).toEqual({ sid: first.sid, status: "pending", sends: i });
    expect(codeTexted(to)).toBe(code);
    const sixth = await refusal(verify.start(to));
    expect(sixth).toMatchObject({ code: 60203, httpStatus: 429, memberMessage: expect.stringContaining("as many codes") });
  });

  it("counts wrong checks: pending four times, max_attempts_reached at the fifth, then 60202 for checks and for a new verification", async () => {
    const to = number();
    await verify.start(to);
    const wrong = codeTexted(to) === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) expect((await verify.check({ to, code: wrong })).status).toBe("pending");
    expect((await verify.check({ to, code: wrong })).status).toBe("max_attempts_reached");
    expect(await refusal(verify.check({ to, code: codeTexted(to)! }))).toMatchObject({ code: 60202, httpStatus: 429 });
    expect(await refusal(verify.start(to))).toMatchObject({ code: 60202 });
    // Twilio deletes it once its checks ran out: not found to a fetch or a cancel, so cancelling cannot lift 60202.
    expect(await (await raw(`/v2/Services/${SERVICE}/Verifications`, { To: to, Channel: "sms" })).json()).toMatchObject({ code: 60202 });
    const latest = twilio.emulator.context.db.$client.prepare("select sid from sandbox_twilio_verifications where \"to\" = ? order by date_created desc limit 1").get(to) as { sid: string };
    expect((await raw(`/v2/Services/${SERVICE}/Verifications/${latest.sid}`)).status).toBe(404);
    expect(await refusal(verify.cancel(latest.sid))).toMatchObject({ code: 20404 });
    expect(await refusal(verify.start(to))).toMatchObject({ code: 60202 });
  });

  it("forgets a verification after 10 minutes (20404) and after cancelling; a new one gets a new code", async () => {
    const to = number();
    const first = await verify.start(to);
    await verify.cancel(first.sid);
    expect(await refusal(verify.check({ to, code: codeTexted(to)! }))).toMatchObject({ code: 20404 });
    const second = await verify.start(to);
    expect(second.sid).not.toBe(first.sid);
    // Time passes: the emulator's verification is 10 minutes old.
    twilio.emulator.context.db.$client.prepare("update sandbox_twilio_verifications set expires_at = ? where sid = ?").run(Date.now() - 1, second.sid);
    expect(await refusal(verify.check({ to, code: codeTexted(to)! }))).toMatchObject({ code: 20404, httpStatus: 404 });
  });

  it("refuses bad input with 60200 naming the parameter, a landline with 60205, a blocked region with 60605, another service with 20404", async () => {
    expect(await refusal(verify.start("07700900123"))).toMatchObject({ code: 60200, httpStatus: 400 });
    // E.164 in shape but no number anywhere (libphonenumber's full metadata): Twilio's 60200 `To`.
    expect(await refusal(verify.start("+10000000000"))).toMatchObject({ code: 60200, httpStatus: 400 });
    expect(await refusal(verify.check({ to: number(), code: "12" }))).toMatchObject({ code: 60200 });
    expect(await refusal(verify.start("+15005550009"))).toMatchObject({ code: 60205, memberMessage: expect.stringContaining("landline") });
    expect(await refusal(verify.start("+15005550003"))).toMatchObject({ code: 60605, httpStatus: 403 });
    const other = createTwilioVerify({ ...twilio.config, verifyServiceSid: `VA${"0".repeat(32)}` });
    expect(await refusal(other.start(number()))).toMatchObject({ code: 20404 });
    const channel = await raw(`/v2/Services/${SERVICE}/Verifications`, { To: number(), Channel: "call" });
    expect(await channel.json()).toMatchObject({ code: 60200, message: "Invalid parameter: Channel" });
  });

  it("answers every operation the app uses in the shape Twilio's OpenAPI description gives", async () => {
    const to = number();
    const created = await raw(`/v2/Services/${SERVICE}/Verifications`, { To: to, Channel: "sms" });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Json;
    expectValid(validator(CREATE, "post", "201"), body);
    expect(body).toMatchObject({ status: "pending", valid: false, channel: "sms", to, url: `https://verify.twilio.com/v2/Services/${SERVICE}/Verifications/${body.sid}` });
    expectValid(validator(ONE, "get", "200"), await (await raw(`/v2/Services/${SERVICE}/Verifications/${body.sid}`)).json());
    const wrong = await raw(`/v2/Services/${SERVICE}/VerificationCheck`, { To: to, Code: codeTexted(to) === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(201);
    expectValid(validator(CHECK, "post", "201"), await wrong.json());
    const right = (await (await raw(`/v2/Services/${SERVICE}/VerificationCheck`, { VerificationSid: String(body.sid), Code: codeTexted(to)! })).json()) as Json;
    expectValid(validator(CHECK, "post", "201"), right);
    expect(right).toMatchObject({ status: "approved", valid: true });
    const cancelled = await raw(`/v2/Services/${SERVICE}/Verifications`, { To: number(), Channel: "sms" });
    const sid = String(((await cancelled.json()) as Json).sid);
    expectValid(validator(ONE, "post", "200"), await (await raw(`/v2/Services/${SERVICE}/Verifications/${sid}`, { Status: "canceled" })).json());
    expectValid(validator("/v2/Services/{Sid}", "get", "200"), await (await raw(`/v2/Services/${SERVICE}`)).json());
    for (const [path, form] of [
      [`/v2/Services/${SERVICE}/VerificationCheck`, { To: to, Code: "123456" }],
      [`/v2/Services/${SERVICE}/Verifications`, { To: "nope", Channel: "sms" }],
    ] as const) {
      const error = await raw(path, form);
      expect(error.status).toBeGreaterThanOrEqual(400);
      expectValid(errorValidator, await error.json());
    }
  });
});
