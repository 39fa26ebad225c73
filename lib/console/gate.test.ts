import { describe, expect, it } from "vitest";
import { twoFactor } from "@/db/schema";
import { createMember } from "@/lib/accounts/members";
import { createSession } from "@/lib/auth/sessions";
import { testDb } from "@/lib/testing/db";
import { adminGate } from "./gate";

async function someone(role: "member" | "admin") {
  const db = testDb();
  const member = await createMember(db, { email: `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`, password: "correct horse battery", role });
  return { db, member };
}

describe("the console's gate", () => {
  it("lets in signed-in administrators who passed two-factor in this session, and says why not in words", async () => {
    const { db, member: admin } = await someone("admin");
    // No two-factor yet: sent to turn it on.
    const before = createSession(db, admin.id, { address: null, userAgent: null });
    expect(adminGate(admin, before, db)).toEqual({ ok: false, reason: "second_factor", message: "Turn on two-factor sign-in on your profile before you use admin features." });
    // Turned on, but this session began on the password alone.
    db.insert(twoFactor).values({ memberId: admin.id, totpSecret: "sealed", totpEnabledAt: new Date() }).run();
    expect(adminGate(admin, before, db)).toMatchObject({ ok: false, reason: "second_factor", message: expect.stringContaining("began with your password alone") });
    expect(adminGate(admin, null, db)).toMatchObject({ ok: false, reason: "second_factor" });
    // A sign-in that passed the authenticator app.
    const after = createSession(db, admin.id, { address: null, userAgent: null }, Date.now(), "totp");
    expect(adminGate(admin, after, db)).toEqual({ ok: true, admin });
  });

  it("refuses members and the signed out", async () => {
    const { db, member } = await someone("member");
    const sid = createSession(db, member.id, { address: null, userAgent: null }, Date.now(), "totp");
    expect(adminGate(member, sid, db)).toEqual({ ok: false, reason: "not_admin", message: "The console is for the site's administrators." });
    expect(adminGate(null, null, db)).toMatchObject({ ok: false, reason: "signed_out" });
  });
});
