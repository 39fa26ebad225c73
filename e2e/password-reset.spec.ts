// "Forgot your password?": the same answer whether or not an account exists, a link that works once, every session
// ended, no automatic sign-in, the alert sent, and plain words for a link that cannot be used.
import { expect, linkIn, signIn, test, visitorAddress, waitForMail } from "./fixtures";

test.describe("Password reset", () => {
  test("a member who forgot their password resets it by email; every browser is signed out and they sign in with the new one", async ({ page, member, browser }) => {
    const other = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });
    const stranger = await other.newPage();
    await stranger.goto("/signin");
    await stranger.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(stranger.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
    await stranger.getByLabel("Email").fill("nobody-at-all@example.com");
    await stranger.getByRole("button", { name: "Email me a link" }).click();
    const unknownWords = (await stranger.getByRole("status").textContent())!.replace("nobody-at-all@example.com", "ADDRESS");
    await stranger.goto("/forgot-password");
    await stranger.getByLabel("Email").fill(member.email);
    await stranger.getByRole("button", { name: "Email me a link" }).click();
    await expect(stranger.getByRole("status")).toContainText("The link works once, for 30 minutes.");
    expect((await stranger.getByRole("status").textContent())!.replace(member.email, "ADDRESS")).toBe(unknownWords);

    const link = await linkIn(await waitForMail(stranger, member.email, "Choose a new Select Exposure password"), "/reset-password/");
    await stranger.goto(link);
    await stranger.getByLabel("New password").fill("short");
    await stranger.getByRole("button", { name: "Set my new password" }).click();
    await expect(stranger.getByLabel("New password")).toHaveAccessibleDescription(/Use at least 10 characters\./);
    await stranger.getByLabel("New password").fill("a brand new passphrase");
    await stranger.getByRole("button", { name: "Set my new password" }).click();
    await expect(stranger).toHaveURL(/\/signin\?reset=1$/);
    await expect(stranger.getByRole("status")).toHaveText("Your password has been changed and every device was signed out. Sign in with your new password.");
    await stranger.goto("/profile");
    await expect(stranger).toHaveURL(/\/signin/);

    // The member's own browser was signed out too; the link is spent; the alert came.
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
    await page.goto(link);
    await expect(page.locator(".alert.error")).toContainText("This link has already been used: each link works once.");
    await page.getByRole("link", { name: "Ask for a new link" }).click();
    await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
    await waitForMail(page, member.email, "Your Select Exposure password was changed");
    await signIn(page, { ...member, password: "a brand new passphrase" });
    await other.close();
  });

  test("a link that was never issued, or asked for too often, gets plain words; the API answers JSON with 404 and 429 + Retry-After", async ({ page }) => {
    await page.goto(`/reset-password/${"A".repeat(22)}`);
    await expect(page.locator(".alert.error")).toContainText("This link does not work. Check that you copied the whole link from the email.");
    const email = `often-${Date.now()}@example.com`;
    for (let i = 0; i < 3; i++) expect((await page.request.post("/api/accounts/password-reset", { data: { email } })).status()).toBe(202);
    const limited = await page.request.post("/api/accounts/password-reset", { data: { email } });
    expect(limited.status()).toBe(429);
    expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(3000);
    expect((await limited.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringContaining("as many reset links") });
    const bad = await page.request.post("/api/accounts/password-reset", { data: { email: "not an address" } });
    expect(bad.status()).toBe(400);
    const never = await page.request.post("/api/accounts/password-reset/complete", { data: { token: "B".repeat(22), password: "a brand new passphrase" } });
    expect(never.status()).toBe(404);
    expect((await never.json()).error.code).toBe("link_unknown");
  });
});
