// Verifying a mobile number, both ways a code can go: our own code through the outbox, and Twilio Verify's (the
// emulator over real HTTP, through the official SDK). Limits, wrong/expired/used codes, one account per number, the
// confirmation a change needs, and what removing the number switches off.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { alertPreferences, notifications, outbox } from "@/db/schema";
import { AccountLimitReached } from "@/lib/account-links/errors";
import { AccountSmsRefused } from "@/lib/account-messages/send";
import { createMember, verifiedPhone } from "@/lib/accounts/members";
import { alertChoices, saveAlertChoices } from "@/lib/alerts/preferences";
import type { Confirmed } from "@/lib/auth/confirm";
import { loadEnv } from "@/lib/env";
import { sendPhoneCode } from "@/lib/phone-codes/codes";
import { tempDir, testDb } from "@/lib/testing/db";
import { servedEmulator } from "@/lib/testing/twilio";
import { listMessages } from "@/lib/twilio/emulator/store";
import { createTwilioVerify } from "@/lib/twilio/verify";
import { beginTotpSetup, confirmTotpSetup, setSmsSignIn, twoFactorState } from "@/lib/two-factor/factors";
import { totpCode } from "@/lib/two-factor/totp";
import { confirmPhoneVerification, NUMBER_TAKEN, phoneStatus, removePhone, startPhoneVerification } from "./phones";

