import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { immediate } from "@/db/client";
import { accountMessages, members, notifications, outbox, profiles } from "@/db/schema";
import { createApiToken } from "@/lib/api-tokens/tokens";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { SANDBOX_POLICY } from "@/lib/outbox/policy";
import { suppress } from "@/lib/smoke-signals/suppression";
import { testDb } from "@/lib/testing/db";
import { fakePorts, fakeTwilio, makeMember, TEST_ENV } from "@/lib/testing/messaging";
import { MailError } from "@/lib/email/errors";
import { stop, unsubscribeLink } from "./unsubscribe";
import { keepOneChannel } from "./catalogue";
import { AlertChoicesRefused, alertChoices, NO_VERIFIED_PHONE, saveAlertChoices } from "./preferences";
import { ACCOUNT_ALERT, raiseAlert } from "./raise";

type Db = ReturnType<typeof testDb>;
const ENV = { ...TEST_ENV, mode: "sandbox" as const, twilio: { ...TEST_ENV.twilio, allowedCountries: ["GB"] } };
const PHONE = "+447700900555";

const verifyPhone = (db: Db, memberId: string, phone = PHONE) =>
  db.update(profiles).set({ phone, phoneVerifiedAt: new Date() }).where(eq(profiles.memberId, memberId)).run();
const queued = (db: Db) => db.select().from(outbox).where(eq(outbox.purpose, ACCOUNT_ALERT)).all();
const notes = (db: Db, memberId: string) => db.select().from(notifications).where(eq(notifications.memberId, memberId)).all();

const running: Dispatcher[] = [];
afterEach(() => running.splice(0).forEach((d) => d.stop()));
function drain(db: Db, mail: ConstructorParameters<typeof Dispatcher>[0]["ports"]["mail"] = async () => ({ messageId: "<m@test>", response: "250 ok", caught: true })) {
  const twilio = fakeTwilio();
  const d = new Dispatcher({ db, mps: 100, ports: fakePorts(twilio.port, mail), pollMs: 10, policy: SANDBOX_POLICY }).start();
  running.push(d);
  return d.drained().then(() => twilio);
}

