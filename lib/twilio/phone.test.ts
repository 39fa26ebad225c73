import { describe, expect, it } from "vitest";
import { normalisePhone } from "./phone";
import { segmentInfo } from "./sms";

describe("normalisePhone", () => {
  it("accepts a national number in the default country and returns E.164", () => {
    expect(normalisePhone("07400 123456", "GB")).toEqual({ ok: true, e164: "+447400123456", country: "GB" });
  });

  it("accepts international input whatever the default country, with + or 00", () => {
    expect(normalisePhone("+33 6 12 34 56 78", "GB")).toEqual({ ok: true, e164: "+33612345678", country: "FR" });
    expect(normalisePhone("0033 6 12 34 56 78", "GB")).toEqual({ ok: true, e164: "+33612345678", country: "FR" });
    expect(normalisePhone("(415) 555-2671", "US")).toMatchObject({ ok: true, e164: "+14155552671", country: "US" });
  });

  it("accepts Ofcom's drama numbers and Twilio's magic test numbers, which testers type", () => {
    expect(normalisePhone("07700 900123", "GB")).toMatchObject({ ok: true, e164: "+447700900123" });
    expect(normalisePhone("+1 500 555 0006", "GB")).toMatchObject({ ok: true, e164: "+15005550006" });
  });

  it("explains an invalid number in plain words naming the country", () => {
    expect(normalisePhone("0791 12", "GB")).toEqual({ ok: false, message: "That is not a valid mobile number for United Kingdom." });
    expect(normalisePhone("06 12", "FR")).toEqual({ ok: false, message: "That is not a valid mobile number for France." });
    expect(normalisePhone("call me", "GB")).toMatchObject({ ok: false });
    expect(normalisePhone("  ", "GB")).toEqual({ ok: false, message: "Enter a mobile number." });
  });

  it("refuses a landline because it cannot receive text messages", () => {
    const result = normalisePhone("020 7946 0000", "GB");
    expect(result).toEqual({ ok: false, message: "That number is a landline in United Kingdom; text messages need a mobile number." });
  });
});

describe("segmentInfo", () => {
  it("counts GSM-7 text as 160 characters alone and 153 per part", () => {
    expect(segmentInfo("a".repeat(160))).toEqual({ encoding: "GSM-7", segments: 1, perSegment: 160 });
    expect(segmentInfo("a".repeat(161))).toEqual({ encoding: "GSM-7", segments: 2, perSegment: 153 });
    expect(segmentInfo("a".repeat(306))).toMatchObject({ segments: 2 });
    expect(segmentInfo("a".repeat(307))).toMatchObject({ segments: 3 });
  });

  it("counts GSM-7 extension characters such as € twice", () => {
    expect(segmentInfo("€".repeat(80))).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(segmentInfo("€".repeat(81))).toMatchObject({ encoding: "GSM-7", segments: 2 });
  });

  it("switches the whole message to UCS-2 for one emoji: 70 alone, 67 per part", () => {
    expect(segmentInfo(`${"a".repeat(68)}🔥`)).toEqual({ encoding: "UCS-2", segments: 1, perSegment: 70 });
    expect(segmentInfo(`${"a".repeat(69)}🔥`)).toEqual({ encoding: "UCS-2", segments: 2, perSegment: 67 });
    expect(segmentInfo("Привет")).toMatchObject({ encoding: "UCS-2", segments: 1 });
  });
});
