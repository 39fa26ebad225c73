// Pages as a member meets them on a phone and with a screen reader: the site's own 404, no sideways scrolling at 375 px, plain error summaries.
import { expect, test } from "./fixtures";

test.describe("Every page, as a member on a small screen", () => {
  test("a mistyped address shows the site's own 'Page not found' with a way back, and answers 404", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle("Page not found · Select Exposure");
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});
