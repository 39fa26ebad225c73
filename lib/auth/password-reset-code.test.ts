// Password reset by a code texted to the verified number: the same answer (and about the same time) for every address,
// the code from the text with a new password ends every session and alerts, and an address without a code behind
// it is answered exactly as a wrong code would be. Own codes through the outbox, and Twilio Verify's over HTTP.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { notifications, outbox, profiles, twoFactor } from "@/db/schema";
import { AccountLimitReached } from "@/lib/account-links/errors";
import { checkCredentials, createMember } from "@/lib/accounts/members";
import { loadEnv } from "@/lib/env";
import { tempDir, testDb } from "@/lib/testing/db";
import { medianGapMs } from "@/lib/testing/timing";
import { servedEmulator } from "@/lib/testing/twilio";
import { listMessages } from "@/lib/twilio/emulator/store";
import { createTwilioVerify } from "@/lib/twilio/verify";
import { requestPasswordReset } from "./password-reset";
import { requestPasswordResetCode, resetCodeSentWords, resetPasswordWithCode } from "./password-reset-code";
import { createSession, isSessionLive } from "./sessions";

const BASE = loadEnv({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000" });
const ENV = { ...BASE, twilio: { ...BASE.twilio, allowedCountries: ["GB"] } };
const client = (n = 1) => ({ address: `198.51.100.${n}`, device: null });
let n = 0;
const number = () => `+447700900${String(++n).padStart(3, "0")}`;
const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");
const NEW = "a fresh long passphrase";

type Db = ReturnType<typeof testDb>;

async function member(db: Db, opts: { phone?: string } = {}) {
  const m = await createMember(db, { email: `rc-${randomBytes(3).toString("hex")}@example.com`, password: "correct horse battery" });
  if (opts.phone) db.update(profiles).set({ phone: opts.phone, phoneVerifiedAt: new Date() }).where(eq(profiles.memberId, m.id)).run();
  return m;
}

/** The code in the newest reset SMS queued to `to`. */
const queuedCode = (db: Db, to: string) => {
  const rows = db.select().from(outbox).where(eq(outbox.recipient, to)).all();
  return /to reset your password is (\d{6})\./.exec(rows.at(-1)?.body ?? "")?.[1] ?? null;
};
const sms = (db: Db) => db.select().from(outbox).where(eq(outbox.channel, "SMS")).all();
const mail = (db: Db) => db.select().from(outbox).where(eq(outbox.channel, "Email")).all();

describe("asking for a reset code", () => {
  it("answers the same words whether or not the address has an account with a verified number; only that number gets a text", async () => {
    const db = testDb();
    const phone = number();
    const withPhone = await member(db, { phone });
    const withoutPhone = await member(db);
    const asked = [withPhone.email, withoutPhone.email, "nobody@example.com"].map((email, i) => {
      return requestPasswordResetCode(db, ENV, null, { email }, client(i));
    });
    expect(sms(db)).toEqual([]);
    await Promise.all(asked.map((a) => a.send()));
    const answers = asked.map((a, i) => a.message.replace([withPhone.email, withoutPhone.email, "nobody@example.com"][i]!, "ADDRESS"));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toBe(
      "If an account uses ADDRESS and has a verified mobile number, we have texted a code to that number. It works for 10 minutes. No text after a minute? Ask for a link by email instead.",
    );
    expect(sms(db)).toMatchObject([{ recipient: phone, body: expect.stringMatching(/^Your Select Exposure code to reset your password is \d{6}\./) }]);
    expect(mail(db)).toEqual([]);
  });

  it("answers as fast either way (one recorded request; the text is sent after the answer)", async () => {
    const db = testDb();
    const m = await member(db, { phone: number() });
    const env = { ...ENV, accountLinks: { ...ENV.accountLinks, resetsPerEmailPerHour: 1000, resetsPerIpPerHour: 1000 }, phoneCodes: { ...ENV.phoneCodes, resendMs: 0, perNumberPerHour: 1000, perAccountPerDay: 1000 } };
    const sends: (() => Promise<void>)[] = [];
    const ask = (email: string, i: number) => sends.push(requestPasswordResetCode(db, env, null, { email }, client(i), Date.now() + i).send);
    expect(await medianGapMs((i) => ask(m.email, i), (i) => ask(`nobody-${i}@example.com`, i))).toBeLessThan(5);
    for (const send of sends) await send();
    expect(sms(db).length).toBe(40);
  });

  it("waits 30 s before another code for the same address and counts links and codes together, alike for every address", async () => {
    const db = testDb();
    const m = await member(db, { phone: number() });
    for (const email of [m.email, "ghost@example.com"]) {
      const t0 = Date.now();
      await requestPasswordResetCode(db, ENV, null, { email }, client(1), t0).send();
      const soon = (() => {
        try {
          requestPasswordResetCode(db, ENV, null, { email }, client(1), t0 + 10_000);
        } catch (error) {
          return error;
        }
      })();
      expect(soon).toBeInstanceOf(AccountLimitReached);
      expect(soon).toMatchObject({ message: "We sent a code 10 seconds ago. You can ask for a new one in 20 seconds.", retryAfterSeconds: 20 });
      requestPasswordReset(db, ENV, { email }, client(2), t0 + 20_000);
      await requestPasswordResetCode(db, ENV, null, { email }, client(3), t0 + 40_000).send();
      expect(() => requestPasswordResetCode(db, ENV, null, { email }, client(4), t0 + 80_000)).toThrow(
        `We have sent as many password resets for ${email} as we allow in an hour (links and codes together). Use the latest code or link, or try again in 59 minutes.`,
      );
    }
    expect(sms(db)).toHaveLength(2);
    expect(() => requestPasswordResetCode(db, ENV, null, { email: "not an address" }, client())).toThrow(expect.objectContaining({ fields: { email: expect.any(String) } }));
  });
});

describe("resetting with the code", () => {
  it("a wrong code first (tries left), then the right one: the new password, every session ended, the alert; the code is spent", async () => {
    const db = testDb();
    const phone = number();
    const m = await member(db, { phone });
    const sessions = [createSession(db, m.id, { address: "198.51.100.1", userAgent: null }), createSession(db, m.id, { address: "198.51.100.2", userAgent: null })];
    await requestPasswordResetCode(db, ENV, null, { email: m.email }, client()).send();
    const code = queuedCode(db, phone)!;

    await expect(resetPasswordWithCode(db, ENV, null, { email: m.email, code, password: "short" }, client())).rejects.toMatchObject({ fields: { password: "Use at least 10 characters." } });
    await expect(resetPasswordWithCode(db, ENV, null, { email: m.email, code: "12ab", password: NEW }, client())).rejects.toMatchObject({ fields: { code: "Enter the 6-digit code from the text message." } });
    expect(await resetPasswordWithCode(db, ENV, null, { email: m.email, code: wrongFor(code), password: NEW }, client())).toEqual({
      ok: false,
      reason: "wrong",
      triesLeft: 4,
      message: "That code is not right. Check the latest text and try again: 4 tries left.",
    });
    expect(await checkCredentials(db, m.email, NEW)).toBeNull();

    const done = await resetPasswordWithCode(db, ENV, null, { email: m.email.toUpperCase(), code: `${code.slice(0, 3)} ${code.slice(3)}`, password: NEW }, client());
    expect(done).toEqual({ ok: true, newDevice: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    expect(await checkCredentials(db, m.email, NEW)).not.toBeNull();
    expect(sessions.map((s) => isSessionLive(db, s, m.id))).toEqual([false, false]);
    expect(db.select().from(notifications).where(eq(notifications.memberId, m.id)).all()).toMatchObject([{ event: "password_changed", text: "Your password was reset. Every device was signed out." }]);

    expect(await resetPasswordWithCode(db, ENV, null, { email: m.email, code, password: "another long passphrase" }, client())).toMatchObject({ ok: false, reason: "used" });
    expect(await checkCredentials(db, m.email, "another long passphrase")).toBeNull();
  });

  it("an address that got no code is answered as a wrong code would be, down to the last try; none asked: none to check", async () => {
    const db = testDb();
    const phone = number();
    const real = await member(db, { phone });
    const noPhone = await member(db);
    const ghost = "ghost@example.com";
    expect(await resetPasswordWithCode(db, ENV, null, { email: ghost, code: "123456", password: NEW }, client())).toEqual({
      ok: false,
      reason: "none",
      message: "There is no code to check yet. Ask for a new code.",
    });
    const t0 = Date.now();
    for (const email of [real.email, noPhone.email, ghost]) await requestPasswordResetCode(db, ENV, null, { email }, client(), t0).send();
    const code = queuedCode(db, phone)!;
    const answers = async (email: string) => {
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push(await resetPasswordWithCode(db, ENV, null, { email, code: wrongFor(code), password: NEW }, client(), t0 + 1000));
      return JSON.stringify(seen);
    };
    const realAnswers = await answers(real.email);
    expect(realAnswers).toContain("4 tries left");
    expect(realAnswers).toContain("that was the last try");
    expect(await answers(noPhone.email)).toBe(realAnswers);
    expect(await answers(ghost)).toBe(realAnswers);
    expect(await checkCredentials(db, noPhone.email, NEW)).toBeNull();
  });

  it("an expired code says so; a code for a number the member has since changed proves nothing", async () => {
    const db = testDb();
    const phone = number();
    const m = await member(db, { phone });
    const t0 = Date.now();
    await requestPasswordResetCode(db, ENV, null, { email: m.email }, client(), t0).send();
    expect(await resetPasswordWithCode(db, ENV, null, { email: m.email, code: queuedCode(db, phone)!, password: NEW }, client(), t0 + 11 * 60_000)).toMatchObject({
      reason: "expired",
      message: "That code has expired: codes work for 10 minutes. Ask for a new code.",
    });
    expect(await resetPasswordWithCode(db, ENV, null, { email: "ghost@example.com", code: "123456", password: NEW }, client(), t0 + 11 * 60_000)).toMatchObject({ reason: "none" });
    await requestPasswordResetCode(db, ENV, null, { email: "ghost@example.com" }, client(), t0).send();
    expect(await resetPasswordWithCode(db, ENV, null, { email: "ghost@example.com", code: "123456", password: NEW }, client(), t0 + 11 * 60_000)).toMatchObject({
      reason: "expired",
      message: "That code has expired: codes work for 10 minutes. Ask for a new code.",
    });

    await requestPasswordResetCode(db, ENV, null, { email: m.email }, client(), t0 + 12 * 60_000).send();
    const code = queuedCode(db, phone)!;
    db.update(profiles).set({ phone: number() }).where(eq(profiles.memberId, m.id)).run();
    expect(await resetPasswordWithCode(db, ENV, null, { email: m.email, code, password: NEW }, client(), t0 + 12 * 60_000)).toMatchObject({ ok: false, message: "That code no longer works. Ask for a new code." });
    expect(await checkCredentials(db, m.email, NEW)).toBeNull();
  });

  it("never resets an account with two-factor on: its phone is its second factor (same words, no text; a code sent before it was turned on proves nothing)", async () => {
    const db = testDb();
    const phone = number();
    const m = await member(db, { phone });
    db.insert(twoFactor).values({ memberId: m.id, totpSecret: "sealed", totpEnabledAt: new Date() }).run();
    const asked = requestPasswordResetCode(db, ENV, null, { email: m.email }, client());
    await asked.send();
    expect(asked.message).toBe(resetCodeSentWords(m.email, ENV, null));
    expect(sms(db)).toEqual([]);

    const other = await member(db, { phone: number() });
    const t0 = Date.now();
    await requestPasswordResetCode(db, ENV, null, { email: other.email }, client(), t0).send();
    const code = queuedCode(db, sms(db)[0]!.recipient)!;
    db.insert(twoFactor).values({ memberId: other.id, totpSecret: "sealed", totpEnabledAt: new Date() }).run();
    expect(await resetPasswordWithCode(db, ENV, null, { email: other.email, code, password: NEW }, client(), t0)).toMatchObject({ ok: false, message: "That code no longer works. Ask for a new code." });
    expect(await checkCredentials(db, other.email, NEW)).toBeNull();
  });

  it("a reset by email link ends a code on its way", async () => {
    const db = testDb();
    const phone = number();
    const m = await member(db, { phone });
    await requestPasswordResetCode(db, ENV, null, { email: m.email }, client()).send();
    const code = queuedCode(db, phone)!;
    requestPasswordReset(db, ENV, { email: m.email }, client());
    const token = /\/reset-password\/([A-Za-z0-9_-]{22})/.exec(mail(db)[0]!.body)![1]!;
    const { resetPasswordWithLink } = await import("./password-reset");
    await resetPasswordWithLink(db, ENV, token, NEW, client());
    expect(await resetPasswordWithCode(db, ENV, null, { email: m.email, code, password: "another long passphrase" }, client())).toMatchObject({ ok: false, message: "That code no longer works. Ask for a new code." });
  });
});

describe("resetting with a code through Twilio Verify (the emulator, over HTTP)", () => {
  const SERVICE = `VA${randomBytes(16).toString("hex")}`;
  let twilio: Awaited<ReturnType<typeof servedEmulator>> | undefined;
  afterAll(() => twilio?.close());

  it("Verify texts the code (nothing through our outbox) after the answer; the right code resets", async () => {
    const db = testDb();
    twilio = await servedEmulator(testDb(), { verify: { serviceSid: SERVICE, friendlyName: "Select Exposure" } });
    const verify = createTwilioVerify({ ...twilio.config, verifyServiceSid: SERVICE });
    const phone = number();
    const m = await member(db, { phone });
    const asked = requestPasswordResetCode(db, ENV, verify, { email: m.email }, client());
    expect(asked.message).toContain("It works for 10 minutes.");
    expect(listMessages(twilio.emulator.context.db, { accountSid: twilio.config.accountSid, to: phone, limit: 1 })).toEqual([]);
    await asked.send();
    expect(sms(db)).toEqual([]);
    const [texted] = listMessages(twilio.emulator.context.db, { accountSid: twilio.config.accountSid, to: phone, limit: 1 });
    const code = /code is: (\d{6})$/.exec(texted?.body ?? "")![1]!;
    expect(await resetPasswordWithCode(db, ENV, verify, { email: m.email, code: wrongFor(code), password: NEW }, client())).toMatchObject({ reason: "wrong", triesLeft: 4 });
    expect(await resetPasswordWithCode(db, ENV, verify, { email: m.email, code, password: NEW }, client())).toMatchObject({ ok: true });
    expect(await checkCredentials(db, m.email, NEW)).not.toBeNull();
  });
});
