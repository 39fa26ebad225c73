import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import {
  accountLinks,
  adminAudit,
  anonymisedSignalCounts,
  apiTokens,
  members,
  outbox,
  profiles,
  sessions,
  smokeSignals,
  suppressions,
  verificationNotifications,
  verificationSessions,
} from "@/db/schema";
import { issueLink } from "@/lib/account-links/links";
import { createApiToken } from "@/lib/api-tokens/tokens";
import { createSession } from "@/lib/auth/sessions";
import { suppress } from "@/lib/smoke-signals/suppression";
import { testDb } from "@/lib/testing/db";
import { makeMember, queueSignal } from "@/lib/testing/messaging";
import { DeletionRefused, deleteMemberByAdmin, deleteOwnAccount, LAST_ADMIN } from "./deletion";
import { exportMemberData } from "./export";
import { runRetention } from "./retention";

const DAY = 24 * 3600_000;

function verificationOf(db: Db, memberId: string, at: Date, id = `sess-${memberId}`) {
  db.insert(verificationSessions)
    .values({
      id,
      memberId,
      referenceId: `ref-${id}`,
      status: "COMPLETE",
      method: "AGE_ESTIMATION",
      request: { type: "OVER", sdkId: "sdk", ageThreshold: 18, thresholds: { AGE_ESTIMATION: 25 } },
      evidenceId: "evidence-1",
      history: [{ status: "COMPLETE", at: at.toISOString(), source: "notification" }],
      expiresAt: new Date(at.getTime() + 900_000),
      finishedAt: at,
      createdAt: at,
    })
    .run();
  db.insert(verificationNotifications).values({ id: `n-${id}`, sessionId: id, state: "COMPLETED", sentAt: Math.floor(at.getTime() / 1000), receivedAt: at }).run();
  db.update(profiles)
    .set({
      yotiVerified: true,
      yotiVerificationDate: at,
      yotiVerificationData: { method: "AGE_ESTIMATION", status: "COMPLETE", type: "OVER", threshold: 25, evidenceId: "evidence-1", sessionId: id, checkedAt: at.toISOString(), age: 31 },
    })
    .where(eq(profiles.memberId, memberId))
    .run();
}

describe("a member's data export", () => {
  it("holds their account, profile, verification, smoke signals, tokens and consents, and no secret", () => {
    const db = testDb();
    const member = makeMember(db);
    verificationOf(db, member.id, new Date());
    const signal = queueSignal(db, member, { to: "+447700900123", message: "Come along" });
    createApiToken(db, member.id, { name: "script", consent: true });
    const other = makeMember(db);
    queueSignal(db, other, { message: "Not theirs" });

    const data = exportMemberData(db, member.id)!;
    expect(data.account).toMatchObject({ id: member.id, email: member.email, role: "member" });
    expect(data.profile).toMatchObject({ ageVerified: true, verificationResult: { method: "AGE_ESTIMATION", evidenceId: "evidence-1" } });
    expect(data.verification.sessions).toHaveLength(1);
    expect(data.verification.notifications).toHaveLength(1);
    expect(data.smokeSignals.map((s) => [s.id, s.message, s.recipient])).toEqual([[signal.id, "Come along", "+447700900123"]]);
    expect(data.smokeSignals[0]!.timeline[0]).toMatchObject({ status: "Pending", note: "Queued for sending" });
    expect(data.apiTokens).toEqual([expect.objectContaining({ name: "script", revokedAt: null })]);
    expect(data.consents.smokeSignals).toEqual([{ signalId: signal.id, consent: "ui", at: expect.any(String) }]);
    // Account messages carry their member too: the "API token created" alert email is theirs.
    expect(data.messages).toEqual([
      expect.objectContaining({ channel: "SMS", purpose: "smoke_signal", recipient: "+447700900123", status: "pending" }),
      expect.objectContaining({ channel: "Email", purpose: "account_alert", recipient: member.email, subject: "A new API token was created for your account" }),
    ]);
    // Two-factor as configured, never its secret.
    expect(data.twoFactor).toEqual({ authenticatorApp: false, enabledAt: null, smsCodes: false, recoveryCodesLeft: 0, rememberedBrowsers: [] });
    const text = JSON.stringify(data);
    expect(text).not.toContain("Not theirs");
    expect(text).not.toMatch(/passwordHash|tokenHash|joinToken/);
    expect(text).not.toContain(signal.joinToken);
  });

  it("is null for a member who does not exist", () => {
    expect(exportMemberData(testDb(), "nobody")).toBeNull();
  });
});

