import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signUp, test } from "./fixtures";

const section = (page: Page) => page.locator("#age-verification");

async function openYotiPopup(page: Page, button = "Start Verification"): Promise<Page> {
  const popupPromise = page.waitForEvent("popup");
  await section(page).getByRole("button", { name: button }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/\/sandbox\/yoti\?sessionId=/);
  await expect(popup.getByRole("heading", { name: "Yoti age verification" })).toBeVisible();
  return popup;
}

async function submitInPopup(popup: Page, age: number): Promise<void> {
  await popup.getByLabel("Age", { exact: true }).fill(String(age));
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Submit result" }).click();
  await closed;
}

test.describe("Age verification", () => {
  test("a member verifies their age in the Yoti popup and the profile shows Verified without a reload", async ({ page, member }) => {
    void member;
    await expect(section(page).getByText("Not verified", { exact: true })).toBeVisible();
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    const popup = await openYotiPopup(page);
    await expect(section(page).getByText("In progress", { exact: true })).toBeVisible();
    await expect(popup.getByRole("cell", { name: "25" })).toBeVisible(); // age estimation asks for 18 + 7
    await submitInPopup(popup, 30);

    await expect(section(page).getByRole("status")).toContainText(/Verified on \d+ \w+ \d{4}/, { timeout: 2000 });
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await expect(section(page).getByRole("button", { name: /Start Verification|Try again/ })).toHaveCount(0);

    await page.reload();
    await expect(section(page).getByText(/Verified on/)).toBeVisible();
  });

  test("a failed check says so and offers a retry that can succeed", async ({ page, member }) => {
    void member;
    await submitInPopup(await openYotiPopup(page), 16);
    await expect(section(page).getByText("Failed", { exact: true })).toBeVisible({ timeout: 2000 });
    await expect(section(page).getByText("Yoti could not confirm that you are old enough")).toBeVisible();

    await submitInPopup(await openYotiPopup(page, "Try again"), 30);
    await expect(section(page).getByText(/Verified on/)).toBeVisible({ timeout: 2000 });
  });

  test("when Yoti cannot finish the check (ERROR), the profile says so and offers to try again", async ({ page, member }) => {
    void member;
    const popup = await openYotiPopup(page);
    await popup.getByLabel("ERROR (no result possible)").check();
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: "Submit result" }).click();
    await closed;
    await expect(section(page).getByText("Could not be completed", { exact: true })).toBeVisible({ timeout: 2000 });
    await expect(section(page).getByRole("status")).toContainText("Yoti could not finish the check. You can try again.");
    await expect(section(page).getByRole("button", { name: "Try again" })).toBeVisible();
  });

  test("when the browser blocks the popup, the check runs in the same tab and comes back to the profile", async ({ page, member }) => {
    void member;
    await page.addInitScript(() => {
      window.open = () => null;
    });
    await page.goto("/profile");
    await section(page).getByRole("button", { name: "Start Verification" }).click();
    await page.waitForURL(/\/sandbox\/yoti\?sessionId=/);
    await page.getByLabel("Age", { exact: true }).fill("30");
    await page.getByRole("button", { name: "Submit result" }).click();
    await page.waitForURL(/\/profile\?verification=returned#age-verification$/);
    await expect(section(page).getByText(/Verified on/)).toBeVisible();
  });

  test("cancelling at Yoti comes back with a clear message and a way to start again", async ({ page, member }) => {
    void member;
    const popup = await openYotiPopup(page);
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: "Cancel" }).click();
    await closed;
    await expect(section(page).getByText("Cancelled", { exact: true })).toBeVisible({ timeout: 2000 });
    await expect(section(page).getByRole("button", { name: "Try again" })).toBeVisible();
  });

  test("the members area keeps unverified members out and lets verified members in", async ({ page, member }) => {
    void member;
    await page.getByRole("link", { name: "Members area" }).click();
    await expect(page).toHaveURL(/\/profile\?gate=members#age-verification$/);
    await expect(section(page).getByText("The members area is only open to members who have verified their age")).toBeVisible();

    await submitInPopup(await openYotiPopup(page), 30);
    await section(page).getByRole("link", { name: "Go to the members area" }).click();
    await expect(page).toHaveURL(/\/members$/);
    await expect(page.getByRole("heading", { name: "Members area" })).toBeVisible();
  });

  test("another member cannot read this member's verification session", async ({ page, member, browser }) => {
    void member;
    const popup = await openYotiPopup(page);
    await popup.close();
    const status = await (await page.request.get("/api/accounts/profile/yoti/status")).json();
    const id = status.latest_session.session_id as string;
    for (const path of [`/api/accounts/profile/yoti/session/${id}`, `/api/accounts/profile/yoti/session/${id}/`]) {
      expect((await page.request.get(path)).status(), path).toBe(200);
    }

    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signUp(otherPage);
    for (const path of [`/api/accounts/profile/yoti/session/${id}`, `/api/accounts/profile/yoti/session/${id}/result`]) {
      const response = await otherPage.request.get(path);
      expect(response.status(), path).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
    await other.close();

    const anonymous = await browser.newContext();
    expect((await anonymous.request.get(`/api/accounts/profile/yoti/session/${id}`)).status()).toBe(401);
    await anonymous.close();
  });

  test("a keyboard user who starts a check that cannot begin hears why and keeps their place", async ({ page, member }) => {
    void member;
    await page.route("**/api/accounts/profile/yoti/create-session", (route) =>
      route.fulfill({ status: 503, json: { error: { code: "yoti_unavailable", message: "Yoti, our age verification partner, is not answering right now." } } }),
    );
    const start = section(page).getByRole("button", { name: "Start Verification" });
    await start.focus();
    await page.keyboard.press("Enter");
    await expect(section(page).getByRole("alert")).toHaveText("Yoti, our age verification partner, is not answering right now.");
    await expect(start).toBeFocused();
    await expect(start).toBeEnabled();
  });

  test("a member signed out in another tab is told to sign in again, not shown an API message", async ({ page, member }) => {
    void member;
    await page.context().clearCookies();
    await section(page).getByRole("button", { name: "Start Verification" }).click();
    await expect(section(page).getByRole("alert")).toHaveText("You have been signed out. Sign in again, then start the check.");
  });

  test("starting twice reuses the unfinished session, with or without a trailing slash", async ({ page, member }) => {
    void member;
    const first = await page.request.post("/api/accounts/profile/yoti/create-session", { data: {} });
    expect(first.status()).toBe(201);
    const a = await first.json();
    expect(a).toMatchObject({ status: "PENDING", session_id: expect.any(String), expires_at: expect.any(String) });
    expect(a.verification_url).toContain(`/sandbox/yoti?sessionId=${a.session_id}&sdkId=`);
    const second = await page.request.post("/api/accounts/profile/yoti/create-session/", { data: {} });
    expect(second.status()).toBe(200);
    expect((await second.json()).session_id).toBe(a.session_id);
  });

  test("the age verification section and the Yoti sandbox page have no serious accessibility violations", async ({ page, member }) => {
    void member;
    const serious = async (p: Page) =>
      (await new AxeBuilder({ page: p }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    await page.goto("/profile?gate=members#age-verification");
    expect(await serious(page)).toEqual([]);
    const popup = await openYotiPopup(page);
    expect(await serious(popup)).toEqual([]);
    await submitInPopup(popup, 30);
    await expect(section(page).getByText(/Verified on/)).toBeVisible({ timeout: 2000 });
    await expect(section(page).getByRole("note")).toHaveCount(0);
    expect(await serious(page)).toEqual([]);
  });

  test("a browser that comes back from Yoti signed out is asked to sign in, then sees the verification section", async ({ page, member, browser }) => {
    void page;
    const elsewhere = await browser.newContext();
    const tab = await elsewhere.newPage();
    await tab.goto("/api/accounts/profile/yoti/callback?sessionId=00000000-0000-4000-8000-000000000000");
    await tab.waitForURL(/\/signin\?next=/);
    await tab.getByLabel("Email").fill(member.email);
    await tab.getByLabel("Password", { exact: true }).fill(member.password);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.waitForURL(/\/profile\?verification=returned/);
    await expect(section(tab).getByRole("button", { name: "Start Verification" })).toBeVisible();
    await elsewhere.close();
  });

  test("the webhook refuses a notification with a bad signature", async ({ request }) => {
    const response = await request.post("/api/accounts/profile/yoti/callback", {
      data: { id: "n1", session_key: "s1", state: "COMPLETE", timestamp: Math.floor(Date.now() / 1000), signature: "bm90IGEgc2lnbmF0dXJl" },
    });
    expect(response.status()).toBe(401);
  });
});