describe("raising an account alert", () => {
  it("by default a security alert is shown in the app and emailed to the member, with a way to manage alerts but no unsubscribe", () => {
    const db = testDb();
    const member = makeMember(db);
    const raised = immediate(db, () => raiseAlert(db, member.id, "password_changed", { how: "changed" }, ENV));
    expect(raised).toMatchObject({ inApp: true, email: true, sms: false, note: null });
    expect(notes(db, member.id)).toMatchObject([{ event: "password_changed", inApp: true, text: "Your password was changed. Your other devices were signed out." }]);
    const [mail] = queued(db);
    expect(mail).toMatchObject({ channel: "Email", recipient: member.email, subject: "Your Select Exposure password was changed", fairnessKey: `account:${member.id}` });
    expect(mail!.body).toContain("https://members.example.com/profile/preferences");
    expect(mail!.body).not.toContain("/unsubscribe/");
  });

  it("tells the old address when the email address changes", () => {
    const db = testDb();
    const member = makeMember(db);
    immediate(db, () => raiseAlert(db, member.id, "email_changed", { oldEmail: "old@example.com", newEmail: member.email }, ENV));
    expect(queued(db)).toMatchObject([{ channel: "Email", recipient: "old@example.com", body: expect.stringContaining(`to ${member.email}`) }]);
  });

  it("is written with the caller's change or not at all", () => {
    const db = testDb();
    const member = makeMember(db);
    expect(() =>
      immediate(db, () => {
        raiseAlert(db, member.id, "api_token_created", { name: "script" }, ENV);
        throw new Error("the flow failed after raising");
      }),
    ).toThrow("the flow failed");
    expect(notes(db, member.id)).toEqual([]);
    expect(queued(db)).toEqual([]);
    expect(db.select().from(accountMessages).all()).toEqual([]);
  });

  it("texts only a verified number: SMS cannot even be chosen without one", () => {
    const db = testDb();
    const member = makeMember(db);
    db.update(profiles).set({ phone: PHONE }).where(eq(profiles.memberId, member.id)).run(); // typed, never verified
    const refused = (() => {
      try {
        saveAlertChoices(db, member.id, { new_device_sign_in: { inApp: true, email: false, sms: true } });
      } catch (error) {
        return error as AlertChoicesRefused;
      }
    })();
    expect(refused).toBeInstanceOf(AlertChoicesRefused);
    expect(refused!.fields).toEqual({ new_device_sign_in: NO_VERIFIED_PHONE });
    expect(alertChoices(db, member.id).new_device_sign_in).toEqual({ inApp: true, email: true, sms: false });

    verifyPhone(db, member.id);
    saveAlertChoices(db, member.id, { new_device_sign_in: { inApp: false, email: false, sms: true } });
    const raised = immediate(db, () => raiseAlert(db, member.id, "new_device_sign_in", { browser: "Firefox 128 on Windows", address: "203.0.113.9" }, ENV));
    expect(raised).toMatchObject({ inApp: false, email: false, sms: true });
    expect(queued(db)).toMatchObject([{ channel: "SMS", recipient: PHONE, body: expect.stringMatching(/^Select Exposure: new sign-in to your account from Firefox 128 on Windows\. .* Reply STOP to stop texts\.$/) }]);
    expect(db.$client.prepare("select count from sms_daily_usage").get()).toEqual({ count: 1 });
  });

  it("never drops a security alert: when no chosen channel can carry it, it is shown in the app with the reason", () => {
    const db = testDb();
    const member = makeMember(db);
    verifyPhone(db, member.id);
    saveAlertChoices(db, member.id, { password_changed: { inApp: false, email: false, sms: true } });
    suppress(db, PHONE, "STOP");
    const raised = immediate(db, () => raiseAlert(db, member.id, "password_changed", { how: "reset" }, ENV));
    expect(raised).toMatchObject({ inApp: true, email: false, sms: false, note: expect.stringContaining("replied STOP") });
    expect(queued(db)).toEqual([]);
    expect(notes(db, member.id)).toMatchObject([{ inApp: true, note: expect.stringMatching(/^We could not text you: .*replied STOP/) }]);
  });

  it("texts at most ALERT_SMS_PER_MEMBER_PER_DAY alerts a day, and not to a country no longer allowed; the app says why", () => {
    const db = testDb();
    const member = makeMember(db);
    verifyPhone(db, member.id);
    saveAlertChoices(db, member.id, { api_token_created: { inApp: true, email: false, sms: true } });
    const env = { ...ENV, alerts: { smsPerMemberPerDay: 2 } };
    const raise = () => immediate(db, () => raiseAlert(db, member.id, "api_token_created", { name: "x" }, env));
    expect([raise().sms, raise().sms, raise().sms]).toEqual([true, true, false]);
    expect(notes(db, member.id)[2]!.note).toBe("We could not text you: we have sent you as many alert texts today as we allow.");
    const abroad = immediate(db, () => raiseAlert(db, member.id, "api_token_created", { name: "y" }, { ...ENV, twilio: { ...ENV.twilio, allowedCountries: ["IE"] } }));
    expect(abroad).toMatchObject({ sms: false, inApp: true, note: "We could not text you: We do not send SMS to United Kingdom numbers. Allowed: Ireland." });
  });

  it("an activity alert can be switched off everywhere; a security alert cannot, and saving refuses it whole", () => {
    const db = testDb();
    const member = makeMember(db);
    saveAlertChoices(db, member.id, { invitee_joined: { inApp: false, email: false, sms: false } });
    immediate(db, () => raiseAlert(db, member.id, "invitee_joined", { text: "Your smoke signal worked." }, ENV));
    expect(queued(db)).toEqual([]);
    expect(notes(db, member.id)).toMatchObject([{ inApp: false }]);

    expect(() =>
      saveAlertChoices(db, member.id, { invitee_joined: { inApp: true, email: true, sms: false }, password_changed: { inApp: false, email: false, sms: false } }),
    ).toThrow(keepOneChannel("password_changed"));
    expect(alertChoices(db, member.id).invitee_joined).toEqual({ inApp: false, email: false, sms: false });
  });

  it("an activity alert's email carries its own one-click unsubscribe, which switches that email off (not the invitation list), even for one already queued", async () => {
    const db = testDb();
    const member = makeMember(db);
    saveAlertChoices(db, member.id, { invitee_joined: { inApp: true, email: true, sms: false } });
    immediate(db, () => raiseAlert(db, member.id, "invitee_joined", { text: "Your smoke signal worked." }, ENV));
    immediate(db, () => raiseAlert(db, member.id, "invitee_joined", { text: "Another one worked." }, ENV));
    const [first] = queued(db);
    const token = /\/unsubscribe\/([A-Za-z0-9_-]{22})\n$/.exec(first!.body)![1]!;
    const link = unsubscribeLink(db, token)!;
    expect(link).toMatchObject({ kind: "alert", memberId: member.id, event: "invitee_joined" });
    expect(stop(db, link, "one-click")).toBe(true);
    expect(alertChoices(db, member.id).invitee_joined).toEqual({ inApp: true, email: false, sms: false });
    expect(db.$client.prepare("select count(*) as n from email_suppressions").get()).toEqual({ n: 0 });

    const sent: string[] = [];
    await drain(db, async (m) => {
      sent.push(m.to);
      return { messageId: "<m@test>", response: "250 ok", caught: true };
    });
    expect(sent).toEqual([]);
    expect(db.select().from(accountMessages).all().map((m) => [m.state, m.reason])).toEqual([
      ["failed", "You switched these emails off."],
      ["failed", "You switched these emails off."],
    ]);
  });

  it("when a security alert's only channel fails for good, it is shown in the app with the reason", async () => {
    const db = testDb();
    const member = makeMember(db);
    saveAlertChoices(db, member.id, { api_token_created: { inApp: false, email: true, sms: false } });
    createApiToken(db, member.id, { name: "deploy script", consent: true });
    expect(notes(db, member.id)).toMatchObject([{ inApp: false, text: "A new API token “deploy script” was created for your account." }]);
    await drain(db, async () => {
      throw new MailError("550 no such user", false, "The recipient's mail server refused this address.");
    });
    expect(notes(db, member.id)).toMatchObject([{ inApp: true, note: "We could not email you this alert: The recipient's mail server refused this address." }]);
    expect(db.select().from(accountMessages).get()).toMatchObject({ state: "failed", kind: "api_token_created" });
  });

  it("sends each alert once, with the alert's words, and marks it sent", async () => {
    const db = testDb();
    const member = makeMember(db);
    verifyPhone(db, member.id);
    saveAlertChoices(db, member.id, { password_changed: { inApp: true, email: true, sms: true } });
    immediate(db, () => raiseAlert(db, member.id, "password_changed", { how: "changed" }, ENV));
    const mails: string[] = [];
    const twilio = await drain(db, async (m) => {
      mails.push(`${m.to}: ${m.subject}`);
      return { messageId: "<m@test>", response: "250 ok", caught: true };
    });
    expect(mails).toEqual([`${member.email}: Your Select Exposure password was changed`]);
    expect(twilio.sent.map((s) => s.to)).toEqual([PHONE]);
    expect(db.select().from(accountMessages).all().map((m) => m.state).sort()).toEqual(["sent", "sent"]);
    expect(db.select({ n: members.id }).from(members).all()).toHaveLength(1);
  });
});
