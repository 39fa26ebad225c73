// The site as an attacker meets it: cross-site requests with a member's cookie, and pages that run no script an
// attacker could slip in (CSP with a nonce, no framing), while every page and the Yoti popup still work.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, friendEmail, test } from "./fixtures";

const SEND = "/api/accounts/smoke-signals/send";

/** Collects CSP violations (and console reports of them) on every page of a context. */
async function watchCsp(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await context.exposeFunction("__reportCsp", (text: string) => seen.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI} on ${location.pathname}`),
    );
  });
  context.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test.describe("Cross-site requests", () => {
  test("a request from another site with the member's cookie is refused with a JSON 403 or 415, and nothing is sent", async ({ page, member }) => {
    void member;
    const body = JSON.stringify({ to: friendEmail(), channel: "Email", message: "Forged", consent: true });
    // The reported attack: text/plain (no CORS preflight), another site's Origin.
    const forged = await page.request.post(SEND, {
      headers: { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      data: body,
    });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error).toMatchObject({ code: "cross_site_request", message: expect.stringContaining("came from another site") });
    const noOrigin = await page.request.post(SEND, { headers: { "content-type": "application/json", "sec-fetch-site": "same-site" }, data: body });
    expect(noOrigin.status()).toBe(403);
    const notJson = await page.request.post(SEND, { headers: { "content-type": "text/plain", origin: new URL(page.url()).origin }, data: body });
    expect(notJson.status()).toBe(415);
    expect((await notJson.json()).error.code).toBe("unsupported_media_type");
    expect((await (await page.request.get("/api/accounts/smoke-signals")).json()).total).toBe(0);

    // The same request from the app's own page is accepted: the cookie itself works.
    const own = await page.request.post(SEND, { headers: { origin: new URL(page.url()).origin }, data: JSON.parse(body) });
    expect(own.status()).toBe(202);
  });

  test("a script on another origin using a personal API token is not subject to the origin check, and its cookies are ignored", async ({ page, member }) => {
    void member;
    await page.goto("/profile");
    await page.getByLabel("Token name").fill("cross-origin script");
    await page.getByLabel("I confirm that everyone I invite through the API has agreed to receive the message").check();
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByLabel("New API token").inputValue();
    const res = await page.request.post(SEND, {
      headers: { authorization: `Bearer ${token}`, origin: "https://scripts.example" },
      data: { to: friendEmail(), channel: "Email", message: "From my script" },
    });
    expect(res.status()).toBe(202);
    // A wrong token never falls back to the cookie this browser also sends.
    const wrong = await page.request.post(SEND, { headers: { authorization: "Bearer se_not-a-token", origin: "https://scripts.example" }, data: { to: "a@b.co", channel: "Email", message: "x" } });
    expect(wrong.status()).toBe(401);
  });
});

test.describe("Content Security Policy", () => {
  test("every page runs only its own nonce'd scripts, cannot be framed, and works", async ({ page, verified, request, admin }) => {
    void verified;
    const violations = await watchCsp(page.context());
    const adminViolations = await watchCsp(admin.context());
    const paths = [
      "/",
      "/profile",
      "/profile/phone",
      "/profile/two-factor",
      "/profile/preferences",
      "/notifications",
      "/smoke-signals",
      "/forgot-password",
      "/sandbox/mail",
      "/sandbox/phone",
      "/sandbox/yoti",
      "/join/not-a-real-invitation",
      "/no-such-page",
    ];
    // The member's pages, then the console's as an administrator sees them.
    const visits = [...paths.map((path) => ({ on: page, path })), ...["/admin", "/admin/usage", "/admin/announcements"].map((path) => ({ on: admin, path }))];
    for (const { on, path } of visits) {
      const response = await on.goto(path);
      // Each page is the one asked for, not a sign-in page it was sent to.
      expect(new URL(on.url()).pathname, path).toBe(path);
      const csp = response!.headers()["content-security-policy"] ?? "";
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      // Every inline script Next wrote carries this response's nonce (a script without it would not run).
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      const inline = await on.locator("script:not([src])").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
      expect(inline.length, path).toBeGreaterThan(0);
      expect(new Set(inline), path).toEqual(new Set([nonce]));
    }
    // Hydrated and interactive under the policy: the composer counts characters as the member types.
    await page.goto("/smoke-signals");
    await page.getByLabel("Message", { exact: true }).fill("x".repeat(170));
    await expect(page.locator("#message-count")).toContainText("SMS segments");
    await page.goto("/signin");
    expect(violations).toEqual([]);
    expect(adminViolations).toEqual([]);

    // Sign-in pages answer the same to a plain request (no browser), and the API carries no page policy.
    expect((await request.get("/signin")).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect((await request.get("/api/health")).headers()["content-security-policy"]).toBeUndefined();
    // An address no API answers is a JSON 404, and the catch-all answering it hides no real route.
    const nowhere = await request.get("/api/accounts/smoke-signal");
    expect(nowhere.status()).toBe(404);
    expect(await nowhere.json()).toEqual({ error: { code: "not_found", message: "There is no API at /api/accounts/smoke-signal. The README lists the endpoints." } });
    expect((await request.get("/api/health")).status()).toBe(200);

    // Every answer, whoever makes it, says no sniffing, no framing and no full URL in Referer to other sites: pages and
    // Next's own answers (static files, its 404 page) from next.config, API answers from api() (decision 067).
    await page.goto("/smoke-signals");
    const script = await page.locator("script[src*='/_next/static/']").first().getAttribute("src");
    const answers = await Promise.all([
      request.get("/smoke-signals"),
      request.get("/no-such-page"),
      request.get(script!),
      request.get("/icon.svg"),
      request.get("/api/health"),
      request.get("/api/accounts/smoke-signal"),
      request.post("/api/twilio/status-callback", { form: { MessageSid: "SMx", MessageStatus: "sent" } }),
    ]);
    expect(answers.map((a) => a.status())).toEqual([200, 404, 200, 200, 200, 404, 403]);
    for (const answer of answers) {
      const h = answer.headers();
      expect([h["x-content-type-options"], h["x-frame-options"], h["referrer-policy"]], answer.url()).toEqual(["nosniff", "DENY", "strict-origin-when-cross-origin"]);
    }
  });

  test("markup an attacker slips into a page cannot run script", async ({ page }) => {
    await page.goto("/signin");
    const blocked = page.waitForEvent("console", (m) => /Content Security Policy/i.test(m.text()));
    await page.evaluate(() => {
      const div = document.createElement("div");
      div.innerHTML = `<img src="data:," onerror="window.__pwned = true">`;
      document.body.append(div);
    });
    await blocked;
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  });

  test("the Yoti popup and its return page work under the policy", async ({ page, member }) => {
    void member;
    const violations = await watchCsp(page.context());
    await page.goto("/profile");
    const popupPromise = page.waitForEvent("popup");
    await page.locator("#age-verification").getByRole("button", { name: "Start Verification" }).click();
    const popup: Page = await popupPromise;
    await popup.waitForURL(/\/sandbox\/yoti\?sessionId=/);
    await popup.getByLabel("Age", { exact: true }).fill("30");
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: "Submit result" }).click();
    // The return page's own inline script closes the popup and tells the profile: it ran under its nonce.
    await closed;
    await expect(page.locator("#age-verification").getByText(/Verified on/)).toBeVisible({ timeout: 5000 });
    expect(violations).toEqual([]);
  });
});
