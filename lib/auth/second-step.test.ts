// Texting a sign-in's code: only for an open challenge, only when SMS codes are on for the account, and then to the
// member's verified number, bound to that sign-in.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outbox, phoneCodes, profiles } from "@/db/schema";
import { createMember } from "@/lib/accounts/members";
import { loadEnv } from "@/lib/env";
import { tempDir, testDb } from "@/lib/testing/db";
import { beginTotpSetup, confirmTotpSetup, setSmsSignIn } from "@/lib/two-factor/factors";
import { totpCode } from "@/lib/two-factor/totp";
import { afterPassword, sendSignInCode } from "./second-step";

const ENV = loadEnv({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000" });

async function challenged(sms: boolean) {
  const db = testDb();
  const member = await createMember(db, { email: `ss-${randomBytes(3).toString("hex")}@example.com`, password: "correct horse battery" });
  const setup = beginTotpSetup(db, ENV, member);
  const enabled = confirmTotpSetup(db, ENV, member.id, totpCode(setup.secret, Date.now() - 30_000));
  if (!enabled.ok) throw new Error(enabled.message);
  const phone = "+447700900123";
  db.update(profiles).set({ phone, phoneVerifiedAt: new Date() }).where(eq(profiles.memberId, member.id)).run();
  if (sms) expect(setSmsSignIn(db, member.id, true)).toEqual({ ok: true });
  const step = afterPassword(db, ENV, member, { address: "203.0.113.9", device: null, userAgent: null });
  if (!step.needed) throw new Error("two-factor should be needed");
  return { db, member, phone, token: step.token };
}

describe("sendSignInCode", () => {
  it("without an open challenge says the sign-in has expired and sends nothing", async () => {
    const { db, phone } = await challenged(true);
    expect(await sendSignInCode(db, ENV, null, null)).toEqual({ ok: false, expired: true, message: expect.stringContaining("has expired") });
    expect(await sendSignInCode(db, ENV, null, "not-a-token")).toMatchObject({ ok: false, expired: true });
    expect(db.select().from(outbox).where(eq(outbox.recipient, phone)).all()).toEqual([]);
  });

  it("refuses when SMS codes are off for the account", async () => {
    const { db, phone, token } = await challenged(false);
    expect(await sendSignInCode(db, ENV, null, token)).toEqual({ ok: false, expired: false, message: expect.stringContaining("SMS codes are not on") });
    expect(db.select().from(outbox).where(eq(outbox.recipient, phone)).all()).toEqual([]);
  });

  it("texts a sign-in code to the verified number, bound to this sign-in", async () => {
    const { db, member, phone, token } = await challenged(true);
    const done = await sendSignInCode(db, ENV, null, token);
    expect(done).toMatchObject({ ok: true, sent: { phone, via: "sms" } });
    const codes = db.select().from(phoneCodes).where(eq(phoneCodes.memberId, member.id)).all();
    expect(codes).toEqual([expect.objectContaining({ purpose: "sign_in", phone, challengeId: expect.any(String) })]);
    expect(db.select().from(outbox).where(eq(outbox.recipient, phone)).all()).toHaveLength(1);
  });
});
