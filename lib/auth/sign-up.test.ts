import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountLinks, members, outbox } from "@/db/schema";
import { LinkUnusable } from "@/lib/account-links/errors";
import { checkCredentials, createMember } from "@/lib/accounts/members";
import { loadEnv } from "@/lib/env";
import { tempDir, testDb } from "@/lib/testing/db";
import { confirmSignUp, signUpLinkState, startSignUp } from "./sign-up";

const ENV = loadEnv({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000", SIGN_UPS_PER_IP_PER_HOUR: "1000", SIGN_UP_EMAILS_PER_EMAIL_PER_HOUR: "1000" });
let n = 0;
const client = () => ({ address: `198.51.100.${++n % 250}`, device: null });
const form = (email: string) => ({ email, password: "a long passphrase here", screenName: "Sky" });
const tokenIn = (body: string) => /\/signup\/confirm\/([A-Za-z0-9_-]{22})/.exec(body)![1]!;

describe("signing up", () => {
  it("answers a registered address exactly as a new one; the owner is told someone tried, and only a new address gets a link", async () => {
    const db = testDb();
    const owner = await createMember(db, { email: "owner@example.com", password: "the first passphrase" });
    const taken = await startSignUp(db, ENV, form("Owner@Example.com"), client());
    const fresh = await startSignUp(db, ENV, form("fresh@example.com"), client());
    if (!taken.ok || !fresh.ok) throw new Error("expected both to be accepted");
    expect(taken.message.replace("owner@example.com", "X")).toBe(fresh.message.replace("fresh@example.com", "X"));
    const mails = db.select().from(outbox).all();
    expect(mails.map((m) => [m.recipient, m.subject])).toEqual([
      ["owner@example.com", "Someone tried to create an account with your address"],
      ["fresh@example.com", "Finish creating your Select Exposure account"],
    ]);
    expect(mails[0]!.body).not.toMatch(/\/signup\/confirm\//);
    expect(await checkCredentials(db, owner.email, "a long passphrase here")).toBeNull();
    // Nothing exists for the new address until its link is opened.
    expect(db.select().from(members).where(eq(members.email, "fresh@example.com")).get()).toBeUndefined();
    expect(db.select().from(accountLinks).all().map((l) => [l.email, l.sent, l.passwordHash ? "hash" : null])).toEqual([
      ["owner@example.com", false, null],
      ["fresh@example.com", true, "hash"],
    ]);
  });

  it("sign-ups sent at once for one address cannot pass its hourly email limit while their hashes run", async () => {
    const db = testDb();
    const env = { ...ENV, accountLinks: { ...ENV.accountLinks, signUpEmailsPerHour: 3 } };
    const results = await Promise.all(Array.from({ length: 8 }, () => startSignUp(db, env, form("burst@example.com"), client())));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.problem.error)).toEqual(Array(5).fill(expect.stringMatching(/^We have sent as many emails to burst@example\.com as we allow in an hour\./)));
    expect(db.select().from(outbox).all()).toHaveLength(3);
  });

  it("takes as long for a registered address as for a new one (the password is hashed either way)", async () => {
    const db = testDb();
    await createMember(db, { email: "owner@example.com", password: "the first passphrase" });
    const time = async (email: string) => {
      const t0 = performance.now();
      await startSignUp(db, ENV, form(email), client());
      return performance.now() - t0;
    };
    const taken: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < 5; i++) {
      taken.push(await time("owner@example.com"));
      fresh.push(await time(`new-${i}@example.com`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
    // A hash takes tens of milliseconds; skipping it on one path would make that path many times faster.
    expect(median(taken) / median(fresh)).toBeGreaterThan(0.5);
    expect(median(taken) / median(fresh)).toBeLessThan(2);
  });

  it("creates the account from the link with the chosen password only, once; wrong passwords use up its tries", async () => {
    const db = testDb();
    await startSignUp(db, ENV, { ...form("sky@example.com"), joinToken: "J".repeat(22) }, client());
    const token = tokenIn(db.select().from(outbox).get()!.body);
    expect(signUpLinkState(db, ENV, token)).toEqual({ ok: true, email: "sky@example.com" });
    await expect(confirmSignUp(db, ENV, token, "not my passphrase")).rejects.toMatchObject({ fields: { password: "That is not the password you chose when you signed up. 4 tries left." } });
    const created = await confirmSignUp(db, ENV, token, "a long passphrase here");
    expect(created).toMatchObject({ email: "sky@example.com", joinToken: "J".repeat(22) });
    const member = db.select().from(members).where(eq(members.id, created.memberId)).get()!;
    expect(member.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await checkCredentials(db, "sky@example.com", "a long passphrase here")).not.toBeNull();
    await expect(confirmSignUp(db, ENV, token, "a long passphrase here")).rejects.toBeInstanceOf(LinkUnusable);
  });

  it("a link dies after SIGN_UP_CONFIRM_TRIES wrong passwords, and a newer sign-up replaces an older link", async () => {
    const db = testDb();
    await startSignUp(db, ENV, form("try@example.com"), client());
    await startSignUp(db, ENV, form("try@example.com"), client());
    const [first, second] = db.select().from(outbox).all().map((m) => tokenIn(m.body));
    expect(signUpLinkState(db, ENV, first!)).toMatchObject({ ok: false, message: expect.stringContaining("A newer link was sent") });
    for (let i = 0; i < 4; i++) await confirmSignUp(db, ENV, second!, "wrong").catch(() => undefined);
    await expect(confirmSignUp(db, ENV, second!, "wrong")).rejects.toMatchObject({ message: expect.stringContaining("that was the last try") });
    expect(signUpLinkState(db, ENV, second!)).toMatchObject({ ok: false });
  });
});
