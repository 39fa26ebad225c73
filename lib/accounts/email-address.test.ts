import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { members, notifications, outbox } from "@/db/schema";
import { AccountInputError, AccountLimitReached } from "@/lib/account-links/errors";
import { loadEnv } from "@/lib/env";
import { tempDir, testDb } from "@/lib/testing/db";
import { changeLinkState, confirmEmail, confirmEmailChange, requestEmailChange, sendVerificationEmail, setScreenName } from "./email-address";
import { createMember } from "./members";

const ENV = loadEnv({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000" });
const client = { address: "203.0.113.4", device: null };
const PASSWORD = "correct horse battery";
const linkIn = (db: ReturnType<typeof testDb>, path: string) =>
  db.select().from(outbox).all().map((m) => new RegExp(`${path}([A-Za-z0-9_-]{22})`).exec(m.body)?.[1]).filter(Boolean).pop()!;
const reload = (db: ReturnType<typeof testDb>, id: string) => db.select().from(members).where(eq(members.id, id)).get()!;

async function memberIn(db = testDb(), email = `ivy-${Math.random().toString(36).slice(2, 8)}@example.com`) {
  return { db, member: await createMember(db, { email, password: PASSWORD }) };
}

describe("confirming the address", () => {
  it("a link confirms it once; asking again is limited; a confirmed address is not asked again", async () => {
    const { db, member } = await memberIn();
    for (let i = 0; i < 3; i++) sendVerificationEmail(db, ENV, member, client);
    expect(() => sendVerificationEmail(db, ENV, member, client)).toThrow(AccountLimitReached);
    expect(confirmEmail(db, ENV, linkIn(db, "/verify-email/"))).toEqual({ email: member.email });
    expect(reload(db, member.id).emailVerifiedAt).toBeInstanceOf(Date);
    expect(() => sendVerificationEmail(db, ENV, reload(db, member.id), client)).toThrow("already confirmed");
  });
});

describe("changing the address", () => {
  it("needs the current password, sends the link to the new address, and changes only when the member who asked uses it; the old address is alerted", async () => {
    const { db, member } = await memberIn();
    await expect(requestEmailChange(db, ENV, member, { email: "new@example.com", currentPassword: "wrong one" }, client)).rejects.toMatchObject({ fields: { currentPassword: "That is not your current password." } });
    await expect(requestEmailChange(db, ENV, member, { email: member.email.toUpperCase(), currentPassword: PASSWORD }, client)).rejects.toMatchObject({ fields: { email: "That is already your address." } });
    await requestEmailChange(db, ENV, member, { email: "New@Example.com", currentPassword: PASSWORD }, client);
    expect(db.select().from(outbox).all().at(-1)).toMatchObject({ recipient: "new@example.com", subject: "Confirm your new Select Exposure address" });
    const token = linkIn(db, "/change-email/");
    sendVerificationEmail(db, ENV, member, client);
    const stale = linkIn(db, "/verify-email/");

    const { member: someoneElse } = await memberIn(db);
    expect(changeLinkState(db, ENV, token, someoneElse)).toMatchObject({ ok: false, message: expect.stringContaining("sent for another account") });
    expect(() => confirmEmailChange(db, ENV, token, someoneElse)).toThrow("another account");

    expect(confirmEmailChange(db, ENV, token, member)).toEqual({ oldEmail: member.email, newEmail: "new@example.com" });
    expect(reload(db, member.id)).toMatchObject({ email: "new@example.com", emailVerifiedAt: expect.any(Date) });
    expect(db.select().from(outbox).all().at(-1)).toMatchObject({ recipient: member.email, subject: "Your Select Exposure email address was changed" });
    expect(db.select().from(notifications).where(eq(notifications.memberId, member.id)).all()).toMatchObject([{ event: "email_changed" }]);
    // Links sent to the old address die with the change; the change link works once.
    expect(() => confirmEmail(db, ENV, stale)).toThrow("no longer works");
    expect(() => confirmEmailChange(db, ENV, token, reload(db, member.id))).toThrow("already been used");
  });

  it("requests sent at once cannot pass the daily limit while their password hashes run", async () => {
    const { db, member } = await memberIn();
    const env = { ...ENV, accountLinks: { ...ENV.accountLinks, emailChangesPerDay: 5 } };
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => requestEmailChange(db, env, member, { email: `burst-${i}@example.com`, currentPassword: PASSWORD }, client)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual(Array(3).fill(expect.any(AccountLimitReached)));
    expect(db.select().from(outbox).all()).toHaveLength(5);
  });

  it("never reveals that another account has the address: the same words, no link, that owner told; and a race is refused without a change", async () => {
    const { db, member } = await memberIn();
    const { member: owner } = await memberIn(db, "owner@example.com");
    const taken = await requestEmailChange(db, ENV, member, { email: "owner@example.com", currentPassword: PASSWORD }, client);
    const free = await requestEmailChange(db, ENV, member, { email: "free@example.com", currentPassword: PASSWORD }, client);
    expect(taken.message.replace("owner@example.com", "X")).toBe(free.message.replace("free@example.com", "X"));
    const mails = db.select().from(outbox).all();
    expect(mails[0]).toMatchObject({ recipient: owner.email, subject: "Someone tried to use your address on Select Exposure" });
    expect(mails[0]!.body).not.toContain("/change-email/");

    const token = linkIn(db, "/change-email/");
    db.update(members).set({ email: "free@example.com" }).where(eq(members.id, owner.id)).run();
    const error = (() => {
      try {
        confirmEmailChange(db, ENV, token, member);
      } catch (e) {
        return e as AccountInputError;
      }
    })();
    expect(error).toMatchObject({ status: 409, message: `This address can no longer be used for your account. Nothing changed: your address is still ${member.email}.` });
    expect(reload(db, member.id).email).toBe(member.email);
  });
});

describe("the screen name", () => {
  it("is saved trimmed, cleared when blank, and refused with hidden or direction characters", async () => {
    const { db, member } = await memberIn();
    expect(setScreenName(db, member.id, "  Lens King ")).toBe("Lens King");
    expect(setScreenName(db, member.id, "")).toBeNull();
    expect(() => setScreenName(db, member.id, "Ana\u202eppA")).toThrow("Use letters, numbers");
    expect(() => setScreenName(db, member.id, "x".repeat(41))).toThrow("at most 40");
  });
});