const BASE = loadEnv({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000" });
const ENV = { ...BASE, twilio: { ...BASE.twilio, allowedCountries: ["GB"] } };
let n = 0;
const number = () => `+447700900${String(++n).padStart(3, "0")}`;
const confirmedFor = (memberId: string) => ({ memberId, how: "password" }) as Confirmed;

async function setup() {
  const db = testDb();
  const member = await createMember(db, { email: `pv-${randomBytes(3).toString("hex")}@example.com`, password: "correct horse battery" });
  return { db, member };
}

/** The code in the newest SMS queued to `to` (own codes go through the outbox). */
const queuedCode = (db: ReturnType<typeof testDb>, to: string) => {
  const rows = db.select().from(outbox).where(eq(outbox.recipient, to)).all();
  return /is (\d{6})\./.exec(rows.at(-1)?.body ?? "")?.[1] ?? null;
};
const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");

describe("verifying a mobile number with our own code", () => {
  it("texts a code through the outbox (hashed here); the right code makes it the verified number and raises the alert", async () => {
    const { db, member } = await setup();
    const phone = number();
    const sent = await startPhoneVerification(db, ENV, null, member, { phone: `0${phone.slice(3)}` }, null);
    expect(sent).toMatchObject({ phone, via: "sms" });
    const [sms] = db.select().from(outbox).where(eq(outbox.recipient, phone)).all();
    expect(sms!.body).toMatch(/^Your Select Exposure code to verify your mobile number is \d{6}\. It works for 10 minutes\. .*\n\n@localhost:3000 #\d{6}$/);
    const code = queuedCode(db, phone)!;
    expect(db.$client.prepare("select code_hash from phone_codes").get()).not.toMatchObject({ code_hash: expect.stringContaining(code) });
    expect(phoneStatus(db, ENV, member.id).pending).toMatchObject({ phone });
    expect(await confirmPhoneVerification(db, ENV, null, member, wrongFor(code))).toMatchObject({ ok: false, reason: "wrong", triesLeft: 4, message: expect.stringContaining("4 tries left") });
    expect(await confirmPhoneVerification(db, ENV, null, member, `${code.slice(0, 3)} ${code.slice(3)}`)).toEqual({ ok: true, phone });
    expect(verifiedPhone(db, member.id)).toBe(phone);
    expect(await confirmPhoneVerification(db, ENV, null, member, code)).toMatchObject({ ok: false, reason: "used", message: expect.stringContaining("already been used") });
    expect(db.select().from(notifications).where(eq(notifications.memberId, member.id)).all().map((x) => x.text)).toEqual([
      expect.stringMatching(/^Your account's mobile number was added \+44\*+\d{3}\.$/),
    ]);
  });

  it("kills a code after 5 wrong tries and says when a new one can be asked for; an expired code says so", async () => {
    const { db, member } = await setup();
    const phone = number();
    await startPhoneVerification(db, ENV, null, member, { phone }, null);
    const code = queuedCode(db, phone)!;
    for (let i = 4; i >= 1; i--) expect(await confirmPhoneVerification(db, ENV, null, member, wrongFor(code))).toMatchObject({ triesLeft: i });
    expect(await confirmPhoneVerification(db, ENV, null, member, wrongFor(code))).toMatchObject({ reason: "tries", message: expect.stringMatching(/last try.*ask for a new code in \d+ seconds/) });
    expect(await confirmPhoneVerification(db, ENV, null, member, code)).toMatchObject({ reason: "tries" });
    const later = Date.now() + 31_000;
    await sendPhoneCode(db, ENV, null, { memberId: member.id, purpose: "phone_verification", phone }, later);
    db.$client.prepare("update phone_codes set expires_at = ? where ended_at is null").run(Date.now() - 1);
    expect(await confirmPhoneVerification(db, ENV, null, member, queuedCode(db, phone)!)).toMatchObject({ reason: "expired", message: expect.stringContaining("codes work for 10 minutes") });
  });

  it("limits codes: a resend only after 30 s, 5 per number per hour, 10 per account per day (429 with when)", async () => {
    const { db, member } = await setup();
    const phone = number();
    const t0 = Date.now();
    const send = (at: number, to = phone, memberId = member.id) => sendPhoneCode(db, ENV, null, { memberId, purpose: "phone_verification", phone: to }, at);
    await send(t0);
    await expect(send(t0 + 10_000)).rejects.toMatchObject({ retryAfterSeconds: 20, message: expect.stringContaining("new one in 20 seconds") });
    for (let i = 1; i < 5; i++) await send(t0 + i * 31_000);
    const hourly = await send(t0 + 5 * 31_000).catch((e: unknown) => e as AccountLimitReached);
    expect(hourly).toBeInstanceOf(AccountLimitReached);
    expect(hourly).toMatchObject({ message: expect.stringContaining("as many codes to this number as we allow in an hour") });
    for (let i = 5; i < 10; i++) await send(t0 + i * 31_000, number());
    await expect(send(t0 + 11 * 31_000, number())).rejects.toMatchObject({ message: expect.stringContaining("as many codes for your account as we allow in a day") });
  });

  it("keeps password-reset codes, which anyone knowing the email can ask for, from using up the member's own allowance", async () => {
    const { db, member } = await setup();
    const phone = number();
    const t0 = Date.now();
    const send = (purpose: "password_reset" | "phone_verification" | "sign_in", at: number) => sendPhoneCode(db, ENV, null, { memberId: member.id, purpose, phone }, at);
    // A stranger asks for reset codes to the member's number until its hourly allowance for resets is spent...
    for (let i = 0; i < 5; i++) await send("password_reset", t0 + i * 31_000);
    await expect(send("password_reset", t0 + 5 * 31_000)).rejects.toMatchObject({ message: expect.stringContaining("as many codes to this number as we allow in an hour") });
    // ...and the member can still verify the number and sign in with a texted code: those share an allowance of their own.
    await send("phone_verification", t0 + 6 * 31_000);
    for (let i = 7; i < 11; i++) await send("sign_in", t0 + i * 31_000);
    await expect(send("sign_in", t0 + 11 * 31_000)).rejects.toMatchObject({ message: expect.stringContaining("as many codes to this number as we allow in an hour") });
    expect(db.select().from(outbox).where(eq(outbox.recipient, phone)).all()).toHaveLength(10);
  });

  it("refuses a country outside SMS_ALLOWED_COUNTRIES and a landline, sending nothing", async () => {
    const { db, member } = await setup();
    await expect(startPhoneVerification(db, ENV, null, member, { phone: "+33612345678" }, null)).rejects.toBeInstanceOf(AccountSmsRefused);
    await expect(startPhoneVerification(db, ENV, null, member, { phone: "020 7946 0000" }, null)).rejects.toMatchObject({ message: expect.stringContaining("landline") });
    expect(db.select().from(outbox).all()).toEqual([]);
  });

  it("refuses a number another account verified, without saying which, and only to whoever holds the number", async () => {
    const { db, member } = await setup();
    const other = await createMember(db, { email: `other-${randomBytes(3).toString("hex")}@example.com`, password: "correct horse battery" });
    const phone = number();
    await startPhoneVerification(db, ENV, null, other, { phone }, null);
    await confirmPhoneVerification(db, ENV, null, other, queuedCode(db, phone)!);
    // The code is sent (the same answer as for any number); the refusal comes once the code proves the phone.
    await startPhoneVerification(db, { ...ENV, phoneCodes: { ...ENV.phoneCodes, resendMs: 0 } }, null, member, { phone }, null);
    const refused = await confirmPhoneVerification(db, ENV, null, member, queuedCode(db, phone)!);
    expect(refused).toEqual({ ok: false, reason: "taken", message: NUMBER_TAKEN });
    expect(refused.ok ? "" : refused.message).not.toContain(other.email);
    expect(verifiedPhone(db, member.id)).toBeNull();
  });

  it("a change needs confirmation; removing stops SMS alerts and SMS sign-in codes and raises the alert", async () => {
    const { db, member } = await setup();
    const phone = number();
    await startPhoneVerification(db, ENV, null, member, { phone }, null);
    await confirmPhoneVerification(db, ENV, null, member, queuedCode(db, phone)!);
    await expect(startPhoneVerification(db, ENV, null, member, { phone: number() }, null)).rejects.toMatchObject({ code: "confirmation_required" });
    saveAlertChoices(db, member.id, { password_changed: { inApp: false, email: false, sms: true }, invitee_joined: { inApp: false, email: false, sms: true } });
    const setupTotp = beginTotpSetup(db, ENV, member);
    confirmTotpSetup(db, ENV, member.id, totpCode(setupTotp.secret));
    expect(setSmsSignIn(db, member.id, true)).toEqual({ ok: true });
    await expect(removePhone(db, null, member, null)).rejects.toMatchObject({ code: "confirmation_required" });
    expect(await removePhone(db, null, member, confirmedFor(member.id))).toBe(true);
    expect(phoneStatus(db, ENV, member.id).verified).toBeNull();
    const choices = alertChoices(db, member.id);
    expect(choices.password_changed).toEqual({ inApp: true, email: false, sms: false });
    expect(choices.invitee_joined).toEqual({ inApp: false, email: false, sms: false });
    expect(twoFactorState(db, member.id)).toMatchObject({ on: true, sms: false, smsChosen: false });
    expect(db.select().from(alertPreferences).where(eq(alertPreferences.memberId, member.id)).all().some((p) => p.sms)).toBe(false);
    expect(db.select().from(notifications).where(eq(notifications.memberId, member.id)).all().map((x) => x.text)).toContain(`Your account's mobile number was removed +44*******${phone.slice(-3)}.`);
  });
});

describe("verifying a mobile number through Twilio Verify (the emulator, over HTTP)", () => {
  const SERVICE = `VA${randomBytes(16).toString("hex")}`;
  let twilio: Awaited<ReturnType<typeof servedEmulator>>;
  afterAll(() => twilio?.close());
  const texted = (to: string) => {
    const [m] = listMessages(twilio.emulator.context.db, { accountSid: twilio.config.accountSid, to, limit: 1 });
    return /code is: (\d{6})$/.exec(m?.body ?? "")?.[1] ?? null;
  };

  it("Verify sends and checks the code; nothing goes through our outbox; wrong codes count; a resend is the same code", async () => {
    const { db, member } = await setup();
    twilio = await servedEmulator(testDb(), { verify: { serviceSid: SERVICE, friendlyName: "Select Exposure" } });
    const verify = createTwilioVerify({ ...twilio.config, verifyServiceSid: SERVICE });
    const phone = number();
    const env = { ...ENV, phoneCodes: { ...ENV.phoneCodes, resendMs: 0 } };
    const sent = await startPhoneVerification(db, env, verify, member, { phone }, null);
    expect(sent).toMatchObject({ via: "verify", phone });
    expect(db.select().from(outbox).all()).toEqual([]);
    const code = texted(phone)!;
    expect(await confirmPhoneVerification(db, env, verify, member, wrongFor(code))).toMatchObject({ reason: "wrong", triesLeft: 4 });
    await startPhoneVerification(db, env, verify, member, { phone }, null);
    expect(texted(phone)).toBe(code);
    expect(await confirmPhoneVerification(db, env, verify, member, code)).toEqual({ ok: true, phone });
    expect(verifiedPhone(db, member.id)).toBe(phone);
    // Approved at Twilio: the code cannot be used again.
    expect(await confirmPhoneVerification(db, env, verify, member, code)).toMatchObject({ ok: false, reason: "used" });
  });

  it("Verify's own refusals come back in the member's words (max checks: when to ask again)", async () => {
    const { db, member } = await setup();
    const verify = createTwilioVerify({ ...twilio.config, verifyServiceSid: SERVICE });
    const phone = number();
    await startPhoneVerification(db, ENV, verify, member, { phone }, null);
    const code = texted(phone)!;
    for (let i = 0; i < 4; i++) await confirmPhoneVerification(db, ENV, verify, member, wrongFor(code));
    expect(await confirmPhoneVerification(db, ENV, verify, member, wrongFor(code))).toMatchObject({ reason: "tries", message: expect.stringMatching(/new code in (\d+ minutes|\d+ seconds)/) });
    const again = await startPhoneVerification(db, { ...ENV, phoneCodes: { ...ENV.phoneCodes, resendMs: 0 } }, verify, member, { phone }, null).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AccountLimitReached);
    expect(again).toMatchObject({ message: expect.stringContaining("Too many wrong codes"), retryAfterSeconds: expect.any(Number) });
    expect((again as AccountLimitReached).retryAfterSeconds).toBeGreaterThan(500);
  });
});
