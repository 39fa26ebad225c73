import { describe, expect, it } from "vitest";
import type { Member } from "@/db/schema";
import { adminGate } from "./gate";

const someone = (role: "member" | "admin") => ({ id: "m1", email: "a@example.com", role }) as Member;

describe("the console's gate", () => {
  it("lets in signed-in administrators only, and says why not in words", () => {
    expect(adminGate(someone("admin"), "s1")).toEqual({ ok: true, admin: someone("admin") });
    expect(adminGate(someone("member"), "s1")).toEqual({ ok: false, reason: "not_admin", message: "The console is for the site's administrators." });
    expect(adminGate(null, null)).toMatchObject({ ok: false, reason: "signed_out" });
  });
});
