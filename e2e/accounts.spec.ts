import AxeBuilder from "@axe-core/playwright";
import { expect, linkIn, newAccount, signIn, signOut, signUp, submitSignUp, test, visitorAddress, waitForMail } from "./fixtures";

test.describe("Accounts", () => {
  test("a visitor signs up, opens the link from their email with the password they chose, and lands on their profile, address confirmed", async ({ page }) => {
    const account = { ...newAccount(), screenName: "Night Owl" };
    await submitSignUp(page, account);
    // Nothing exists until the link is opened: the password does not sign in yet.
    await page.goto("/signin");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".alert.error")).toContainText("do not match an account");

    const mail = await waitForMail(page, account.email, "Finish creating your Select Exposure account");
    const link = await linkIn(mail, "/signup/confirm/");
    await page.goto(link);
    await page.getByLabel("Password", { exact: true }).fill("not what I chose");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.locator("#password-error")).toHaveText("That is not the password you chose when you signed up. 4 tries left.");
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
    await expect(page.getByText(account.email)).toBeVisible();
    await expect(page.locator("#account").getByText("Confirmed", { exact: true })).toBeVisible();
    await expect(page.getByLabel("Screen name", { exact: true })).toHaveValue("Night Owl");

    // The link works once.
    await page.goto(link);
    await expect(page.locator(".alert.error")).toContainText("This link has already been used: each link works once.");
  });

  test("a member signs out, cannot see the profile, and signs back in", async ({ page, member }) => {
    await signOut(page);
    await expect(page.getByRole("status").filter({ hasText: "You have signed out" })).toBeVisible();
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin\?next=%2Fprofile$/);
    await signIn(page, member);
    await expect(page.getByText(member.email)).toBeVisible();
  });

  test("a signed-out visit to the profile goes to sign-in and comes back after signing in", async ({ page, browser }) => {
    const account = await signUp(page);
    const fresh = await browser.newPage();
    await fresh.goto("/profile");
    await expect(fresh).toHaveURL(/\/signin\?next=%2Fprofile$/);
    await expect(fresh.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await signIn(fresh, account);
    await fresh.close();
  });

  test("a sign-in link that points at another site still lands on this site's profile", async ({ page, browser }) => {
    const account = await signUp(page);
    const fresh = await browser.newPage();
    // The browser drops the tab, so "/\t/example.org" would read as "//example.org", another site.
    await fresh.goto("/signin?next=%2F%09%2Fexample.org%2F");
    await fresh.getByLabel("Email").fill(account.email);
    await fresh.getByLabel("Password", { exact: true }).fill(account.password);
    await fresh.getByRole("button", { name: "Sign in" }).click();
    await expect(fresh).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/profile$/);
    await fresh.goto("/signin?next=%2F%09%2Fexample.org%2F");
    await expect(fresh).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/profile$/);
    await fresh.close();
  });

  test("a wrong password shows a clear error and does not sign in", async ({ page, member }) => {
    await signOut(page);
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Password", { exact: true }).fill("not the right password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That email and password do not match an account" })).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByLabel("Email")).toHaveValue(member.email);
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a stranger's wrong passwords pause sign-in from their browser, also at Auth.js's endpoint, but the member's own browser still signs in", async ({ page, member, browser }) => {
    await signOut(page);
    // Someone else, elsewhere, guessing this member's password.
    const stranger = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });
    const guesser = await stranger.newPage();
    for (let i = 0; i < 10; i++) {
      await guesser.goto("/signin");
      await guesser.getByLabel("Email").fill(member.email);
      await guesser.getByLabel("Password", { exact: true }).fill(`wrong password ${i}`);
      await guesser.getByRole("button", { name: "Sign in" }).click();
      await expect(guesser.locator(".alert.error")).toContainText("That email and password do not match an account");
    }
    await guesser.goto("/signin");
    await guesser.getByLabel("Email").fill(member.email);
    await guesser.getByLabel("Password", { exact: true }).fill(member.password);
    await guesser.getByRole("button", { name: "Sign in" }).click();
    await expect(guesser.locator(".alert.error")).toContainText("Too many wrong passwords for this account from browsers it has not been used on");
    await expect(guesser).toHaveURL(/\/signin/);

    const { csrfToken } = await (await guesser.request.get("/api/auth/csrf")).json();
    const api = await guesser.request.post("/api/auth/callback/credentials", { form: { email: member.email, password: member.password, csrfToken }, maxRedirects: 0 });
    expect(api.status()).toBe(429);
    expect(Number(api.headers()["retry-after"])).toBeGreaterThan(60);
    expect((await api.json()).error.code).toBe("rate_limited");
    expect((await (await guesser.request.get("/api/auth/session")).json())?.user).toBeUndefined();
    await stranger.close();

    // The member, in the browser they signed up with, is not locked out.
    await signIn(page, member);
    await expect(page.getByText(member.email)).toBeVisible();
  });

  test("too many sign-ups from one network are refused in plain words, and nothing is created", async ({ browser }) => {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });
    const page = await context.newPage();
    for (let i = 0; i < 5; i++) await submitSignUp(page, newAccount());
    const refused = newAccount();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(refused.email);
    await page.getByLabel("Password", { exact: true }).fill(refused.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Too many accounts have been created from your network in the last hour" })).toBeVisible();
    await expect(page).toHaveURL(/\/signup/);
    await page.goto(`/sandbox/mail?to=${encodeURIComponent(refused.email)}`);
    await expect(page.getByRole("article")).toHaveCount(0);
    await context.close();
  });

  test("signing up with an address already in use looks exactly like a new sign-up; the address's owner is told someone tried", async ({ page, member, browser }) => {
    // A stranger tries the member's address, and a new address, from the same kind of browser.
    const stranger = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });
    const tab = await stranger.newPage();
    const taken = { email: member.email.toUpperCase(), password: "a different long passphrase" };
    await submitSignUp(tab, { ...taken, email: member.email });
    const takenScreen = (await tab.getByRole("status").textContent())!.replace(member.email, "ADDRESS");
    const fresh = newAccount("fresh");
    await submitSignUp(tab, fresh);
    const freshScreen = (await tab.getByRole("status").textContent())!.replace(fresh.email, "ADDRESS");
    expect(takenScreen).toBe(freshScreen);
    await stranger.close();

    const note = await waitForMail(page, member.email, "Someone tried to create an account with your address");
    await expect(note).toContainText("Nothing changed, and they were not told that you are a member.");
    await expect(note.getByRole("link", { name: /\/signup\/confirm\// })).toHaveCount(0);
    // The member's own password still works; the stranger's does not.
    await signOut(page);
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Password", { exact: true }).fill(taken.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".alert.error")).toContainText("do not match an account");
    await signIn(page, member);
  });

  test("a weak password is refused with the reason next to the field", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Email").fill(newAccount().email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#password-error")).toHaveText("Use at least 10 characters.");
    await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  });

  test("the demo member seeded in sandbox mode can sign in", async ({ page }) => {
    const fs = await import("node:fs");
    const secrets = JSON.parse(fs.readFileSync(`${process.env.E2E_DATA_DIR || ".e2e-data"}/sandbox-secrets.json`, "utf8"));
    await signIn(page, { email: secrets.demo.memberEmail, password: secrets.demo.memberPassword });
    await expect(page.getByLabel("Screen name", { exact: true })).toHaveValue("Demo member");
  });

  test("sign-in, sign-up and profile pages have no serious accessibility violations", async ({ page }) => {
    for (const path of ["/signin", "/signup"]) {
      await page.goto(path);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical"), path).toEqual([]);
    }
    await signUp(page);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  });
});

