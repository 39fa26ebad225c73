// A member verifies their mobile number with the code texted to it (read on the sandbox phone), is told how many
// tries are left after a wrong code, and removes the number with their password.
import { codeFromPhone, dramaNumber, expect, test } from "./fixtures";

test("a member adds a mobile number with the code texted to it, then removes it with their password", async ({ page, member }) => {
  const phone = dramaNumber();
  await page.getByRole("link", { name: "Add a mobile number" }).click();
  await expect(page.getByRole("heading", { name: "Mobile number", level: 1 })).toBeVisible();
  await page.getByLabel("Mobile number", { exact: true }).fill(phone.typed);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByRole("heading", { name: "Enter the code" })).toBeVisible();
  await expect(page.getByText(`We texted a code to ${phone.e164}`)).toBeVisible();

  const code = await codeFromPhone(page, phone.e164);
  await page.goto("/profile/phone");
  const wrong = code === "000000" ? "111111" : "000000";
  await page.getByLabel("Code from the text message").fill(wrong);
  await page.getByRole("button", { name: "Verify number" }).click();
  await expect(page.getByText("That code is not right. Check the latest text and try again: 4 tries left.")).toBeVisible();
  await page.getByLabel("Code from the text message").fill(code);
  await page.getByRole("button", { name: "Verify number" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is verified" })).toBeVisible();
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Remove number" }).click();
  const remove = page.getByRole("region", { name: "Remove your number" });
  await expect(remove.getByLabel("Your password")).toHaveAccessibleDescription(/Confirm it is you \(your password or a code\) to remove your verified number\./);
  await remove.getByLabel("Your password").fill(member.password);
  await page.getByRole("button", { name: "Remove number" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your mobile number was removed" })).toBeVisible();
  await page.goto("/profile");
  await expect(page.locator("#phone")).toContainText("None");
});
