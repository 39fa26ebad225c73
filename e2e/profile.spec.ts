// A member's own account on the profile: screen name, confirming the address, changing it (a link to the new address,
// used while signed in; the old address is told), and the password change alert.
import { expect, linkIn, newAccount, signIn, signOut, test, visitorAddress, waitForMail } from "./fixtures";
import { signedInMember } from "./members";

test.describe("Profile", () => {
  test("a member edits their screen name, and a name with hidden characters is refused in words", async ({ page, member }) => {
    void member;
    const account = page.locator("#account");
    await account.getByLabel("Screen name", { exact: true }).fill("Lens \u202eKing");
    await account.getByRole("button", { name: "Save screen name" }).click();
    await expect(account.getByLabel("Screen name", { exact: true })).toHaveAccessibleDescription(/Use letters, numbers, spaces, dots, dashes or underscores/);
    await account.getByLabel("Screen name", { exact: true }).fill("Lens King");
    await account.getByRole("button", { name: "Save screen name" }).click();
    await expect(account.getByRole("status")).toHaveText("Saved: your screen name is Lens King.");
    await page.reload();
    await expect(page.getByLabel("Screen name", { exact: true })).toHaveValue("Lens King");
  });

  test("a member confirms their address from the emailed link; asking too often is refused with when to try again", async ({ page, member }) => {
    const account = page.locator("#account");
    await expect(account.getByText("Not confirmed")).toBeVisible();
    for (let i = 0; i < 3; i++) {
      await page.goto("/profile");
      await page.getByRole("button", { name: "Send me a confirmation link" }).click();
      await expect(page.locator("#account").getByRole("status")).toContainText(`We have sent a link to ${member.email}.`);
    }
    await page.goto("/profile");
    await page.getByRole("button", { name: "Send me a confirmation link" }).click();
    await expect(page.locator("#account").getByRole("alert")).toHaveText(/^We have sent you as many confirmation links as we allow in an hour\. Use the latest one, or ask again in \d+ minutes\.$/);
    const api = await page.request.post("/api/accounts/profile/email/verification", { data: {} });
    expect(api.status()).toBe(429);
    expect(Number(api.headers()["retry-after"])).toBeGreaterThan(3000);

    // Three links went out; each replaced the one before, so exactly one works and the others say why not.
    const mails = page.getByRole("article").filter({ hasText: "Confirm your email address for Select Exposure" });
    await expect(async () => {
      await page.goto(`/sandbox/mail?to=${encodeURIComponent(member.email)}`);
      await expect(mails).toHaveCount(3, { timeout: 500 });
    }).toPass({ timeout: 20_000 });
    const links = await Promise.all([0, 1, 2].map((i) => linkIn(mails.nth(i), "/verify-email/")));
    const working: string[] = [];
    const replaced: string[] = [];
    for (const link of links) {
      await page.goto(link);
      const confirm = page.getByRole("button", { name: "Confirm my address" });
      const newer = page.locator(".alert.error").filter({ hasText: "A newer link was sent after this one" });
      await expect(confirm.or(newer)).toBeVisible();
      (await confirm.isVisible() ? working : replaced).push(link);
    }
    expect(working).toHaveLength(1);
    expect(replaced).toHaveLength(2);
    const latest = working[0]!;
    await page.goto(latest);
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await expect(page.getByRole("status")).toHaveText(`Thank you: ${member.email} is confirmed.`);
    await page.goto("/profile");
    await expect(page.locator("#account").getByText("Confirmed", { exact: true })).toBeVisible();
    await page.goto(latest);
    await expect(page.locator(".alert.error")).toContainText("This link has already been used");
    expect((await page.request.post("/api/accounts/profile/email/verification", { data: {} })).status()).toBe(409);
  });

  test("a member changes their address: the link goes to the new one and works only signed in as them; the old address is told; an address taken by another account is never revealed", async ({ page, member, browser, baseURL }) => {
    const account = page.locator("#account");
    // Another member's address: the same words, no link, and that address's owner is told.
    const other = newAccount("taken");
    const otherContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });
    await signedInMember(otherContext, baseURL!, { ...other, address: visitorAddress() });
    await account.getByLabel("New email address").fill(other.email);
    await account.getByLabel("Your current password").fill(member.password);
    await account.getByRole("button", { name: "Send the link" }).click();
    await expect(account.getByRole("status")).toContainText(`We have sent a link to ${other.email}. Open it within 24 hours, signed in as you are now, to finish.`);
    const note = await waitForMail(page, other.email, "Someone tried to use your address on Select Exposure");
    await expect(note.getByRole("link", { name: /\/change-email\// })).toHaveCount(0);
    await otherContext.close();

    await page.goto("/profile");
    const fresh = newAccount("moved").email;
    await account.getByLabel("New email address").fill(fresh);
    await account.getByLabel("Your current password").fill("not my password");
    await account.getByRole("button", { name: "Send the link" }).click();
    await expect(account.getByLabel("Your current password")).toHaveAccessibleDescription("That is not your current password.");
    await account.getByLabel("Your current password").fill(member.password);
    await account.getByRole("button", { name: "Send the link" }).click();
    await expect(account.getByRole("status")).toContainText(`Until then your address stays ${member.email}.`);
    const link = await linkIn(await waitForMail(page, fresh, "Confirm your new Select Exposure address"), "/change-email/");

    // Opened signed out, the link asks for sign-in first and comes back.
    await signOut(page);
    await page.goto(link);
    await expect(page).toHaveURL(/\/signin\?next=/);
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Password", { exact: true }).fill(member.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Confirm your new email address" })).toBeVisible();
    await page.getByRole("button", { name: "Change my address" }).click();
    await expect(page).toHaveURL(/\/profile\?emailChanged=1$/);
    await expect(page.getByRole("status").filter({ hasText: `Your email address is now ${fresh}` })).toBeVisible();
    await expect(page.locator("#account").getByText("Confirmed", { exact: true })).toBeVisible();

    const told = await waitForMail(page, member.email, "Your Select Exposure email address was changed");
    await expect(told).toContainText(`changed from ${member.email} to ${fresh}`);
    await signOut(page);
    await signIn(page, { email: fresh, password: member.password });
  });

  test("changing the password raises the alert: in the app and by email", async ({ page, member }) => {
    const security = page.getByRole("region", { name: "Sign-in and security" });
    await security.getByLabel("Current password").fill(member.password);
    await security.getByLabel("New password").fill("another long passphrase");
    await security.getByRole("button", { name: "Change password" }).click();
    await expect(security.getByRole("status")).toContainText("Your password has been changed.");
    await waitForMail(page, member.email, "Your Select Exposure password was changed");
    await page.goto("/notifications");
    await expect(page.getByRole("listitem").filter({ hasText: "Your password was changed. Your other devices were signed out." })).toBeVisible();
  });
});
