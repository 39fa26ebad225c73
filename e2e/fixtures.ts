// Shared Playwright helpers: make a member through the real sign-up form, sign in and out as a person would.
import { randomUUID } from "node:crypto";
import { expect, test as base, type Page } from "@playwright/test";

export type Account = { email: string; password: string; screenName?: string };

export function newAccount(prefix = "member"): Account {
  return { email: `${prefix}-${randomUUID().slice(0, 8)}@example.com`, password: `long passphrase ${randomUUID().slice(0, 6)}` };
}

export async function signUp(page: Page, account: Account = newAccount()): Promise<Account> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(account.email);
  if (account.screenName) await page.getByLabel("Screen name (optional)").fill(account.screenName);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  return account;
}

export async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/profile$/);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
}

/** A number in Ofcom's drama range, distinct per test so per-recipient limits never interfere. */
export const ukNumber = () => `07700 900${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;

/** A member sends a smoke signal from the page, as they would. */
export async function sendSignal(page: Page, opts: { channel?: "SMS" | "Email"; to: string; message: string; country?: string }) {
  await page.getByRole("link", { name: "Smoke signals" }).click();
  await expect(page.getByRole("heading", { name: "Smoke signals", level: 1 })).toBeVisible();
  if (opts.channel === "Email") await page.getByRole("radio", { name: "Email" }).check();
  if (opts.country) await page.getByLabel("Country").selectOption(opts.country);
  await page.getByLabel(opts.channel === "Email" ? "Email address" : "Mobile number").fill(opts.to);
  await page.getByLabel("Message", { exact: true }).fill(opts.message);
  await page.getByLabel("The person I am inviting has agreed to receive this message").check();
  await page.getByRole("button", { name: "Send smoke signal" }).click();
}

/** A signal's row in the member's history. */
export const historyRow = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

/** A test whose `member` fixture is a freshly signed-up, signed-in member. */
export const test = base.extend<{ member: Account }>({
  member: async ({ page }, provide) => {
    await provide(await signUp(page));
  },
});

export { expect };