test.describe("Sessions", () => {
  test("signing out ends the session on the server: a copy of the cookie stops working", async ({ page, member, browser }) => {
    void member;
    const copy = await browser.newContext();
    await copy.addCookies(await page.context().cookies());
    const thief = await copy.newPage();
    await thief.goto("/profile");
    await expect(thief.getByRole("heading", { name: "Your profile" })).toBeVisible();
    await signOut(page);
    await thief.goto("/profile");
    await expect(thief).toHaveURL(/\/signin\?next=%2Fprofile$/);
    expect((await thief.request.post("/api/accounts/profile/yoti/create-session", { data: {} })).status()).toBe(401);
    await copy.close();
  });

  test("changing the password signs out every other browser, keeps this one, and the new password works", async ({ page, member, browser }) => {
    const laptopContext = await browser.newContext();
    const laptop = await laptopContext.newPage();
    await signIn(laptop, member);

    await page.goto("/profile");
    const security = page.getByRole("region", { name: "Sign-in and security" });
    await security.getByLabel("Current password").fill("not my password");
    await security.getByLabel("New password").fill("a whole new passphrase");
    await security.getByRole("button", { name: "Change password" }).click();
    await expect(security.getByLabel("Current password")).toHaveAccessibleDescription("That is not your current password.");

    await security.getByLabel("Current password").fill(member.password);
    await security.getByLabel("New password").fill("a whole new passphrase");
    await security.getByRole("button", { name: "Change password" }).click();
    await expect(security.getByRole("status")).toHaveText("Your password has been changed. 1 other session has been signed out.");

    await laptop.goto("/profile");
    await expect(laptop).toHaveURL(/\/signin/);
    await page.goto("/profile");
    await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
    await signOut(page);
    await signIn(page, { ...member, password: "a whole new passphrase" });
    await laptopContext.close();
  });

  test("'Sign out of all other devices' ends the other browsers' sessions only", async ({ page, member, browser }) => {
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await signIn(other, member);
    await page.goto("/profile");
    await page.getByRole("button", { name: "Sign out of all other devices" }).click();
    await expect(page.getByRole("status").filter({ hasText: "1 other session has been signed out" })).toBeVisible();
    await other.goto("/profile");
    await expect(other).toHaveURL(/\/signin/);
    await page.goto("/profile");
    await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();
    await otherContext.close();
  });
});

