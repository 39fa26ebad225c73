// "Forgot your password?": the same answer whether or not an account exists, a link that works once or a code texted
// to the verified number, every session ended, no automatic sign-in, the alert sent, and plain words for a link or
// code that cannot be used.
import type { Page } from "@playwright/test";
import { codeFromPhone, dramaNumber, expect, linkIn, newAccount, signIn, test, verifyBaseURL, visitorAddress, waitForMail } from "./fixtures";
import { signedInMember, verifyDataDir } from "./members";

/** After a reset: on the sign-in page, told what happened, and signed in nowhere (the reset signs nobody in). */
async function expectResetDone(page: Page) {
  await expect(page).toHaveURL(/\/signin\?reset=1$/);
  await expect(page.getByRole("status")).toHaveText("Your password has been changed and every device was signed out. Sign in with your new password.");
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/signin/);
}

/** A browser of its own for the person resetting (another address), beside the member's signed-in one. */
const browser = (page: Page) => page.context().browser()!.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });

/** Asks for a reset code on the "text me a code" page, reached from the sign-in page as a person would. */
async function askForCode(page: Page, email: string): Promise<string> {
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByRole("link", { name: "Text me a code instead" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password with a text message" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Text me a code" }).click();
  const status = page.getByRole("status");
  await expect(status).toContainText("we have texted a code to that number");
  return (await status.textContent())!.replace(email, "ADDRESS");
}

/** Sends the code and new password from the second step. */
async function sendCode(page: Page, code: string, password: string) {
  await page.getByLabel("Code from the text message").fill(code);
  await page.getByLabel("New password").fill(password);
  await page.getByRole("button", { name: "Set my new password" }).click();
}

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
    await expectResetDone(stranger);

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

  test("a member resets their password with a code texted to their verified number; an unknown address gets the same words and no text", async ({ page, context, baseURL, extraHTTPHeaders }) => {
    const phone = dramaNumber();
    const member = await signedInMember(context, baseURL!, { ...newAccount(), address: extraHTTPHeaders!["x-forwarded-for"]!, phone: phone.e164 });
    await page.goto("/profile");
    await expect(page.locator("#phone")).toContainText("Verified");

    const other = await browser(page);
    const stranger = await other.newPage();
    const handset = await other.newPage();
    const ghost = `nobody-${Date.now()}@example.com`;
    const unknownWords = await askForCode(stranger, ghost);
    // A code typed for the unknown address is answered as a wrong code for a real one is (below).
    await sendCode(stranger, "123456", "a brand new passphrase");
    await expect(stranger.locator(".alert.error")).toBeVisible();
    const ghostAnswer = await stranger.locator(".alert.error").textContent();

    expect(await askForCode(stranger, member.email)).toBe(unknownWords);
    expect(unknownWords).toContain("It works for 10 minutes.");
    const code = await codeFromPhone(handset, phone.e164);
    await handset.goto(`/sandbox/phone?number=${encodeURIComponent(phone.e164)}`);
    // One text only: the unknown address sent none to anyone, and this number got just its own.
    await expect(handset.getByRole("listitem").filter({ hasText: "to reset your password" })).toHaveCount(1);

    await sendCode(stranger, code === "000000" ? "111111" : "000000", "a brand new passphrase");
    await expect(stranger.locator(".alert.error")).toHaveText("That code is not right. Check the latest text and try again: 4 tries left.");
    expect(ghostAnswer).toBe("That code is not right. Check the latest text and try again: 4 tries left.");
    await sendCode(stranger, code, "short");
    await expect(stranger.getByLabel("New password")).toHaveAccessibleDescription(/Use at least 10 characters\./);
    await sendCode(stranger, code, "a brand new passphrase");
    await expectResetDone(stranger);

    // The member's own browser was signed out; the alert came; the old password no longer works, the new one does.
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
    await waitForMail(page, member.email, "Your Select Exposure password was changed");
    await page.goto("/signin");
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Password", { exact: true }).fill(member.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".alert.error")).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
    await signIn(page, { ...member, password: "a brand new passphrase" });
    await other.close();
  });

  test.describe("through Twilio Verify", () => {
    test.use({ baseURL: verifyBaseURL });

    test("a member resets their password with the code Twilio Verify texts to their verified number", async ({ page, context, baseURL, extraHTTPHeaders }) => {
      const phone = dramaNumber();
      const member = await signedInMember(context, baseURL!, { ...newAccount(), address: extraHTTPHeaders!["x-forwarded-for"]!, phone: phone.e164, dataDir: verifyDataDir });
      const other = await browser(page);
      const stranger = await other.newPage();
      const handset = await other.newPage();
      await askForCode(stranger, member.email);
      const code = await codeFromPhone(handset, phone.e164);
      // Verify's own text, from Twilio's sender: nothing of ours went through the outbox.
      await expect(handset.getByRole("listitem").filter({ hasText: `Your Select Exposure verification code is: ${code}` })).toBeVisible();
      await sendCode(stranger, code === "000000" ? "111111" : "000000", "a brand new passphrase");
      await expect(stranger.locator(".alert.error")).toHaveText("That code is not right. Check the latest text and try again: 4 tries left.");
      await sendCode(stranger, code, "a brand new passphrase");
      await expectResetDone(stranger);
      await page.goto("/profile");
      await expect(page).toHaveURL(/\/signin/);
      await signIn(page, { ...member, password: "a brand new passphrase" });
      await other.close();
    });
  });

  test("the code's API: the same 202 for every address, a wrong code 400 with the tries left, a resend too soon 429 + Retry-After", async ({ page }) => {
    const email = `api-${Date.now()}@example.com`;
    const asked = await page.request.post("/api/accounts/password-reset", { data: { email, method: "sms" } });
    expect(asked.status()).toBe(202);
    expect((await asked.json()).message).toContain(`If an account uses ${email} and has a verified mobile number`);
    const soon = await page.request.post("/api/accounts/password-reset", { data: { email, method: "sms" } });
    expect(soon.status()).toBe(429);
    expect(Number(soon.headers()["retry-after"])).toBeGreaterThan(20);
    expect((await soon.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/^We sent a code \d+ seconds ago\. You can ask for a new one in \d+ seconds\.$/) });
    const wrong = await page.request.post("/api/accounts/password-reset/complete", { data: { email, code: "123456", password: "a brand new passphrase" } });
    expect(wrong.status()).toBe(400);
    expect(wrong.headers()["x-tries-left"]).toBe("4");
    expect((await wrong.json()).error).toMatchObject({ code: "wrong_code", message: "That code is not right. Check the latest text and try again: 4 tries left." });
    const notACode = await page.request.post("/api/accounts/password-reset/complete", { data: { email, code: "abc", password: "a brand new passphrase" } });
    expect(notACode.status()).toBe(400);
    expect((await notACode.json()).error).toMatchObject({ code: "invalid_code", fields: { code: "Enter the 6-digit code from the text message." } });
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