describe("deleting an account", () => {
  it("cancels pending messages, deletes verification data, keeps smoke signals as counts and suppressions, ends every session", () => {
    const db = testDb();
    const member = makeMember(db);
    verificationOf(db, member.id, new Date());
    const sid = createSession(db, member.id, { address: null, userAgent: null });
    const signal = queueSignal(db, member, { to: "+447700900321" });
    suppress(db, "+447700900999", "STOP");
    const other = makeMember(db);
    const othersSignal = queueSignal(db, other);

    const summary = deleteOwnAccount(db, member);

    expect(summary).toEqual({ cancelledMessages: 1, anonymisedMessages: 1, countedSignals: 1 });
    expect(db.select().from(members).where(eq(members.id, member.id)).all()).toEqual([]);
    expect(db.select().from(sessions).where(eq(sessions.id, sid)).all()).toEqual([]);
    expect(db.select().from(verificationSessions).all()).toEqual([]);
    expect(db.select().from(verificationNotifications).all()).toEqual([]);
    expect(db.select().from(smokeSignals).where(eq(smokeSignals.id, signal.id)).all()).toEqual([]);
    expect(db.select().from(anonymisedSignalCounts).all()).toEqual([{ day: new Date().toISOString().slice(0, 10), channel: "SMS", status: "Pending", count: 1 }]);
    // The message stays for usage and cost, with nothing that names the member or the invitee.
    const [message] = db.select().from(outbox).where(eq(outbox.ownerId, signal.id)).all();
    expect(message).toMatchObject({ state: "cancelled", memberId: null, body: "", html: null, recipient: "+44*******321" });
    expect(db.select().from(suppressions).all()).toHaveLength(1);
    // Nobody else is touched.
    expect(db.select().from(smokeSignals).where(eq(smokeSignals.id, othersSignal.id)).all()).toHaveLength(1);
    expect(db.select().from(outbox).where(eq(outbox.ownerId, othersSignal.id)).get()).toMatchObject({ state: "queued", memberId: other.id });
  });

  it("by an administrator: the same, recorded in the audit log with the reason; never the last administrator or oneself", async () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    const member = makeMember(db);
    createApiToken(db, member.id, { name: "t", consent: true });
    const summary = await deleteMemberByAdmin(db, admin, member.id, "asked by phone");
    // The "API token created" alert email, still queued, is cancelled with the account.
    expect(summary).toMatchObject({ cancelledMessages: 1 });
    expect(db.select().from(apiTokens).all()).toEqual([]);
    expect(db.select().from(adminAudit).get()).toMatchObject({
      action: "member.delete",
      actorEmail: admin.email,
      targetLabel: member.email,
      reason: "asked by phone",
      before: expect.objectContaining({ email: member.email, role: "member" }),
    });
    await expect(deleteMemberByAdmin(db, admin, admin.id, "oops")).rejects.toThrow("You cannot delete your own account from the console");
    expect(() => deleteOwnAccount(db, admin)).toThrow(new DeletionRefused(LAST_ADMIN));
    expect(db.select().from(members).where(eq(members.id, admin.id)).all()).toHaveLength(1);
    expect(await deleteMemberByAdmin(db, admin, "nobody", "x")).toBeNull();
  });
});

