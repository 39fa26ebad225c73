// Pages as a member meets them on a phone and with a screen reader: the site's own 404, no sideways scrolling at 375 px, plain error summaries.
import { expect, newAccount, signUp, test } from "./fixtures";

test.describe("Every page, as a member on a small screen", () => {
  test("a mistyped address shows the site's own 'Page not found' with a way back, and answers 404", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle("Page not found · Select Exposure");
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test("a broken invitation link's tab title says so, like its heading, instead of 'You are invited'", async ({ page }) => {
    await page.goto("/join/not-a-real-invitation");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This invitation link does not work");
    await expect(page).toHaveTitle("Invitation link does not work · Select Exposure");
  });

  test("at 375 px wide no page scrolls sideways, even with a long email, a new API token and a sent smoke signal", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signUp(page, newAccount(`a-very-long-local-part-for-a-narrow-phone-screen-${"x".repeat(20)}`));
    await page.getByLabel("Token name").fill("my script");
    await page.getByRole("checkbox", { name: /I confirm/ }).check();
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByLabel("New API token")).toBeVisible();
    const widths = async () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await widths(), "/profile with a new token").toBeLessThanOrEqual(375);

    // On a phone the composer offers the member's own phone first: the prepared text and its link must fit too.
    await page.goto("/smoke-signals");
    await expect(page.getByRole("radio", { name: "From my phone" })).toBeChecked();
    await page.getByLabel("Their mobile number (optional)").fill("07700900123");
    await page.getByLabel("Message", { exact: true }).fill("Come and join us at the club this Friday, it is going to be a great night out");
    await page.getByRole("button", { name: "Prepare the text" }).click();
    await expect(page.getByLabel("Invitation text")).toBeVisible();
    await expect(page.getByRole("table")).toBeVisible();
    expect(await widths(), "/smoke-signals with a prepared invitation").toBeLessThanOrEqual(375);

    for (const path of ["/profile", "/", "/no-such-page", "/sandbox/phone", "/sandbox/mail", "/sandbox/yoti"]) {
      await page.goto(path);
      expect(await widths(), path).toBeLessThanOrEqual(375);
    }
  });

  test("sending an empty smoke signal sums up what to fix in plain words, not the API's field codes", async ({ page, member }) => {
    void member;
    await page.goto("/smoke-signals");
    await page.getByRole("button", { name: "Send smoke signal" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Write a message." });
    await expect(summary).toContainText(/^Not sent\. /);
    await expect(summary).toContainText("Write a message.");
    await expect(summary).not.toContainText("not valid");
    await expect(summary).not.toContainText("to:");
  });
});

test.describe("Screen reader announcements", () => {
  test("typing a message announces the SMS segment count when it changes, not every keystroke", async ({ page, verified }) => {
    void verified;
    await page.goto("/smoke-signals");
    const message = page.getByLabel("Message", { exact: true });
    const live = page.locator(".field", { has: message }).locator("[aria-live]");
    await expect(live).toHaveCount(1);
    await message.fill("Hello");
    const before = await live.textContent();
    await message.fill("Hello there");
    await expect(live).toHaveText(before ?? "");
    await message.fill("x".repeat(170));
    await expect(live).toHaveText("2 SMS segments.");
    await expect(message).toHaveAccessibleDescription(/of 1600 characters with the join link/);
  });
});
