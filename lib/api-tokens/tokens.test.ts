import { describe, expect, it } from "vitest";
import { apiTokens } from "@/db/schema";
import { testDb } from "@/lib/testing/db";
import { makeMember } from "@/lib/testing/messaging";
import { createApiToken, hashToken, listApiTokens, memberForToken, newTokenSchema, revokeApiToken } from "./tokens";

describe("personal API tokens", () => {
  it("are stored only as a hash, identify their member, and stop working once revoked", () => {
    const db = testDb();
    const member = makeMember(db);
    const { token, record } = createApiToken(db, member.id, { name: "script", consent: true });
    expect(token).toMatch(/^se_[A-Za-z0-9_-]{43}$/);
    const stored = db.select().from(apiTokens).all();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]!.tokenHash).toBe(hashToken(token));
    expect(record.consentAttestedAt).toBeInstanceOf(Date);
    expect(memberForToken(db, token)?.member.id).toBe(member.id);
    expect(memberForToken(db, `${token}x`)).toBeNull();
    expect(revokeApiToken(db, makeMember(db).id, record.id)).toBe(false);
    expect(revokeApiToken(db, member.id, record.id)).toBe(true);
    expect(memberForToken(db, token)).toBeNull();
    expect(listApiTokens(db, member.id)).toEqual([]);
  });

  it("cannot be created without the consent attestation", () => {
    expect(newTokenSchema.safeParse({ name: "x", consent: false }).success).toBe(false);
    expect(newTokenSchema.safeParse({ name: "", consent: true }).success).toBe(false);
  });
});
