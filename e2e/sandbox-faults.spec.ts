import AxeBuilder from "@axe-core/playwright";
import { expect, historyRow, sendSignal, test } from "./fixtures";

const randomMobile = () => {
  const digits = String(Math.floor(100000 + Math.random() * 900000));
  return { e164: `+447400${digits}`, display: `+44 7400 ${digits}` };
};

test.describe("Faults on demand", () => {
  test("a tester makes Twilio time out for one number: the member's SMS stays Pending with the reason, then is Delivered, sent once", async ({ page, verified }) => {
    void verified;
    const phone = randomMobile();
    const tester = await page.context().newPage();
    await tester.goto("/sandbox/twilio");
    await expect(tester.getByRole("heading", { name: "Twilio emulator", level: 1 })).toBeVisible();
    await tester.getByLabel("Requests timed out (processed, answer withheld) (%)").fill("100");
    await tester.getByLabel("Only for this number (E.164, empty: every number)").fill(phone.e164);
    await tester.getByRole("button", { name: "Save faults" }).click();
    await expect(tester.getByRole("status").filter({ hasText: "Saved: these faults are on now." })).toBeVisible();
    await expect(tester.getByText(`Faults on: requests timed out (processed, answer withheld) 100%, only for ${phone.e164}.`)).toBeVisible();

    await sendSignal(page, { to: phone.e164, message: "Through a timeout" });
    const row = historyRow(page, "Through a timeout");
    // Twilio took the message but never answered: the member is told we are checking, not that it failed.
    await expect(row).toContainText("We are checking whether your message went out", { timeout: 20_000 });
    await expect(row.getByText("Pending")).toBeVisible();

    await tester.getByRole("button", { name: "Turn every fault off" }).click();
    await expect(tester.getByRole("status").filter({ hasText: "Every fault is off." })).toBeVisible();
    await tester.reload();
    await expect(tester.getByText("No faults are on.")).toBeVisible();
    await expect(tester.getByRole("cell", { name: "timeout" })).toBeVisible(); // what the fault did, counted

    await expect(row.getByText("Delivered")).toBeVisible({ timeout: 40_000 });
    await expect(row).not.toContainText("checking whether");
    // The phone received it exactly once.
    await tester.goto(`/sandbox/phone?${new URLSearchParams({ number: phone.e164 })}`);
    await expect(tester.getByRole("listitem").filter({ hasText: "Through a timeout" })).toHaveCount(1);
  });

  test("a setting that is not a share is refused in plain words and changes nothing", async ({ page }) => {
    await page.goto("/sandbox/twilio");
    await page.getByLabel("Requests answered 503 before processing (%)").fill("150");
    await page.getByRole("button", { name: "Save faults" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was changed." })).toContainText("Requests answered 503 before processing: must be between 0% and 100%");
    // What the tester typed stays, to be corrected.
    await expect(page.getByLabel("Requests answered 503 before processing (%)")).toHaveValue("150");
    const settings = await (await page.request.get("/sandbox/twilio/faults")).json();
    expect(settings.settings.error503).toBe(0);
  });

  test("a tester has Yoti send every notification twice: the member is verified once, and the page counts the duplicates", async ({ page, member, admin }) => {
    const tester = await page.context().newPage();
    await tester.goto("/sandbox/yoti");
    await expect(tester.getByRole("heading", { name: "Yoti emulator", level: 1 })).toBeVisible();
    await tester.getByLabel("Notifications sent twice (%)").fill("100");
    await tester.getByRole("button", { name: "Save faults" }).click();
    await expect(tester.getByText("Faults on: notifications sent twice 100%.")).toBeVisible();

    await page.goto("/profile");
    const section = page.locator("#age-verification");
    const popupPromise = page.waitForEvent("popup");
    await section.getByRole("button", { name: "Start Verification" }).click();
    const popup = await popupPromise;
    await popup.getByLabel("Age", { exact: true }).fill("30");
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: "Submit result" }).click();
    await closed;
    await expect(section.getByText(/Verified on/)).toBeVisible({ timeout: 5000 });

    // The operator sees one notification received, its duplicate counted and ignored, and one COMPLETE in the history.
    await admin.goto("/admin/verifications");
    await admin.getByLabel("Member (email or id)").fill(member.email);
    await admin.getByRole("button", { name: "Filter" }).click();
    await expect(admin.getByText("1 matching, newest first.")).toBeVisible();
    await admin.getByRole("group", { name: "Verification sessions" }).getByRole("row").nth(1).getByRole("link").click();
    await expect(admin.getByRole("heading", { name: "Verification session" })).toBeVisible();
    await expect(async () => {
      await admin.reload();
      await expect(admin.locator("ul.notes > li")).toHaveCount(1, { timeout: 500 });
      await expect(admin.locator("ul.notes > li")).toContainText("(and 1 duplicate)", { timeout: 500 });
    }).toPass({ timeout: 10_000 });
    await expect(admin.locator("ol.timeline > li").filter({ hasText: "COMPLETE" })).toHaveCount(1);

    await tester.reload();
    await expect(tester.getByRole("row").filter({ hasText: "notificationDuplicate" })).toBeVisible();
    await tester.getByRole("button", { name: "Reset to the environment's settings" }).click();
    await expect(tester.getByRole("status").filter({ hasText: "Reset to the environment's settings." })).toBeVisible();
    await tester.reload();
    await expect(tester.getByText("No faults are on.")).toBeVisible();
  });

  test("the emulator pages have no serious accessibility violations", async ({ page }) => {
    for (const path of ["/sandbox/twilio", "/sandbox/yoti"]) {
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${path} ${v.id}`)).toEqual([]);
    }
  });
});
