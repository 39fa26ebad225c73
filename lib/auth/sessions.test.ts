import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { members, notifications, outbox } from "@/db/schema";
import { createMember } from "@/lib/accounts/members";
import { disableSandboxDemoAccounts, seedSandbox } from "@/lib/accounts/seed";
import { loadEnv } from "@/lib/env";
import { tempDir, testDb } from "@/lib/testing/db";
import { changePassword } from "./password-change";
import { createSession, endMemberSessions, endSession, isSessionLive, SESSION_IDLE_MS, startSession } from "./sessions";

const client = { address: "203.0.113.9", device: null, userAgent: "test" };
const ENV = { mode: "sandbox" as const, auth: { failuresPerAccount: 10, failuresPerIp: 50, signUpsPerIpPerHour: 10, hashConcurrency: 8 } };

async function member(db = testDb()) {
  return { db, member: await createMember(db, { email: `pat-${Math.random().toString(36).slice(2, 8)}@example.com`, password: "correct horse battery" }) };
}

describe("server-side sessions", () => {
  it("live until signed out, and only for their own member", async () => {
    const { db, member: m } = await member();
    const sid = createSession(db, m.id, client);
    expect(isSessionLive(db, sid, m.id)).toBe(true);
    expect(isSessionLive(db, sid, "someone-else")).toBe(false);
    endSession(db, sid, "signed_out");
    expect(isSessionLive(db, sid, m.id)).toBe(false);
  });

  it("expire after 30 days unused, and a day's use keeps them alive", async () => {
    const { db, member: m } = await member();
    const t0 = Date.now();
    const sid = createSession(db, m.id, client, t0);
    expect(isSessionLive(db, sid, m.id, t0 + 25 * 24 * 3600_000)).toBe(true);
    expect(isSessionLive(db, sid, m.id, t0 + 50 * 24 * 3600_000)).toBe(true);
    expect(isSessionLive(db, sid, m.id, t0 + 50 * 24 * 3600_000 + SESSION_IDLE_MS + 1)).toBe(false);
    const unused = createSession(db, m.id, client, t0);
    expect(isSessionLive(db, unused, m.id, t0 + SESSION_IDLE_MS + 1)).toBe(false);
  });

  it("end for every browser of the member but the one kept", async () => {
    const { db, member: m } = await member();
    const { member: other } = await member(db);
    const [here, phone, laptop] = [createSession(db, m.id, client), createSession(db, m.id, client), createSession(db, m.id, client)];
    const theirs = createSession(db, other.id, client);
    expect(endMemberSessions(db, m.id, "signed_out_everywhere", here)).toBe(2);
    expect([here, phone, laptop].map((s) => isSessionLive(db, s, m.id))).toEqual([true, false, false]);
    expect(isSessionLive(db, theirs, other.id)).toBe(true);
  });

  it("end when the member is disabled", async () => {
    const { db, member: m } = await member();
    const sid = createSession(db, m.id, client);
    db.update(members).set({ disabledAt: new Date() }).where(eq(members.id, m.id)).run();
    expect(isSessionLive(db, sid, m.id)).toBe(false);
  });
});

describe("starting a session", () => {
  it("raises the new-device alert, with the browser in words, only for a browser new to the account", async () => {
    const { db, member: m } = await member();
    const firefox = { address: "203.0.113.9", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0" };
    startSession(db, m.id, firefox, { unfamiliar: false });
    expect(db.select().from(notifications).all()).toEqual([]);
    startSession(db, m.id, firefox, { unfamiliar: true });
    expect(db.select().from(notifications).all()).toMatchObject([{ event: "new_device_sign_in", text: "New sign-in to your account from Firefox 128 on Windows, network 203.0.113.9." }]);
  });
});

describe("changing the password", () => {
  it("checks the current password, stores the new one, and ends every other session", async () => {
    const { db, member: m } = await member();
    const here = createSession(db, m.id, client);
    const elsewhere = createSession(db, m.id, client);
    const wrong = await changePassword(db, ENV, m, { current: "not my password", next: "a brand new passphrase" }, client, here);
    expect(wrong).toMatchObject({ ok: false, fields: { currentPassword: "That is not your current password." } });
    expect(isSessionLive(db, elsewhere, m.id)).toBe(true);
    const weak = await changePassword(db, ENV, m, { current: "correct horse battery", next: "short" }, client, here);
    expect(weak).toMatchObject({ ok: false, fields: { newPassword: "Use at least 10 characters." } });

    const done = await changePassword(db, ENV, m, { current: "correct horse battery", next: "a brand new passphrase" }, client, here);
    expect(done).toMatchObject({ ok: true, endedSessions: 1 });
    expect(isSessionLive(db, here, m.id)).toBe(true);
    expect(isSessionLive(db, elsewhere, m.id)).toBe(false);
    // The alert is raised with the change (in the app and by email, the defaults).
    expect(db.select().from(notifications).where(eq(notifications.memberId, m.id)).all()).toMatchObject([{ event: "password_changed" }]);
    expect(db.select().from(outbox).all()).toMatchObject([{ purpose: "account_alert", recipient: m.email, subject: "Your Select Exposure password was changed" }]);
    const { checkCredentials } = await import("@/lib/accounts/members");
    expect(await checkCredentials(db, m.email, "a brand new passphrase")).not.toBeNull();
    expect(await checkCredentials(db, m.email, "correct horse battery")).toBeNull();
  });
});

describe("sandbox demo accounts", () => {
  it("are marked by the seed, disabled (sessions ended) when the same database starts in live mode, and work again in sandbox mode", async () => {
    const db = testDb();
    const env = loadEnv({ DATA_DIR: tempDir() });
    expect(await seedSandbox(db, env)).toEqual(["demo@example.com", "admin@example.com"]);
    const demo = db.select().from(members).where(eq(members.email, "demo@example.com")).get()!;
    expect(demo.sandboxDemo).toBe(true);
    const sid = createSession(db, demo.id, client);

    expect(disableSandboxDemoAccounts(db)).toEqual(["demo@example.com", "admin@example.com"]);
    expect(isSessionLive(db, sid, demo.id)).toBe(false);
    expect(disableSandboxDemoAccounts(db)).toEqual([]);

    await seedSandbox(db, env);
    expect(db.select().from(members).where(eq(members.email, "demo@example.com")).get()!.disabledAt).toBeNull();
  });
});
