import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { createMember } from "@/lib/accounts/members";
import { tempDir, testDb } from "@/lib/testing/db";
import { checkSignIn, SIGN_IN_WINDOW_MS, takeSignUpAllowance, type Client } from "./guard";

const ENV = { mode: "sandbox" as const, auth: { failuresPerAccount: 3, failuresPerIp: 5, signUpsPerIpPerHour: 2, hashConcurrency: 8 } };
const PASSWORD = "correct horse battery";

async function memberIn(db = testDb()) {
  const member = await createMember(db, { email: `sam-${Math.random().toString(36).slice(2, 8)}@example.com`, password: PASSWORD });
  return { db, member };
}

const stranger = (n = 1): Client => ({ address: `198.51.100.${n}`, device: null });
const guess = (db: ReturnType<typeof testDb>, email: string, client: Client, password = "wrong password", now = Date.now()) =>
  checkSignIn(db, ENV, { email, password }, client, undefined, now);

describe("sign-in limits", () => {
  it("after the per-account limit, a stranger's guesses are refused even with the right password, with a Retry-After", async () => {
    const { db, member } = await memberIn();
    for (let i = 0; i < 3; i++) expect((await guess(db, member.email, stranger(i))).outcome).toBe("wrong");
    const refused = await guess(db, member.email, stranger(9), PASSWORD);
    expect(refused).toMatchObject({ outcome: "refused", refusal: { reason: "rate_limited", message: expect.stringContaining("Too many wrong passwords for this account") } });
    if (refused.outcome !== "refused") throw new Error("expected a refusal");
    expect(refused.refusal.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(refused.refusal.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // The window slides: once the oldest guesses are 15 minutes old, a try is allowed again.
    expect((await guess(db, member.email, stranger(9), PASSWORD, Date.now() + SIGN_IN_WINDOW_MS + 1000)).outcome).toBe("ok");
  });

  it("cannot be used by a stranger to lock a member out: the member's own device and address still sign in", async () => {
    const { db, member } = await memberIn();
    const home: Client = { address: "203.0.113.5", device: null };
    const first = await guess(db, member.email, home, PASSWORD);
    if (first.outcome !== "ok") throw new Error("expected a sign-in");
    expect(first.newDevice).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const laptop: Client = { address: "192.0.2.77", device: first.newDevice };

    for (let i = 0; i < 10; i++) await guess(db, member.email, stranger(i));
    expect((await guess(db, member.email, stranger(20), PASSWORD)).outcome).toBe("refused");
    // Their laptop (device cookie from a successful sign-in), on any network.
    expect(await guess(db, member.email, laptop, PASSWORD)).toMatchObject({ outcome: "ok", trust: "device", newDevice: null });
    // A new browser at home (an address they signed in from before).
    expect(await guess(db, member.email, { address: home.address, device: null }, PASSWORD)).toMatchObject({ outcome: "ok", trust: "address" });
  });

  it("knows a browser that never signed in to the account before, once another one has: the new-device alert's case", async () => {
    const { db, member } = await memberIn();
    const first = await guess(db, member.email, stranger(1), PASSWORD);
    expect(first).toMatchObject({ outcome: "ok", unfamiliar: false });
    if (first.outcome !== "ok") throw new Error("expected a sign-in");
    expect(await guess(db, member.email, { address: "192.0.2.50", device: first.newDevice }, PASSWORD)).toMatchObject({ outcome: "ok", unfamiliar: false });
    // A new browser on the same network is still a new device.
    expect(await guess(db, member.email, { address: stranger(1).address, device: null }, PASSWORD)).toMatchObject({ outcome: "ok", trust: "address", unfamiliar: true });
  });

  it("limits guesses per client address across accounts, without counting a member's own device there", async () => {
    const db = testDb();
    const a = (await memberIn(db)).member;
    const b = (await memberIn(db)).member;
    const cafe: Client = { address: "203.0.113.80", device: null };
    const ok = await guess(db, b.email, { address: "192.0.2.1", device: null }, PASSWORD);
    if (ok.outcome !== "ok") throw new Error("expected a sign-in");
    for (let i = 0; i < 5; i++) await guess(db, `nobody-${i}@example.com`, cafe);
    expect(await guess(db, a.email, cafe, PASSWORD)).toMatchObject({ outcome: "refused", refusal: { message: expect.stringContaining("from your network") } });
    expect((await guess(db, b.email, { ...cafe, device: ok.newDevice }, PASSWORD)).outcome).toBe("ok");
  });

  it("gives a member's own device its own allowance, so a stolen device cookie does not allow endless guessing", async () => {
    const { db, member } = await memberIn();
    const ok = await guess(db, member.email, stranger(1), PASSWORD);
    if (ok.outcome !== "ok") throw new Error("expected a sign-in");
    const device: Client = { address: "192.0.2.9", device: ok.newDevice };
    for (let i = 0; i < 3; i++) expect((await guess(db, member.email, device)).outcome).toBe("wrong");
    expect(await guess(db, member.email, device, PASSWORD)).toMatchObject({ outcome: "refused", refusal: { message: expect.stringContaining("from this browser") } });
  });

  it("counts unknown emails the same way, so the limits reveal nothing about who has an account", async () => {
    const db = testDb();
    for (let i = 0; i < 3; i++) expect((await guess(db, "nobody@example.com", stranger(i))).outcome).toBe("wrong");
    expect((await guess(db, "nobody@example.com", stranger(7))).outcome).toBe("refused");
  });

  it("keeps its counts in the database: a restart does not reset them", async () => {
    const file = path.join(tempDir(), "app.db");
    const db = openDatabase(file);
    const { member } = await memberIn(db);
    for (let i = 0; i < 3; i++) await guess(db, member.email, stranger(i));
    db.$client.close();
    const reopened = openDatabase(file);
    expect((await guess(reopened, member.email, stranger(5), PASSWORD)).outcome).toBe("refused");
  });

  it("refuses sandbox demo accounts in live mode, even with the right password", async () => {
    const db = testDb();
    await createMember(db, { email: "demo@example.com", password: PASSWORD, sandboxDemo: true });
    expect((await checkSignIn(db, ENV, { email: "demo@example.com", password: PASSWORD }, stranger())).outcome).toBe("ok");
    const live = await checkSignIn(db, { ...ENV, mode: "live" }, { email: "demo@example.com", password: PASSWORD }, stranger());
    expect(live).toMatchObject({ outcome: "disabled", message: expect.stringContaining("sandbox demo account") });
  });
});

describe("sign-up limit", () => {
  it("allows SIGN_UPS_PER_IP_PER_HOUR account creations per address, then says when to try again", () => {
    const db = testDb();
    const home: Client = { address: "203.0.113.1", device: null };
    expect(takeSignUpAllowance(db, ENV, "a@example.com", home)).toBeNull();
    expect(takeSignUpAllowance(db, ENV, "b@example.com", home)).toBeNull();
    const refused = takeSignUpAllowance(db, ENV, "c@example.com", home);
    expect(refused).toMatchObject({ reason: "rate_limited", message: expect.stringContaining("Too many accounts have been created from your network") });
    expect(refused!.retryAfterSeconds).toBeGreaterThan(59 * 60);
    expect(takeSignUpAllowance(db, ENV, "c@example.com", { address: "203.0.113.2", device: null })).toBeNull();
    expect(takeSignUpAllowance(db, ENV, "d@example.com", home, Date.now() + 3600_000 + 1000)).toBeNull();
  });
});
