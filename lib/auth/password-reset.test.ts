import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { members, notifications, outbox } from "@/db/schema";
import { AccountLimitReached, LinkUnusable } from "@/lib/account-links/errors";
import { checkCredentials, createMember } from "@/lib/accounts/members";
import { loadEnv } from "@/lib/env";
import { tempDir, testDb } from "@/lib/testing/db";
import { medianGapMs } from "@/lib/testing/timing";
import { requestPasswordReset, resetLinkState, resetPasswordWithLink } from "./password-reset";
import { createSession, isSessionLive } from "./sessions";

const ENV = loadEnv({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000" });
const client = (n = 1) => ({ address: `198.51.100.${n}`, device: null });
const resetMails = (db: ReturnType<typeof testDb>) => db.select().from(outbox).where(eq(outbox.subject, "Choose a new Select Exposure password")).all();
const tokenIn = (body: string) => /\/reset-password\/([A-Za-z0-9_-]{22})/.exec(body)![1]!;

async function member(db = testDb()) {
  return { db, member: await createMember(db, { email: `rae-${Math.random().toString(36).slice(2, 8)}@example.com`, password: "correct horse battery" }) };
}

describe("asking for a password reset", () => {
  it("answers the same words for an address with an account and one without; only the account's owner gets a link", async () => {
    const { db, member: m } = await member();
    const known = requestPasswordReset(db, ENV, { email: m.email.toUpperCase() }, client());
    const unknown = requestPasswordReset(db, ENV, { email: "nobody@example.com" }, client());
    expect(known.message.replace(m.email, "X")).toBe(unknown.message.replace("nobody@example.com", "X"));
    expect(known.message).toContain("works once, for 30 minutes");
    expect(resetMails(db)).toMatchObject([{ recipient: m.email, purpose: "account_message" }]);
  });

  it("takes about as long either way (the same work: one recorded request, one transaction)", async () => {
    const { db, member: m } = await member();
    const env = { ...ENV, accountLinks: { ...ENV.accountLinks, resetsPerEmailPerHour: 1000, resetsPerIpPerHour: 1000 } };
    // Both are a millisecond or so; a password hash on one path only (tens of ms) would show.
    expect(await medianGapMs((i) => requestPasswordReset(db, env, { email: m.email }, client(i)), (i) => requestPasswordReset(db, env, { email: `nobody-${i}@example.com` }, client(i)))).toBeLessThan(5);
  });

  it("is limited per address asked for (whether or not it has an account) and per network, with when to try again", async () => {
    const { db, member: m } = await member();
    for (const email of [m.email, "ghost@example.com"]) {
      for (let i = 0; i < 3; i++) requestPasswordReset(db, ENV, { email }, client(i));
      const refused = (() => {
        try {
          requestPasswordReset(db, ENV, { email }, client(9));
        } catch (error) {
          return error as AccountLimitReached;
        }
      })();
      expect(refused).toBeInstanceOf(AccountLimitReached);
      expect(refused!.message).toMatch(/^We have sent as many reset links to .* as we allow in an hour\. Use the latest one, or try again in 60 minutes\.$/);
      expect(refused!.retryAfterSeconds).toBeGreaterThan(3590);
    }
    const cafe = client(77);
    for (let i = 0; i < 20; i++) requestPasswordReset(db, ENV, { email: `walk-in-${i}@example.com` }, cafe);
    expect(() => requestPasswordReset(db, ENV, { email: "one-more@example.com" }, cafe)).toThrow("Too many password resets have been asked for from your network");
    expect(resetMails(db)).toHaveLength(3);
  });
});

describe("resetting with the link", () => {
  it("sets the password once, ends every session, alerts, proves the address; nobody is signed in", async () => {
    const { db, member: m } = await member();
    const sessions = [createSession(db, m.id, { address: "198.51.100.1", userAgent: null }), createSession(db, m.id, { address: "198.51.100.2", userAgent: null })];
    requestPasswordReset(db, ENV, { email: m.email }, client());
    const token = tokenIn(resetMails(db)[0]!.body);
    expect(resetLinkState(db, ENV, token)).toEqual({ ok: true, email: m.email, memberId: m.id });

    await expect(resetPasswordWithLink(db, ENV, token, "short", client())).rejects.toMatchObject({ fields: { password: "Use at least 10 characters." } });
    const done = await resetPasswordWithLink(db, ENV, token, "a fresh long passphrase", client());
    expect(done.newDevice).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await checkCredentials(db, m.email, "a fresh long passphrase")).not.toBeNull();
    expect(sessions.map((s) => isSessionLive(db, s, m.id))).toEqual([false, false]);
    expect(db.select().from(members).where(eq(members.id, m.id)).get()!.emailVerifiedAt).toBeInstanceOf(Date);
    expect(db.select().from(notifications).all()).toMatchObject([{ event: "password_changed", text: "Your password was reset. Every device was signed out." }]);

    const again = await resetPasswordWithLink(db, ENV, token, "another long passphrase", client()).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LinkUnusable);
    expect(again).toMatchObject({ state: "used", message: expect.stringContaining("each link works once") });
    expect(await checkCredentials(db, m.email, "another long passphrase")).toBeNull();
  });

  it("refuses a link that expired, was replaced by a newer one, or was never issued, each with what to do next", async () => {
    const { db, member: m } = await member();
    requestPasswordReset(db, ENV, { email: m.email }, client(), Date.now() - 31 * 60_000);
    const old = tokenIn(resetMails(db)[0]!.body);
    expect(resetLinkState(db, ENV, old)).toMatchObject({ ok: false, state: "expired", message: expect.stringContaining("it worked for 30 minutes") });
    requestPasswordReset(db, ENV, { email: m.email }, client());
    requestPasswordReset(db, ENV, { email: m.email }, client());
    const [, second, third] = resetMails(db).map((r) => tokenIn(r.body));
    expect(resetLinkState(db, ENV, second!)).toMatchObject({ ok: false, state: "replaced", message: expect.stringContaining("Use the link in the latest email") });
    expect(resetLinkState(db, ENV, third!)).toMatchObject({ ok: true });
    expect(resetLinkState(db, ENV, "A".repeat(22))).toMatchObject({ ok: false, state: "unknown", message: expect.stringContaining("copied the whole link") });
    expect(resetLinkState(db, ENV, "../../etc/passwd")).toMatchObject({ ok: false, state: "unknown" });
  });
});
