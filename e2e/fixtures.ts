// Shared Playwright helpers: a signed-in member made directly (e2e/members.ts), or through the real sign-up form for
// the stories about signing up; sign in and out as a person would.
import { randomUUID } from "node:crypto";
import { expect, test as base, type Browser, type Locator, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { reserveDramaDigits, signedInMember, verifyDataDir } from "./members";

/** The second test server: the same app with Twilio Verify switched on (playwright.config.ts). */
export const verifyBaseURL = `http://127.0.0.1:${Number(process.env.E2E_VERIFY_PORT || Number(process.env.E2E_PORT || 3100) + 1)}`;
const dataDirFor = (baseURL: string) => (baseURL === verifyBaseURL ? verifyDataDir : undefined);

/** The code an authenticator app would show now for the key the page gave (spaces as shown are fine). */
export const authenticatorCode = (key: string, at = Date.now()) =>
  TOTP.generate({ secret: Secret.fromBase32(key.replace(/\s/g, "")), digits: 6, period: 30, timestamp: at });

/** The newest code texted to `e164`, read from the sandbox phone as a tester would (waits for it to arrive). */
export async function codeFromPhone(page: Page, e164: string, after?: string): Promise<string> {
  let code = "";
  await expect(async () => {
    await page.goto(`/sandbox/phone?number=${encodeURIComponent(e164)}`);
    const newest = await page.getByRole("listitem").filter({ hasText: /code/ }).first().textContent({ timeout: 500 });
    const found = /code[^\d]*(\d{6})/.exec(newest ?? "")?.[1];
    expect(found && found !== after ? found : null).not.toBeNull();
    code = found!;
  }).toPass({ timeout: 20_000 });
  return code;
}

export type Account = { email: string; password: string; screenName?: string };

export function newAccount(prefix = "member"): Account {
  return { email: `${prefix}-${randomUUID().slice(0, 8)}@example.com`, password: `long passphrase ${randomUUID().slice(0, 6)}` };
}

/** Fills in and sends the sign-up form; it answers "Check your email" whether or not the address has an account. */
export async function submitSignUp(page: Page, account: Account): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(account.email);
  if (account.screenName) await page.getByLabel("Screen name (optional)").fill(account.screenName);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toContainText(`We have sent an email to ${account.email}.`);
}

/** Opens the sign-up link from the sandbox mailbox and finishes with the chosen password: signed in, on the profile. */
export async function finishSignUp(page: Page, account: Account): Promise<void> {
  const mail = await waitForMail(page, account.email, "Finish creating your Select Exposure account");
  await page.goto(await linkIn(mail, "/signup/confirm/"));
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/profile$/);
}

export async function signUp(page: Page, account: Account = newAccount()): Promise<Account> {
  await submitSignUp(page, account);
  await finishSignUp(page, account);
  return account;
}

/** Someone new (in a browser of their own) opens an invitation link and creates their account there. */
export async function joinThrough(browser: Browser, link: string, account: Account): Promise<void> {
  const context = await browser.newContext();
  const guest = await context.newPage();
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByRole("heading", { name: /invites you to Select Exposure/ })).toBeVisible();
  await guest.getByLabel("Email").fill(account.email);
  await guest.getByLabel("Password", { exact: true }).fill(account.password);
  await guest.getByRole("button", { name: "Create account" }).click();
  await expect(guest.getByRole("status").filter({ hasText: "Check your email" })).toBeVisible();
  await finishSignUp(guest, account);
  await context.close();
}

export async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/profile$/);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1$/);
}

/**
 * A number in Ofcom's drama range that no other test (or retry) of this run has had, so neither a per-recipient limit
 * nor another account's verified number meets it: as typed, in E.164, and masked as the API shows it.
 */
export function dramaNumber(): { typed: string; e164: string; masked: string } {
  const last = reserveDramaDigits();
  return { typed: `07700 900${last}`, e164: `+447700900${last}`, masked: `+44*******${last}` };
}
export const ukNumber = () => dramaNumber().typed;

/**
 * The newest email to `to` whose text contains `subject`, as the sandbox mail catcher shows it, once the outbox has
 * sent it (the page is reloaded until it appears).
 */
export async function waitForMail(page: Page, to: string, subject: string): Promise<Locator> {
  const mail = page.getByRole("article").filter({ hasText: subject }).first();
  await expect(async () => {
    await page.goto(`/sandbox/mail?to=${encodeURIComponent(to)}`);
    await expect(mail).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  return mail;
}

/** The first link in a caught email whose address contains `path` (e.g. "/reset-password/"). */
export async function linkIn(mail: Locator, path: string): Promise<string> {
  const href = await mail.getByRole("link", { name: new RegExp(path.replace(/[/]/g, "\\/")) }).first().getAttribute("href");
  return new URL(href!).pathname;
}

/** An email address of its own for each test (and retry). */
export const friendEmail = () => `friend-${randomUUID().slice(0, 8)}@example.com`;

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

/**
 * Verifies the signed-in member's age through the sandbox Yoti page, in this tab (the popup has its own stories):
 * platform SMS is only for verified members.
 */
export async function verifyAge(page: Page): Promise<void> {
  const started = await page.request.post("/api/accounts/profile/yoti/create-session", { data: {} });
  expect(started.ok()).toBe(true);
  await page.goto((await started.json()).verification_url);
  await page.getByLabel("Age", { exact: true }).fill("30");
  await page.getByRole("button", { name: "Submit result" }).click();
  await page.waitForURL(/\/profile/);
  await expect(page.locator("#age-verification").getByText(/Verified on/)).toBeVisible();
}

/** An address of its own for a visitor (IPv6 documentation prefix, a random /64 each), sent as X-Forwarded-For. */
export function visitorAddress(): string {
  const group = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::1`;
}

/**
 * A test whose `member` fixture is a new member, signed in and on their profile (made directly in the database: the
 * sign-up and sign-in forms have stories of their own). Every test's browser contexts come from an address of their
 * own (the server trusts X-Forwarded-For from 127.0.0.1 in the tests), so per-address limits such as the sign-up limit
 * count each test apart, as they would count different people; and every member has an address of their own, so
 * per-recipient limits never meet a retried test's earlier run.
 */
export const test = base.extend<{ member: Account; verified: Account; admin: Page }>({
  extraHTTPHeaders: async ({}, provide) => {
    await provide({ "x-forwarded-for": visitorAddress() });
  },
  member: async ({ page, context, baseURL, extraHTTPHeaders }, provide) => {
    const account = newAccount();
    await signedInMember(context, baseURL!, { ...account, address: extraHTTPHeaders!["x-forwarded-for"]!, dataDir: dataDirFor(baseURL!) });
    await page.goto("/profile");
    await provide(account);
  },
  /**
   * An administrator signed in in a browser context of their own (beside `page`, which a story may use as a member),
   * on the console's overview.
   */
  admin: async ({ browser, baseURL }, provide) => {
    const address = visitorAddress();
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
    await signedInMember(context, baseURL!, { ...newAccount("admin"), address, role: "admin" });
    const page = await context.newPage();
    await page.goto("/admin");
    await provide(page);
    await context.close();
  },
  /** A member whose age Yoti has verified (so the platform may text for them); the check itself has its own stories. */
  verified: async ({ page, context, baseURL, extraHTTPHeaders }, provide) => {
    const account = newAccount();
    await signedInMember(context, baseURL!, { ...account, address: extraHTTPHeaders!["x-forwarded-for"]!, verified: true });
    await page.goto("/profile");
    await provide(account);
  },
});

export { expect };
