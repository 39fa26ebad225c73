import { describe, expect, it, vi } from "vitest";

// Next bundles each route apart, so this module is evaluated more than once per process: the count must be shared.
const load = async () => {
  vi.resetModules();
  return import("./attempts");
};

describe("sign-in attempts", () => {
  it("allow ten tries per email, counted across every copy of the module, and reset on success", async () => {
    const email = `guess-${Date.now()}@example.com`;
    const signInForm = await load();
    for (let i = 0; i < 5; i++) expect(await signInForm.takeSignInAttempt(email)).toBe(true);
    const authEndpoint = await load();
    expect(authEndpoint).not.toBe(signInForm);
    for (let i = 0; i < 5; i++) expect(await authEndpoint.takeSignInAttempt(email)).toBe(true);
    expect(await authEndpoint.takeSignInAttempt(email)).toBe(false);
    expect(await signInForm.takeSignInAttempt(email)).toBe(false);
    expect(await signInForm.takeSignInAttempt("someone-else@example.com")).toBe(true);

    await authEndpoint.clearSignInAttempts(email);
    expect(await signInForm.takeSignInAttempt(email)).toBe(true);
  });
});
