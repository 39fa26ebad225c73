import { afterEach, describe, expect, it } from "vitest";
import { immediate } from "@/db/client";
import { accountMessages, outbox } from "@/db/schema";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { SANDBOX_POLICY } from "@/lib/outbox/policy";
import { suppress } from "@/lib/smoke-signals/suppression";
import { testDb } from "@/lib/testing/db";
import { fakePorts, fakeTwilio, makeMember, TEST_ENV } from "@/lib/testing/messaging";
import { AccountSmsRefused, queueAccountMail, queueAccountSms } from "./send";
import { EXPIRED_REASON } from "./sender";

const ENV = { ...TEST_ENV, mode: "sandbox" as const, twilio: { ...TEST_ENV.twilio, allowedCountries: ["GB"] } };
const running: Dispatcher[] = [];
afterEach(() => running.splice(0).forEach((d) => d.stop()));

describe("account messages (links and codes)", () => {
  it("are sent once through the outbox, unless they expired while they waited", async () => {
    const db = testDb();
    const member = makeMember(db);
    immediate(db, () => {
      queueAccountMail(db, { memberId: member.id, to: member.email, subject: "Your link", text: "Open it", kind: "email_verification", expiresAt: new Date(Date.now() + 60_000) });
      queueAccountMail(db, { memberId: member.id, to: member.email, subject: "Stale link", text: "Too late", kind: "password_reset", expiresAt: new Date(Date.now() - 1) });
      queueAccountSms(db, ENV, { memberId: member.id, to: "07700 900123", body: "Your code is 123456", kind: "phone_code", expiresAt: new Date(Date.now() + 60_000) });
    });
    const mails: string[] = [];
    const twilio = fakeTwilio();
    const d = new Dispatcher({ db, mps: 100, ports: fakePorts(twilio.port, async (m) => (mails.push(m.subject), { messageId: "<m@t>", response: "250", caught: true })), pollMs: 10, policy: SANDBOX_POLICY }).start();
    running.push(d);
    await d.drained();
    expect(mails).toEqual(["Your link"]);
    expect(twilio.sent.map((m) => [m.to, m.body])).toEqual([["+447700900123", "Your code is 123456"]]);
    expect(db.select().from(accountMessages).all().map((m) => [m.kind, m.state, m.reason])).toEqual([
      ["email_verification", "sent", null],
      ["password_reset", "failed", EXPIRED_REASON],
      ["phone_code", "sent", null],
    ]);
  });

  it("keep the platform's SMS rules: no text to a number that replied STOP or to a country not allowed; nothing queued or counted", () => {
    const db = testDb();
    const member = makeMember(db);
    suppress(db, "+447700900999", "STOP");
    const attempt = (to: string) => {
      try {
        immediate(db, () => queueAccountSms(db, ENV, { memberId: member.id, to, body: "code", kind: "phone_code" }));
      } catch (error) {
        return error as AccountSmsRefused;
      }
      throw new Error("expected a refusal");
    };
    expect(attempt("+447700900999")).toMatchObject({ code: "sms_stopped", status: 400 });
    expect(attempt("+998912345678")).toMatchObject({ code: "sms_not_allowed", message: expect.stringContaining("Uzbekistan") });
    const capped = { ...ENV, smsCaps: { daily: 0, perCountry: 0, countries: {} } };
    expect(() => immediate(db, () => queueAccountSms(db, capped, { memberId: member.id, to: "+447700900123", body: "code", kind: "phone_code" }))).toThrow(AccountSmsRefused);
    expect(db.select().from(outbox).all()).toEqual([]);
    expect(db.$client.prepare("select count(*) as n from sms_daily_usage").get()).toEqual({ n: 0 });
  });
});
