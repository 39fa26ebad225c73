import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password";

describe("password policy", () => {
  it("accepts a long passphrase", () => {
    expect(passwordProblem("correct horse battery staple", "sam@example.com")).toBeNull();
  });
  it("refuses short, long, common and email-based passwords with a reason", () => {
    expect(passwordProblem("short1!", "sam@example.com")).toBe("Use at least 10 characters.");
    expect(passwordProblem("x".repeat(129))).toBe("Use at most 128 characters.");
    expect(passwordProblem("Password123")).toMatch(/too common/);
    expect(passwordProblem("zzzzzzzzzzzz")).toMatch(/too common/);
    expect(passwordProblem("samantha-rocks-2024", "samantha@example.com")).toMatch(/must not contain your email/);
  });
});

describe("password hashing", () => {
  it("stores argon2id hashes that verify only the right password", async () => {
    const hashed = await hashPassword("correct horse battery staple");
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hashed).not.toContain("correct horse");
    expect(await verifyPassword(hashed, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hashed, "correct horse battery stapler")).toBe(false);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });
  it("salts every hash", async () => {
    expect(await hashPassword("the same password")).not.toBe(await hashPassword("the same password"));
  });
});