test.describe("API conventions", () => {
  test("health answers with and without a trailing slash, without redirecting", async ({ request }) => {
    for (const path of ["/api/health", "/api/health/"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(200);
      expect(await response.json()).toEqual({ status: "ok", db: "ok", providers: "sandbox" });
    }
  });

  test("a method an endpoint does not support is a JSON 405 naming the ones it does", async ({ request }) => {
    for (const [method, path, allow] of [
      ["GET", "/api/accounts/smoke-signals/send/", "POST"],
      ["DELETE", "/api/health", "GET"],
      ["PUT", "/api/accounts/profile/yoti/create-session", "POST"],
    ] as const) {
      // A JSON body: an unsafe request that is not JSON is refused first (415, CSRF rules), whatever the method.
      const response = await request.fetch(path, { method, maxRedirects: 0, ...(method === "GET" ? {} : { data: {} }) });
      expect(response.status(), `${method} ${path}`).toBe(405);
      expect(response.headers()["allow"]).toBe(allow);
      expect((await response.json()).error).toMatchObject({ code: "method_not_allowed", message: `This endpoint accepts ${allow} only.` });
    }
  });

  test("an address with a malformed %-escape is a 400 in plain words, not a server error", async ({ request }) => {
    const api = await request.get("/api/accounts/smoke-signals/%E0%A4%A");
    expect(api.status()).toBe(400);
    expect((await api.json()).error.code).toBe("invalid_url");
    const page = await request.get("/join/%E0%A4%A");
    expect(page.status()).toBe(400);
    expect(await page.text()).toContain("malformed");
  });
});