describe("the retention job", () => {
  it("forgets sign-in sessions over for longer than the retention, with their address and browser", () => {
    const db = testDb();
    const now = new Date();
    const member = makeMember(db);
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const session = (id: string, lastSeenAt: Date, endedAt: Date | null) =>
      db.insert(sessions).values({ id, memberId: member.id, createdAt: ago(90), lastSeenAt, endedAt, endedReason: endedAt ? "signed_out" : null, address: "203.0.113.0/24", userAgent: "Firefox" }).run();
    session("signed-out-40-days-ago", ago(40), ago(40));
    session("signed-out-5-days-ago", ago(5), ago(5));
    // Unused for 30 days a session expires: last used 65 days ago, it has been over for 35; 45 days ago, for 15.
    session("expired-35-days-ago", ago(65), null);
    session("expired-15-days-ago", ago(45), null);
    session("in-use", ago(0), null);

    expect(runRetention(db, 30, now)).toMatchObject({ signInSessions: 2 });
    const left = db.select({ id: sessions.id }).from(sessions).all().map((r) => r.id);
    expect(new Set(left)).toEqual(new Set(["signed-out-5-days-ago", "expired-15-days-ago", "in-use"]));
    expect(runRetention(db, 30, now)).toMatchObject({ signInSessions: 0 });
  });

  it("forgets emailed links and recorded requests a week after they expire, not before", () => {
    const db = testDb();
    const now = new Date();
    const member = makeMember(db);
    const ttlMs = 3600_000;
    // Expired eight days ago: a sign-up with its password hash, and a reset asked for an address with no account.
    const signUp = issueLink(db, { purpose: "sign_up", memberId: null, email: "new@example.com", sent: true, ttlMs, address: "203.0.113.0/24", passwordHash: "$argon2id$x" }, now.getTime() - 8 * DAY - ttlMs);
    const stranger = issueLink(db, { purpose: "reset_password", memberId: null, email: "nobody@example.com", sent: false, ttlMs, address: "198.51.100.0/24" }, now.getTime() - 8 * DAY - ttlMs);
    // Expired six days ago, and still open.
    const recent = issueLink(db, { purpose: "verify_email", memberId: member.id, email: member.email, sent: true, ttlMs, address: null }, now.getTime() - 6 * DAY - ttlMs);
    const open = issueLink(db, { purpose: "reset_password", memberId: member.id, email: member.email, sent: true, ttlMs, address: null }, now.getTime());

    expect(runRetention(db, 30, now)).toMatchObject({ accountLinks: 2 });
    const left = db.select({ hash: accountLinks.tokenHash }).from(accountLinks).all().map((r) => r.hash);
    expect(new Set(left)).toEqual(new Set([recent.tokenHash, open.tokenHash]));
    expect(left).not.toContain(signUp.tokenHash);
    expect(left).not.toContain(stranger.tokenHash);
    expect(runRetention(db, 30, now)).toMatchObject({ accountLinks: 0 });
  });

  it("purges raw Yoti results and message bodies older than the retention, keeps status, method and dates, and is idempotent", () => {
    const db = testDb();
    const now = new Date();
    const old = makeMember(db);
    const recent = makeMember(db);
    verificationOf(db, old.id, new Date(now.getTime() - 40 * DAY), "old");
    verificationOf(db, recent.id, new Date(now.getTime() - 5 * DAY), "recent");
    const oldSignal = queueSignal(db, old, { message: "An old invitation" });
    const newSignal = queueSignal(db, recent, { message: "A new invitation" });
    db.update(smokeSignals).set({ createdAt: new Date(now.getTime() - 40 * DAY) }).where(eq(smokeSignals.id, oldSignal.id)).run();
    db.update(outbox).set({ createdAt: new Date(now.getTime() - 40 * DAY), state: "sent" }).where(eq(outbox.ownerId, oldSignal.id)).run();
    db.update(outbox).set({ state: "sent" }).where(eq(outbox.ownerId, newSignal.id)).run();

    const first = runRetention(db, 30, now);
    expect(first).toMatchObject({ retentionDays: 30, messageBodies: 1, smokeSignalMessages: 1, verificationResults: 1, profileResults: 1, yotiNotifications: 1 });

    const oldProfile = db.select().from(profiles).where(eq(profiles.memberId, old.id)).get()!;
    expect(oldProfile).toMatchObject({ yotiVerified: true, yotiVerificationData: { method: "AGE_ESTIMATION", status: "COMPLETE", evidenceId: null } });
    expect(oldProfile.yotiVerificationData).not.toHaveProperty("age");
    expect(oldProfile.yotiVerificationDate).not.toBeNull();
    expect(db.select().from(verificationSessions).where(eq(verificationSessions.id, "old")).get()).toMatchObject({ status: "COMPLETE", method: "AGE_ESTIMATION", evidenceId: null });
    expect(db.select().from(outbox).where(eq(outbox.ownerId, oldSignal.id)).get()).toMatchObject({ body: "", state: "sent", bodyPurgedAt: expect.any(Date) });
    expect(db.select().from(smokeSignals).where(eq(smokeSignals.id, oldSignal.id)).get()).toMatchObject({ message: "", status: "Pending" });
    // What is recent stays whole.
    expect(db.select().from(profiles).where(eq(profiles.memberId, recent.id)).get()!.yotiVerificationData).toMatchObject({ evidenceId: "evidence-1", age: 31 });
    expect(db.select().from(smokeSignals).where(eq(smokeSignals.id, newSignal.id)).get()!.message).toBe("A new invitation");
    expect(db.select().from(verificationNotifications).all().map((n) => n.sessionId)).toEqual(["recent"]);

    expect(runRetention(db, 30, now)).toMatchObject({ messageBodies: 0, smokeSignalMessages: 0, verificationResults: 0, profileResults: 0, yotiNotifications: 0 });
  });

  it("never purges a message still waiting to be sent", () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db));
    db.update(outbox).set({ createdAt: new Date(Date.now() - 40 * DAY) }).where(eq(outbox.ownerId, signal.id)).run();
    expect(runRetention(db, 30).messageBodies).toBe(0);
    expect(db.select().from(outbox).where(eq(outbox.ownerId, signal.id)).get()!.body).toContain("Come and see");
  });
});
