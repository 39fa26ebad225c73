import { describe, expect, it } from "vitest";
import { outbox, smokeSignals } from "@/db/schema";
import { testDb } from "@/lib/testing/db";
import { makeMember, queueSignal, refusalOf, TEST_ENV } from "@/lib/testing/messaging";
import { handleInbound } from "./inbound";
import { findInvitation } from "./join";
import { sendSchema } from "./send";


describe("sending a smoke signal", () => {
  it("accepts the seed's body shape: channel in any case, optional sender, no consent field", () => {
    const parsed = sendSchema.parse({ to: "+447700900123", channel: "sms", message: "hi", sender: "Ana" });
    expect(parsed.channel).toBe("SMS");
    expect(sendSchema.parse({ to: "a@b.co", channel: "EMAIL", message: "hi" }).channel).toBe("Email");
    expect(sendSchema.safeParse({ to: "a@b.co", channel: "pigeon", message: "hi" }).success).toBe(false);
  });

  it("refuses a country code no one uses, naming the field, instead of blaming the number", () => {
    const bad = sendSchema.safeParse({ to: "0612345678", channel: "sms", message: "hi", country: "XX" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["country"], message: expect.stringContaining("do not know that country") });
    expect(sendSchema.parse({ to: "0612345678", channel: "sms", message: "hi", country: "fr" }).country).toBe("FR");
  });

  it("a blank sender name falls back to the member's screen name on the join page, never an empty name", () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), sendSchema.parse({ to: "+447700900123", channel: "sms", message: "hi", sender: "   ", consent: true }));
    expect(signal.senderName).toBeNull();
    expect(findInvitation(db, signal.joinToken)?.senderLabel).not.toBe("");
  });

  it("writes the signal, its timeline and its outbox message together, with the number in E.164", () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { to: "07700 900123" });
    expect(signal).toMatchObject({ recipient: "+447700900123", status: "Pending", channel: "SMS", consent: "ui" });
    const [queued] = db.select().from(outbox).all();
    // The outbox row says what it is for and whose backlog it joins, so its outcomes reach this signal.
    expect(queued).toMatchObject({ recipient: "+447700900123", state: "queued", purpose: "smoke_signal", ownerId: signal.id, fairnessKey: `member:${signal.senderId}` });
    expect(queued!.body).toContain(`https://members.example.com/join/${signal.joinToken}`);
  });

  it("refuses without consent unless the caller's API token recorded it", () => {
    const db = testDb();
    const member = makeMember(db);
    expect(refusalOf(() => queueSignal(db, member, { consent: undefined })).code).toBe("consent_required");
    expect(refusalOf(() => queueSignal(db, member, { consent: false })).status).toBe(400);
    expect(db.select().from(smokeSignals).all()).toHaveLength(0);
  });

  it("explains a bad number in words, per country, and changes nothing", () => {
    const db = testDb();
    const e = refusalOf(() => queueSignal(db, makeMember(db), { to: "12345" }));
    expect(e).toMatchObject({ status: 400, code: "invalid_phone" });
    expect(e.message).toMatch(/not a valid mobile number for United Kingdom/);
    expect(db.select().from(outbox).all()).toHaveLength(0);
  });

  it("refuses numbers outside SMS_ALLOWED_COUNTRIES", () => {
    const db = testDb();
    const env = { ...TEST_ENV, twilio: { ...TEST_ENV.twilio, allowedCountries: ["GB"] } };
    const e = refusalOf(() => queueSignal(db, makeMember(db), { to: "+33612345678" }, env));
    expect(e).toMatchObject({ status: 400, code: "country_not_allowed" });
    expect(e.message).toMatch(/France/);
  });

  it("refuses an SMS longer than 1600 characters with the join link, saying how much fits", () => {
    const db = testDb();
    const e = refusalOf(() => queueSignal(db, makeMember(db), { message: "x".repeat(1590) }));
    expect(e.code).toBe("message_too_long");
    expect(e.message).toMatch(/at most \d+ characters fit/);
  });

  it("refuses a number that replied STOP before Twilio is ever involved, and allows it again after START", () => {
    const db = testDb();
    const member = makeMember(db);
    handleInbound(db, { from: "+447700900123", body: " stop ", keyword: { type: "STOP", word: "STOP" } });
    const e = refusalOf(() => queueSignal(db, member));
    expect(e).toMatchObject({ status: 400, code: "recipient_opted_out" });
    expect(db.select().from(outbox).all()).toHaveLength(0);
    handleInbound(db, { from: "+447700900123", body: "START", keyword: { type: "START", word: "START" } });
    expect(queueSignal(db, member).status).toBe("Pending");
  });

  it("enforces per-member, per-recipient and per-IP daily limits with a Retry-After", () => {
    const db = testDb();
    const env = { ...TEST_ENV, limits: { perMemberPerDay: 3, perRecipientPerDay: 2, perIpPerDay: 4 } };
    const a = makeMember(db);
    const b = makeMember(db);
    queueSignal(db, a, { to: "+447700900001" }, env);
    queueSignal(db, a, { to: "+447700900001" }, env);
    const perRecipient = refusalOf(() => queueSignal(db, b, { to: "+447700900001" }, env));
    expect(perRecipient).toMatchObject({ status: 429, code: "recipient_daily_limit" });
    expect(perRecipient.retryAfterSeconds).toBeGreaterThan(23 * 3600);
    queueSignal(db, a, { to: "+447700900002" }, env);
    expect(refusalOf(() => queueSignal(db, a, { to: "+447700900003" }, env)).code).toBe("member_daily_limit");
    queueSignal(db, b, { to: "+447700900004" }, env);
    expect(refusalOf(() => queueSignal(db, b, { to: "+447700900005" }, env)).code).toBe("ip_daily_limit");
    expect(db.select().from(smokeSignals).all()).toHaveLength(4);
  });

  it("validates email recipients and queues an email with the join link", () => {
    const db = testDb();
    const member = makeMember(db);
    expect(refusalOf(() => queueSignal(db, member, { channel: "Email", to: "not-an-email" })).code).toBe("invalid_email");
    const s = queueSignal(db, member, { channel: "Email", to: "Friend@Example.com" });
    expect(s.recipient).toBe("friend@example.com");
    const [mail] = db.select().from(outbox).all();
    expect(mail).toMatchObject({ channel: "Email", subject: "Ana invites you to Select Exposure" });
    expect(mail!.html).toContain(`/join/${s.joinToken}`);
  });
});
