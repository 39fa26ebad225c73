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

/** A test whose `member` fixture is a freshly signed-up, signed-in member. */
export const test = base.extend<{ member: Account }>({
  member: async ({ page }, provide) => {
    await provide(await signUp(page));
  },
});

export { expect };
