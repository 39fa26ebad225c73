// SMS pumping and toll fraud: who may have the platform text, where, and how much per day.
import { afterEach, describe, expect, it, vi } from "vitest";
import { outbox, smokeSignals } from "@/db/schema";
import { log } from "@/lib/log";
import { testDb } from "@/lib/testing/db";
import { makeMember, queueSignal, refusalOf, TEST_ENV } from "@/lib/testing/messaging";
import { markJoined } from "./join";
import { countryRefusal, takeSmsBudget } from "./sms-policy";


const GB_ONLY = { ...TEST_ENV, twilio: { ...TEST_ENV.twilio, allowedCountries: ["GB"] } };
afterEach(() => vi.restoreAllMocks());

describe("who the platform texts for", () => {
  it("refuses platform SMS for a member who has not verified their age, and says what they can do instead", () => {
    const db = testDb();
    const newcomer = makeMember(db, "member", { verified: false });
    const e = refusalOf(() => queueSignal(db, newcomer, { to: "+447700900123" }));
    expect(e).toMatchObject({ status: 403, code: "age_verification_required" });
    expect(e.message).toMatch(/verified their age.*invite by email or from your own phone/);
    expect(db.select().from(outbox).all()).toHaveLength(0);
    expect(queueSignal(db, newcomer, { channel: "Email", to: "friend@example.com" }).status).toBe("Pending");
    expect(queueSignal(db, newcomer, { channel: "Own phone", to: "", consent: undefined }).status).toBe("Prepared");
  });

  it("refuses the reported pumping destination (+998, Uzbekistan) when only the default country is allowed", () => {
    const db = testDb();
    const e = refusalOf(() => queueSignal(db, makeMember(db), { to: "+998912345678" }, GB_ONLY));
    expect(e).toMatchObject({ status: 400, code: "country_not_allowed" });
    expect(e.message).toBe("We do not send SMS to Uzbekistan numbers. Allowed: United Kingdom.");
  });

  it("lets Twilio's magic test numbers through in sandbox mode only", () => {
    const test = { e164: "+15005553003", country: "US" };
    expect(countryRefusal({ ...GB_ONLY, mode: "sandbox" }, test)).toBeNull();
    expect(countryRefusal({ ...GB_ONLY, mode: "live" }, test)).toMatch(/United States/);
  });
});

describe("daily SMS caps", () => {
  it("refuse beyond the global cap with a 429 until midnight UTC, log an error for the operator once, and send nothing", () => {
    const db = testDb();
    const member = makeMember(db);
    const errors = vi.spyOn(log, "error").mockImplementation(() => undefined);
    const env = { ...TEST_ENV, smsCaps: { daily: 2, perCountry: 100, countries: {} } };
    queueSignal(db, member, { to: "+447700900001" }, env);
    queueSignal(db, member, { to: "+447700900002" }, env);
    const e = refusalOf(() => queueSignal(db, member, { to: "+447700900003" }, env));
    expect(e).toMatchObject({ status: 429, code: "sms_daily_cap" });
    expect(e.message).toBe("Select Exposure has sent as many text messages today as it allows. Try again tomorrow, or invite by email or from your own phone.");
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600);
    refusalOf(() => queueSignal(db, member, { to: "+447700900004" }, env));
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]![1]).toMatch(/SMS daily cap reached: 2 platform SMS today.*raise SMS_DAILY_CAP/);
    expect(db.select().from(smokeSignals).all()).toHaveLength(2);
    expect(db.select().from(outbox).all()).toHaveLength(2);
    // Email and own-phone invitations cost nothing and go on.
    expect(queueSignal(db, member, { channel: "Email", to: "friend@example.com" }, env).status).toBe("Pending");
  });

  it("cap each country abroad at SMS_COUNTRY_DAILY_CAP unless overridden; the home country only by the global cap", () => {
    const db = testDb();
    const member = makeMember(db);
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const env = { ...TEST_ENV, smsCaps: { daily: 100, perCountry: 1, countries: { IE: 2 } } };
    queueSignal(db, member, { to: "+33612345678" }, env);
    const france = refusalOf(() => queueSignal(db, member, { to: "+33612345679" }, env));
    expect(france).toMatchObject({ status: 429, code: "sms_daily_cap" });
    expect(france.message).toMatch(/as many text messages to France numbers today/);
    queueSignal(db, member, { to: "+353851234567" }, env);
    queueSignal(db, member, { to: "+353851234568" }, env);
    expect(refusalOf(() => queueSignal(db, member, { to: "+353851234569" }, env)).code).toBe("sms_daily_cap");
    for (let i = 0; i < 3; i++) queueSignal(db, member, { to: `+44770090010${i}` }, env);
  });

  it("start again on the next UTC day", () => {
    const db = testDb();
    vi.spyOn(log, "error").mockImplementation(() => undefined);
    const env = { ...TEST_ENV, smsCaps: { daily: 1, perCountry: 1, countries: {} } };
    const evening = Date.UTC(2026, 5, 1, 23, 59);
    takeSmsBudget(db, env, "GB", evening);
    expect(refusalOf(() => takeSmsBudget(db, env, "GB", evening + 30_000)).retryAfterSeconds).toBe(30);
    takeSmsBudget(db, env, "GB", evening + 61_000);
  });
});

describe("an invitation from the member's own phone", () => {
  it("sends and queues nothing, needs no consent or verification, and gives the text with the personal join link and an sms: link", () => {
    const db = testDb();
    const member = makeMember(db, "member", { verified: false });
    const signal = queueSignal(db, member, { channel: "Own phone", to: "07700 900123", message: "Come along on Friday", consent: undefined });
    expect(signal).toMatchObject({ channel: "Own phone", status: "Prepared", recipient: "+447700900123" });
    expect(signal.ownPhone!.text).toBe(`Come along on Friday\n\nJoin me on Select Exposure: https://members.example.com/join/${signal.joinToken}`);
    expect(signal.ownPhone!.smsUri).toBe(`sms:+447700900123?&body=${encodeURIComponent(signal.ownPhone!.text)}`);
    expect(db.select().from(outbox).all()).toHaveLength(0);
    expect(db.$client.prepare("select count(*) as n from sms_daily_usage").get()).toEqual({ n: 0 });
  });

  it("still tells the member when someone joins through it", () => {
    const db = testDb();
    const member = makeMember(db);
    const signal = queueSignal(db, member, { channel: "Own phone", to: "", consent: undefined });
    expect(signal.ownPhone!.smsUri).toMatch(/^sms:\?&body=/);
    expect(markJoined(db, signal.joinToken, makeMember(db).id, TEST_ENV)).toBe(true);
    const note = db.$client.prepare("select text from notifications where member_id = ?").get(member.id) as { text: string };
    expect(note.text).toBe("The invitation you sent from your phone worked: someone has joined Select Exposure.");
  });
});
