import { describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { AccountError, checkCredentials, createMember, getProfile } from "./members";

describe("createMember", () => {
  it("creates a member with a profile, normalising the email", async () => {
    const db = testDb();
    const member = await createMember(db, { email: "  Sam@Example.COM ", password: "correct horse battery", screenName: "Sam" });
    expect(member.email).toBe("sam@example.com");
    expect(member.role).toBe("member");
    expect(member.passwordHash).toMatch(/^\$argon2id\$/);
    const profile = await getProfile(db, member.id);
    expect(profile).toMatchObject({ screenName: "Sam", yotiVerified: false, isOver18: false });
  });

  it("rejects a second account with the same email, whatever its case", async () => {
    const db = testDb();
    await createMember(db, { email: "sam@example.com", password: "correct horse battery" });
    const attempt = createMember(db, { email: "SAM@example.com", password: "another long passphrase" });
    await expect(attempt).rejects.toBeInstanceOf(AccountError);
    await expect(attempt).rejects.toMatchObject({ code: "email_taken", message: expect.stringContaining("already exists") });
    expect(db.$client.prepare("select count(*) as n from members").get()).toEqual({ n: 1 });
  });

  it("rejects invalid input with a message per field and creates nothing", async () => {
    const db = testDb();
    const attempt = createMember(db, { email: "not-an-email", password: "short" });
    await expect(attempt).rejects.toMatchObject({ code: "invalid", fields: { email: expect.any(String), password: "Use at least 10 characters." } });
    expect(db.$client.prepare("select count(*) as n from members").get()).toEqual({ n: 0 });
  });

  it("creates admins when asked", async () => {
    const member = await createMember(testDb(), { email: "boss@example.com", password: "correct horse battery", role: "admin" });
    expect(member.role).toBe("admin");
  });
});

describe("checkCredentials", () => {
  it("returns the member only for the right password", async () => {
    const db = testDb();
    const member = await createMember(db, { email: "sam@example.com", password: "correct horse battery" });
    expect((await checkCredentials(db, "SAM@example.com", "correct horse battery"))?.id).toBe(member.id);
    expect(await checkCredentials(db, "sam@example.com", "wrong horse battery")).toBeNull();
    expect(await checkCredentials(db, "nobody@example.com", "correct horse battery")).toBeNull();
  });
});
