// Two-factor sign-in as a member lives it: turning it on with an authenticator app (the code computed here from the key
// the page shows), recovery codes shown once, signing in with a code and remembering the browser, forgetting it,
// signing in with a recovery code, and turning it off with the password. Then the Verify path: a number verified and
// a sign-in code sent through Twilio Verify (the second test server), read on the sandbox phone.
import type { Page } from "@playwright/test";
import { authenticatorCode, codeFromPhone, dramaNumber, expect, signOut, test, verifyBaseURL, type Account } from "./fixtures";

/** Turns two-factor on from the profile; returns the key and the recovery codes the page showed. */
async function turnOn(page: Page, account: Account): Promise<{ key: string; recovery: string[] }> {
  await page.goto("/profile");
  await page.locator("#two-factor").getByRole("link", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code to add Select Exposure to your authenticator app" })).toBeVisible();
  const key = (await page.getByLabel("Secret key").textContent())!;
  const used = authenticatorCode(key);
  await page.getByLabel("Code from your authenticator app").fill(used);
  // The password too: a borrowed session alone cannot turn it on.
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await page.getByLabel("Your password").fill(account.password);
  await page.getByLabel("Code from your authenticator app").fill(used);
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Two-factor sign-in is on." })).toBeVisible();
  const recovery = (await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents()).map((c) => c.trim());
  expect(recovery).toHaveLength(10);
  return { key, recovery };
}

async function password(page: Page, account: Account) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * A code the server has not accepted yet, without waiting up to 30 s for the next step: the one an authenticator whose
 * clock runs a step ahead shows (the server accepts one step either side; a code of a step already used is a replay).
 */
function freshCode(key: string): string {
  return authenticatorCode(key, Date.now() + 30_000);
}

test("a member turns on two-factor, signs in with a code and remembers the browser, uses a recovery code, and turns it off", async ({ page, member }) => {
  test.setTimeout(120_000);
  const { key, recovery } = await turnOn(page, member);
  await page.goto("/notifications");
  await expect(page.getByRole("listitem").filter({ hasText: "Two-factor sign-in was turned on for your account." })).toBeVisible();
  await signOut(page);

  await password(page, member);
  await expect(page).toHaveURL(/\/signin\/two-factor/);
  await expect(page.getByRole("heading", { name: "Finish signing in" })).toBeVisible();
  const code = freshCode(key);
  await page.getByLabel("Code from your authenticator app").fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right." })).toContainText("4 tries left.");
  await page.getByLabel("Code from your authenticator app").fill(code);
  await page.getByLabel("Remember this browser for 30 days").first().check();
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/profile$/);

  // Remembered: the password alone signs in from this browser.
  await signOut(page);
  await password(page, member);
  await expect(page).toHaveURL(/\/profile$/);

  await page.goto("/profile/two-factor");
  await page.getByRole("button", { name: /^Forget .*\(this browser\)$/ }).click();
  await expect(page.getByText("No browser is remembered.")).toBeVisible();
  await signOut(page);
  await password(page, member);
  await expect(page).toHaveURL(/\/signin\/two-factor/);
  await page.getByText("Lost your phone? Use a recovery code").click();
  await page.getByLabel("Recovery code").fill(recovery[0]!);
  await page.getByRole("button", { name: "Sign in with a recovery code" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await page.goto("/notifications");
  await expect(page.getByText("A recovery code was used to sign in. 9 codes are left.")).toBeVisible();

  await page.goto("/profile/two-factor");
  await expect(page.getByText("9 of your recovery codes are left.")).toBeVisible();
  await page.getByRole("region", { name: "Turn off two-factor sign-in" }).getByLabel("Your password").fill(member.password);
  await page.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Two-factor sign-in is off." })).toBeVisible();
  await signOut(page);
  await password(page, member);
  await expect(page).toHaveURL(/\/profile$/);
});

test.describe("through Twilio Verify", () => {
  test.use({ baseURL: verifyBaseURL });

  test("a member verifies their number and gets a sign-in code by SMS, both sent by Twilio Verify", async ({ page, member }) => {
    test.setTimeout(120_000);
    const phone = dramaNumber();
    await page.goto("/profile/phone");
    await page.getByLabel("Mobile number", { exact: true }).fill(phone.e164);
    await page.getByRole("button", { name: "Send code" }).click();
    await expect(page.getByRole("heading", { name: "Enter the code" })).toBeVisible();
    const code = await codeFromPhone(page, phone.e164);
    // Verify's own text, from Twilio's sender, not the account's number.
    await expect(page.getByRole("listitem").filter({ hasText: `Your Select Exposure verification code is: ${code}` })).toBeVisible();
    await page.goto("/profile/phone");
    await page.getByLabel("Code from the text message").fill(code);
    await page.getByRole("button", { name: "Verify number" }).click();
    await expect(page.getByRole("status").filter({ hasText: "is verified" })).toBeVisible();

    await turnOn(page, member);
    await page.getByRole("button", { name: /^Also accept SMS codes to / }).click();
    await expect(page.getByRole("status").filter({ hasText: "We will offer SMS codes at sign-in too." })).toBeVisible();
    await signOut(page);

    await password(page, member);
    await expect(page).toHaveURL(/\/signin\/two-factor/);
    await expect(page.getByText("Text messages can be intercepted")).toBeVisible();
    await page.getByRole("button", { name: /^Text a code to / }).click();
    await expect(page.getByRole("status").filter({ hasText: "We texted a code to" })).toBeVisible();
    // The tester reads the text in another tab, as one would glance at a phone.
    const signInCode = await codeFromPhone(await page.context().newPage(), phone.e164, code);
    await page.getByLabel("Code from the text message").fill(signInCode);
    await page.getByRole("button", { name: "Sign in with the SMS code" }).click();
    await expect(page).toHaveURL(/\/profile$/);
  });
});
