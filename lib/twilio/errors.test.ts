import { describe, expect, it } from "vitest";
import { explainTwilioCode, isVerifyLimit, toTwilioError, TwilioError, verifyCheckRefusal } from "./errors";

describe("explainTwilioCode", () => {
  const codes = [20003, 20429, 429, 21211, 21408, 21606, 21608, 21610, 21611, 21612, 21614, 21617, 30003, 30004, 30005, 30006, 30007, 30008];

  it("explains every code we can meet, for members without jargon and for operators with the code", () => {
    for (const code of codes) {
      const e = explainTwilioCode(code);
      expect(e.memberMessage).not.toMatch(/\d{5}|twilio/i);
      expect(e.operatorMessage).toContain(String(code === 429 ? 20429 : code));
    }
  });

  it("classes rate limits and queue overflow as retryable, bad numbers and credentials as not", () => {
    expect(explainTwilioCode(20429).retryable).toBe(true);
    expect(explainTwilioCode(429).retryable).toBe(true);
    expect(explainTwilioCode(21611).retryable).toBe(true);
    expect(explainTwilioCode(30008).retryable).toBe(true);
    for (const code of [20003, 21211, 21408, 21608, 21610, 21612, 21614, 21617, 30003, 30005, 30006, 30007]) {
      expect(explainTwilioCode(code).retryable).toBe(false);
    }
  });

  it("tells the operator how to fix bad credentials", () => {
    expect(explainTwilioCode(20003).operatorMessage).toMatch(/TWILIO_ACCOUNT_SID.*TWILIO_AUTH_TOKEN/);
  });

  it("still says something useful about a code it does not know", () => {
    const e = explainTwilioCode(12345);
    expect(e.operatorMessage).toContain("12345");
    expect(e.memberMessage).toMatch(/could not be sent/);
  });
});

describe("toTwilioError", () => {
  it("turns an HTTP error answer into its explanation", () => {
    const e = toTwilioError({ status: 400, code: 21211, message: "The 'To' number +1 is not a valid phone number." });
    expect(e).toBeInstanceOf(TwilioError);
    expect(e).toMatchObject({ code: 21211, httpStatus: 400, retryable: false, outcomeUnknown: false });
  });

  it("treats a 5xx without a code as retryable with an unknown outcome, and a 401 as 20003", () => {
    expect(toTwilioError({ status: 503 })).toMatchObject({ retryable: true, outcomeUnknown: true, httpStatus: 503 });
    expect(toTwilioError({ status: 400, code: 21211 }).outcomeUnknown).toBe(false);
    expect(toTwilioError({ status: 401 }).code).toBe(20003);
  });

  it("knows a refused connection sent nothing, but a timeout may have sent the message", () => {
    expect(toTwilioError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toMatchObject({ retryable: true, outcomeUnknown: false });
    expect(toTwilioError(Object.assign(new Error("timeout of 15000ms exceeded"), { code: "ECONNABORTED" }))).toMatchObject({ retryable: true, outcomeUnknown: true });
    expect(toTwilioError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toMatchObject({ outcomeUnknown: true });
  });
});

describe("Verify refusals", () => {
  it("a Verify limit is a 429 with a Verify code; a Messaging 429 or another Verify error is not", () => {
    expect(isVerifyLimit(TwilioError.fromCode(60203, 429))).toBe(true);
    expect(isVerifyLimit(TwilioError.fromCode(60212, 429))).toBe(true);
    expect(isVerifyLimit(TwilioError.fromCode(20429, 429))).toBe(false);
    expect(isVerifyLimit(TwilioError.fromCode(60200, 400))).toBe(false);
    expect(isVerifyLimit(new Error("x"))).toBe(false);
  });

  it("a check refused for spent tries is exhausted, for a verification Twilio no longer has is gone, anything else null", () => {
    expect(verifyCheckRefusal(TwilioError.fromCode(60202, 429))).toBe("exhausted");
    expect(verifyCheckRefusal(TwilioError.fromCode(20404, 404))).toBe("gone");
    expect(verifyCheckRefusal(TwilioError.fromCode(60200, 400))).toBeNull();
    expect(verifyCheckRefusal(new Error("x"))).toBeNull();
  });
});
