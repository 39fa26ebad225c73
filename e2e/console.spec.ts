import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import twilio from "twilio";
import type { Page } from "@playwright/test";
import { expect, test, verifyAge } from "./fixtures";
import { sandboxTwilioToken, verificationResultsSince } from "./members";

/** Sends a smoke signal through the API as the signed-in member of `page` (the composer has stories of its own). */
async function send(page: Page, data: { to: string; channel: "SMS" | "Email"; message: string }) {
  const res = await page.request.post("/api/accounts/smoke-signals/send", { data: { ...data, consent: true } });
  expect(res.status(), await res.text()).toBe(202);
}

/** A UK mobile number of its own. */
const mobile = () => `+447400${String(Math.floor(100000 + Math.random() * 900000))}`;
/** A recipient as the console shows it: the first three and last three characters (lib/smoke-signals/compose.ts). */
const masked = (n: string) => `${n.slice(0, 3)}${"*".repeat(n.length - 6)}${n.slice(-3)}`;
/** Goes to a console section by its link in the console's own navigation. */
const section = (admin: Page, name: string) => admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true }).click();

test.describe("Operator console", () => {
  test("only administrators get in: a member finds no console, its APIs refuse members and API tokens, signed-out visitors sign in first", async ({ page, member, admin, browser }) => {
    void member;
    await page.goto("/admin/members");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Console" })).toHaveCount(0);
    const api = await page.request.get("/api/admin/messages/export");
    expect(api.status()).toBe(403);
    expect((await api.json()).error.code).toBe("admin_only");
    const withToken = await page.request.get("/api/admin/messages/export", { headers: { authorization: "Bearer se_anything" } });
    expect(withToken.status()).toBe(403);
    expect((await withToken.json()).error.code).toBe("session_required");
    const stranger = await browser.newPage();
    await stranger.goto("/admin/usage");
    await expect(stranger).toHaveURL(/\/signin\?next=%2Fadmin/);
    await stranger.close();

    await expect(admin.getByRole("heading", { name: "Console", level: 1 })).toBeVisible();
    await section(admin, "Members");
    await expect(admin.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
    for (const path of ["/admin/members", "/admin/usage"]) {
      await admin.goto(path);
      const results = await new AxeBuilder({ page: admin }).withTags(["wcag2a", "wcag2aa"]).analyze();
      expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${path}: ${v.id}`)).toEqual([]);
    }
  });

  test("integrations: the checks run live, and refused webhooks are counted with their likely cause; credentials past 90 days are flagged", async ({ admin }) => {
    await section(admin, "Integrations");
    const checks = admin.getByRole("group", { name: "Checks" });
    await expect(checks.getByRole("row").filter({ hasText: "twilio account" })).toContainText("PASS");
    await expect(checks.getByRole("row").filter({ hasText: "TWILIO_AUTH_TOKEN age" })).toContainText("WARN");

    // A scanner without a signature, and Twilio's own signature for the https address a TLS proxy would forward.
    const params = { MessageSid: `SM${"c".repeat(32)}`, MessageStatus: "delivered" };
    const base = new URL(admin.url()).origin;
    const https = base.replace("http://", "https://");
    const form = { headers: { "content-type": "application/x-www-form-urlencoded" }, data: new URLSearchParams(params).toString() };
    expect((await admin.request.post("/api/twilio/status-callback", form)).status()).toBe(403);
    const signedElsewhere = twilio.getExpectedTwilioSignature(sandboxTwilioToken(), `${https}/api/twilio/status-callback`, params);
    const refused = await admin.request.post("/api/twilio/status-callback", { ...form, headers: { ...form.headers, "x-twilio-signature": signedElsewhere } });
    expect(refused.status()).toBe(403);

    await admin.reload();
    const causes = admin.getByRole("list", { name: "Refusals and their likely cause" });
    await expect(causes).toContainText("No X-Twilio-Signature header: not sent by Twilio");
    await expect(causes).toContainText("set APP_URL to the public URL Twilio calls");
    await expect(causes).toContainText(`Clue: Twilio signed ${https} (primary token) but APP_URL is ${base}.`);
    const refusedCells = admin.getByRole("row").filter({ hasText: "Twilio status callback" }).getByRole("cell");
    await expect(refusedCells.nth(3)).not.toHaveText("Never");
    expect(Number(await refusedCells.nth(2).textContent())).toBeGreaterThanOrEqual(2);

    await section(admin, "Credentials");
    const age = admin.getByRole("row").filter({ hasText: "TWILIO_AUTH_TOKEN" }).first();
    await expect(age).toContainText("2020-01-01");
    await expect(age).toContainText("Rotate");
    await expect(age).toContainText("more than 90: rotate it");
    await expect(admin.getByRole("note")).toContainText("No changeover under way");
  });

  test("integrations: an operator runs the checks again, sees the tally, and the run is in the audit log", async ({ admin }) => {
    await section(admin, "Integrations");
    const rerun = admin.getByRole("form", { name: "Run the checks again" });
    await rerun.getByRole("button", { name: "Run the checks again" }).click();
    // The old auth token (TWILIO_AUTH_TOKEN_ISSUED in playwright.config.ts) is a warning on every run.
    const tally = rerun.getByRole("status");
    await expect(tally).toHaveText(/^Checks run again: \d+ passed, [1-9]\d* warnings, \d+ failed\.$/);
    const [passed, warned, failed] = /(\d+) passed, (\d+) warnings, (\d+) failed/.exec((await tally.textContent())!)!.slice(1).map(Number) as [number, number, number];
    const checks = admin.getByRole("group", { name: "Checks" });
    await expect(checks.getByRole("row").filter({ has: admin.getByRole("cell", { name: "PASS", exact: true }) })).toHaveCount(passed);
    await expect(checks.getByRole("row").filter({ has: admin.getByRole("cell", { name: "WARN", exact: true }) })).toHaveCount(warned);
    await expect(checks.getByRole("row").filter({ has: admin.getByRole("cell", { name: "FAIL", exact: true }) })).toHaveCount(failed);

    await section(admin, "Audit log");
    await admin.getByLabel("Action").selectOption("doctor.run");
    await admin.getByRole("button", { name: "Filter" }).click();
    const entry = admin.getByRole("group", { name: "Audit log entries" }).getByRole("row").nth(1);
    await expect(entry).toContainText("Ran the integration checks");
    await expect(entry).toContainText("Integration checks");
    await expect(entry).toContainText(`warned${warned}`);
    await expect(entry).toContainText(/admin-.+@example\.com/);
  });

  test("a message's own page: reached from the list, the recipient masked, the failure in words and its timeline step by step", async ({ page, verified, admin }) => {
    void verified;
    await send(page, { to: "+15005553003", channel: "SMS", message: "Never reaches the handset either" });
    await section(admin, "Messages");
    await admin.getByLabel("Member (email or id)").fill(verified.email);
    await admin.getByRole("button", { name: "Filter" }).click();
    const row = admin.getByRole("group", { name: "Messages" }).getByRole("row").filter({ hasText: masked("+15005553003") });
    // The status callback saying it failed comes a moment after Twilio accepts it.
    await expect(async () => {
      await admin.reload();
      await expect(row).toContainText("30003", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await row.getByRole("link", { name: /^Message [0-9a-f]{8}, / }).click();

    await expect(admin).toHaveURL(/\/admin\/messages\/[0-9a-f-]{36}$/);
    await expect(admin.getByRole("heading", { name: `SMS to ${masked("+15005553003")}`, level: 1 })).toBeVisible();
    await expect(admin.getByText("+15005553003")).toHaveCount(0);
    const facts = admin.getByRole("region", { name: "Message" });
    const fact = (name: string) => facts.getByRole("term").filter({ hasText: new RegExp(`^${name}$`) }).locator("xpath=following-sibling::dd[1]");
    await expect(fact("Status")).toHaveText("failed");
    await expect(fact("Member")).toHaveText(verified.email);
    await expect(fact("Error")).toHaveText(/^30003 .*unreachable destination handset/);
    await expect(fact("Provider status")).toHaveText("undelivered");
    const timeline = admin.getByRole("region", { name: "Timeline" }).getByRole("listitem");
    await expect(timeline.first()).toContainText("Queued");
    await expect(timeline.filter({ hasText: "Accepted by Twilio" })).toHaveCount(1);
    await expect(timeline.filter({ hasText: "(code 30003)" })).toContainText("Twilio: undelivered");
    await expect(admin.getByText("Never reaches the handset either")).toHaveCount(0);

    await admin.getByRole("link", { name: "← Messages" }).click();
    await expect(admin.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
  });

  test("messages: an operator finds a member's SMS, sees the failure in plain words, the segments and Twilio's price, and downloads them as CSV", async ({ page, verified, admin }) => {
    const delivered = mobile();
    await send(page, { to: delivered, channel: "SMS", message: "Priced and delivered" });
    await send(page, { to: "+15005553003", channel: "SMS", message: "Never reaches the handset" });

    await section(admin, "Messages");
    // A date the browser's own date field would not let through (a hand-edited link, say).
    await admin.goto("/admin/messages?from=2026-13-45");
    await expect(admin.getByRole("alert").filter({ hasText: "Nothing is shown until the filter is fixed" })).toContainText("From is not a real date.");

    await admin.getByLabel("Member (email or id)").fill(verified.email);
    await admin.getByLabel("Channel").selectOption("SMS");
    await admin.getByRole("button", { name: "Filter" }).click();
    await expect(admin.getByText(`2 messages of ${verified.email}`)).toBeVisible();
    const table = admin.getByRole("group", { name: "Messages" });
    const ok = table.getByRole("row").filter({ hasText: masked(delivered) });
    const failed = table.getByRole("row").filter({ hasText: masked("+15005553003") });
    // Twilio prices a message a while after its final status: the price appears once the app has looked it up.
    await expect(async () => {
      await admin.reload();
      await expect(failed).toContainText("30003", { timeout: 1000 });
      await expect(ok).toContainText("0.0524 USD", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(failed.getByText("failed", { exact: true })).toBeVisible();
    await expect(failed).toContainText("unreachable destination handset (off, out of coverage, or no longer in service)");
    await expect(ok.getByText("delivered", { exact: true })).toBeVisible();
    await expect(ok).toContainText("Twilio: delivered (callback)");
    await expect(ok.getByRole("cell", { name: "1", exact: true })).toBeVisible();
    await expect(ok).not.toContainText(delivered);

    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: /Download CSV of these 2/ }).click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8").trim().split("\r\n");
    expect(csv[0]).toBe("id,created_at,channel,purpose,member,recipient,status,provider_status,error_code,error_reason,segments,price,price_unit,sent_at");
    expect(csv).toHaveLength(3);
    expect(csv.find((l) => l.includes(",30003,"))).toContain(`,SMS,smoke_signal,${verified.email},'${masked("+15005553003")},failed,undelivered,30003,`);
    expect(csv.join("\n")).not.toContain(delivered);
  });

  test("verifications: a member's age check shows up by day, with the pass rate, and its history", async ({ page, member, admin }) => {
    await verifyAge(page);
    await section(admin, "Verifications");
    await expect(admin.getByRole("img", { name: "Verification sessions per day" })).toBeVisible();
    await admin.getByLabel("Member (email or id)").fill(member.email);
    await admin.getByRole("button", { name: "Filter" }).click();
    await expect(admin.getByText("1 matching, newest first.")).toBeVisible();
    // The pass rate is that of every check in the period with a result (the page says so), as the database has them;
    // other stories add checks meanwhile, so the figure is compared again until both are read between two of them.
    await expect(async () => {
      await admin.reload();
      const period = /(\d{4}-\d{2}-\d{2}) to \d{4}-\d{2}-\d{2} \(UTC\)/.exec((await admin.getByText("Statistics cover every session").textContent()) ?? "");
      const { complete, fail } = verificationResultsSince(new Date(`${period![1]}T00:00:00Z`));
      expect(complete).toBeGreaterThanOrEqual(1);
      await expect(admin.locator(".stat").filter({ hasText: "Pass rate" }).locator("dd")).toHaveText(`${Math.round((complete / (complete + fail)) * 1000) / 10}%`, { timeout: 500 });
    }).toPass({ timeout: 10_000 });
    const row = admin.getByRole("group", { name: "Verification sessions" }).getByRole("row").nth(1);
    await expect(row).toContainText("COMPLETE");
    await expect(row).toContainText("AGE_ESTIMATION");
    await row.getByRole("link").click();
    await expect(admin.getByRole("heading", { name: "Verification session" })).toBeVisible();
    await expect(admin.getByRole("list").filter({ hasText: "COMPLETE" }).first()).toBeVisible();
    await expect(admin.getByText(member.email)).toBeVisible();
  });

  test("usage and budget: a wrong budget is refused in words and changes nothing; a budget is saved, shown and audited", async ({ admin }) => {
    await section(admin, "Usage and budget");
    await expect(admin.getByRole("img", { name: "SMS cost per day" })).toBeVisible();
    const budget = admin.getByRole("form", { name: "Monthly SMS budget" });
    await budget.getByLabel("Monthly SMS budget (USD)").fill("-5");
    await budget.getByRole("button", { name: "Save the budget" }).click();
    await expect(budget.getByRole("alert")).toHaveText("The monthly budget cannot be negative. Nothing was changed.");
    await expect(budget.getByLabel("Monthly SMS budget (USD)")).toHaveValue("-5");
    await expect(budget.getByLabel("Monthly SMS budget (USD)")).toHaveAttribute("aria-invalid", "true");

    await budget.getByLabel("Monthly SMS budget (USD)").fill("5000");
    await budget.getByLabel(/Stop sending platform SMS at 100%/).check();
    await budget.getByRole("button", { name: "Save the budget" }).click();
    await expect(budget.getByRole("status")).toHaveText("Monthly SMS budget saved.");
    await expect(admin.getByText(/of 5,000\.00 USD/)).toBeVisible();
    await expect(admin.getByText("Platform SMS stop at 100% until the 1st of next month.")).toBeVisible();

    await section(admin, "Audit log");
    await admin.getByLabel("Action").selectOption("settings.sms_budget");
    await admin.getByRole("button", { name: "Filter" }).click();
    const entry = admin.getByRole("group", { name: "Audit log entries" }).getByRole("row").nth(1);
    await expect(entry).toContainText("Changed the monthly SMS budget");
    await expect(entry).toContainText("monthlyLimit5000");
  });

  test("alert thresholds and Yoti prices: wrong figures are refused in words and change nothing; saved figures are shown and audited", async ({ admin }) => {
    await section(admin, "Usage and budget");
    const thresholds = admin.getByRole("form", { name: "Alert thresholds" });
    const delivery = thresholds.getByLabel("Alert when the delivery rate of the last 100 SMS falls below (%)");
    const pass = thresholds.getByLabel("Alert when the pass rate of the last 50 age checks falls below (%)");
    const prices = admin.getByRole("form", { name: "Yoti unit prices" });
    const currency = prices.getByLabel("Currency (three letters)");
    const estimation = prices.getByLabel("Age estimation, per session");
    // The settings are the whole site's: the story puts back what it found, for the stories running beside it.
    const before = { delivery: await delivery.inputValue(), pass: await pass.inputValue(), currency: await currency.inputValue(), estimation: await estimation.inputValue() };
    const newDelivery = before.delivery === "79" ? "78" : "79";
    const newEstimation = before.estimation === "0.25" ? "0.26" : "0.25";

    await delivery.fill("120");
    await thresholds.getByRole("button", { name: "Save the thresholds" }).click();
    await expect(thresholds.getByRole("alert")).toHaveText("The delivery rate threshold must be between 1 and 100. Nothing was changed.");
    await expect(delivery).toHaveValue("120");
    await expect(delivery).toHaveAttribute("aria-invalid", "true");
    await currency.fill("pounds");
    await prices.getByRole("button", { name: "Save the prices" }).click();
    await expect(prices.getByRole("alert")).toHaveText("Use a three-letter currency code such as GBP. Nothing was changed.");
    await admin.reload();
    await expect(delivery).toHaveValue(before.delivery);
    await expect(currency).toHaveValue(before.currency);

    await delivery.fill(newDelivery);
    await thresholds.getByRole("button", { name: "Save the thresholds" }).click();
    await expect(thresholds.getByRole("status")).toHaveText("Alert thresholds saved.");
    await currency.fill("eur");
    await estimation.fill(newEstimation);
    await prices.getByRole("button", { name: "Save the prices" }).click();
    await expect(prices.getByRole("status")).toHaveText("Yoti unit prices saved.");
    await admin.reload();
    await expect(delivery).toHaveValue(newDelivery);
    await expect(pass).toHaveValue(before.pass);
    await expect(currency).toHaveValue("EUR");
    await expect(estimation).toHaveValue(newEstimation);

    await section(admin, "Audit log");
    const entries = admin.getByRole("group", { name: "Audit log entries" }).getByRole("row");
    await admin.getByLabel("Action").selectOption("settings.alerts");
    await admin.getByRole("button", { name: "Filter" }).click();
    await expect(entries.nth(1)).toContainText("Changed the alert thresholds");
    await expect(entries.nth(1)).toContainText(`deliveryRatePercent${newDelivery}`);
    await admin.getByLabel("Action").selectOption("settings.yoti_prices");
    await admin.getByRole("button", { name: "Filter" }).click();
    await expect(entries.nth(1)).toContainText("Changed Yoti's unit prices");
    await expect(entries.nth(1)).toContainText("currencyEUR");

    await section(admin, "Usage and budget");
    await delivery.fill(before.delivery);
    await thresholds.getByRole("button", { name: "Save the thresholds" }).click();
    await expect(thresholds.getByRole("status")).toHaveText("Alert thresholds saved.");
    await currency.fill(before.currency);
    await estimation.fill(before.estimation);
    await prices.getByRole("button", { name: "Save the prices" }).click();
    await expect(prices.getByRole("status")).toHaveText("Yoti unit prices saved.");
  });

  test("suppression lists: a number that texted STOP is found, shown with how it arrived, and removed only with a reason", async ({ page, admin }) => {
    const number = mobile();
    await page.goto(`/sandbox/phone?${new URLSearchParams({ number })}`);
    await page.getByRole("button", { name: "Reply STOP" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The app's inbound webhook answered HTTP 200." })).toBeVisible();

    await section(admin, "Suppression lists");
    await admin.getByLabel("Number or email address").fill(number.slice(-6));
    await admin.getByRole("button", { name: "Search" }).click();
    const entry = admin.getByRole("list", { name: "SMS opt-outs" }).getByRole("listitem");
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText("The number texted “STOP” to our number");
    await entry.getByText(`Remove ${masked(number)}`).click();
    const form = entry.getByRole("form");
    await form.getByRole("button", { name: "Remove from the list" }).click();
    await expect(form.getByRole("alert")).toContainText("Give a reason: it goes in the audit log. Nothing was changed.");
    await form.getByLabel("Reason (for the audit log)").fill("They asked us by email to receive invitations again");
    await form.getByRole("button", { name: "Remove from the list" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "The number is off the SMS opt-out list." })).toContainText("Twilio keeps its own opt-out until the number texts START");
    await expect(admin.getByLabel("Number or email address")).toHaveValue(number.slice(-6));
    await expect(admin.getByText("No number matches.")).toBeVisible();
  });

  test("suppression lists: an address that unsubscribed is found and removed only with a reason; invitations to it are accepted again", async ({ page, member, admin }) => {
    void member;
    const address = `unsub-${Date.now()}-${Math.floor(Math.random() * 1000)}@example.org`;
    await send(page, { to: address, channel: "Email", message: "Come and see" });
    const mail = page.getByRole("article").filter({ hasText: address });
    await expect(async () => {
      await page.goto(`/sandbox/mail?to=${encodeURIComponent(address)}`);
      await expect(mail).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 20_000 });
    await page.goto(new URL((await mail.getByRole("link", { name: /\/unsubscribe\// }).getAttribute("href"))!).pathname);
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(page.getByRole("status")).toContainText("will get no more invitations");
    const refused = await page.request.post("/api/accounts/smoke-signals/send", { data: { to: address, channel: "Email", message: "Again", consent: true } });
    expect(refused.status()).toBe(400);

    await section(admin, "Suppression lists");
    await admin.getByLabel("Number or email address").fill(address);
    await admin.getByRole("button", { name: "Search" }).click();
    const entry = admin.getByRole("list", { name: "Email unsubscribes" }).getByRole("listitem");
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(address);
    await entry.getByText(`Remove ${address}`).click();
    const form = entry.getByRole("form", { name: `Remove ${address} from the email unsubscribe list` });
    await form.getByRole("button", { name: "Remove from the list" }).click();
    await expect(form.getByRole("alert")).toContainText("Give a reason: it goes in the audit log. Nothing was changed.");
    await expect(entry).toHaveCount(1);
    await form.getByLabel("Reason (for the audit log)").fill("They wrote to say the unsubscribe was a mistake");
    await form.getByRole("button", { name: "Remove from the list" }).click();
    await expect(admin.getByRole("status")).toHaveText("The address is off the email unsubscribe list: invitations to it are accepted again.");
    await expect(admin.getByLabel("Number or email address")).toHaveValue(address);
    await expect(admin.getByText("No address matches.")).toBeVisible();
    await send(page, { to: address, channel: "Email", message: "Welcome back" });

    await section(admin, "Audit log");
    await admin.getByLabel("Administrator or target").fill(address);
    await admin.getByRole("button", { name: "Filter" }).click();
    const log = admin.getByRole("group", { name: "Audit log entries" }).getByRole("row").filter({ hasText: "Removed an address from the email unsubscribe list" });
    await expect(log).toHaveCount(1);
    await expect(log).toContainText("They wrote to say the unsubscribe was a mistake");
  });

  test("members: an administrator makes a member an administrator and back; the list and the audit log show each change", async ({ member, admin }) => {
    await section(admin, "Members");
    await admin.getByLabel("Email, screen name or id").fill(member.email);
    await admin.getByRole("button", { name: "Search" }).click();
    const row = admin.getByRole("row").filter({ hasText: member.email });
    await expect(row.getByRole("cell", { name: "Member", exact: true })).toBeVisible();
    await row.getByRole("link", { name: member.email }).click();

    const role = admin.getByRole("form", { name: "Change the role" });
    await expect(role.getByLabel("Role")).toHaveValue("admin");
    await role.getByLabel("Reason (optional, for the audit log)").fill("Runs the summer contest");
    await role.getByRole("button", { name: "Change the role" }).click();
    await expect(admin.getByRole("status")).toHaveText(`${member.email} is now an administrator.`);
    const roleFact = admin.getByRole("term").filter({ hasText: /^Role$/ }).locator("xpath=following-sibling::dd[1]");
    await expect(roleFact).toHaveText("Administrator");

    await section(admin, "Members");
    await admin.getByLabel("Email, screen name or id").fill(member.email);
    await admin.getByLabel("Role").selectOption("admin");
    await admin.getByRole("button", { name: "Search" }).click();
    await expect(row.getByRole("cell", { name: "Administrator", exact: true })).toBeVisible();
    await row.getByRole("link", { name: member.email }).click();

    await expect(role.getByLabel("Role")).toHaveValue("member");
    await role.getByRole("button", { name: "Change the role" }).click();
    await expect(admin.getByRole("status")).toHaveText(`${member.email} is now a member.`);
    await expect(roleFact).toHaveText("Member");

    await section(admin, "Audit log");
    await admin.getByLabel("Administrator or target").fill(member.email);
    await admin.getByRole("button", { name: "Filter" }).click();
    const changes = admin.getByRole("group", { name: "Audit log entries" }).getByRole("row").filter({ hasText: "Changed a member's role" });
    await expect(changes).toHaveCount(2);
    await expect(changes.filter({ hasText: "Runs the summer contest" })).toContainText("roleadmin");
  });

  test("overview: a refused webhook raises the figure and puts it under Needs attention with a link to its cause; the old auth token is listed too", async ({ admin }) => {
    const figure = admin.locator(".stat").filter({ hasText: "Webhooks refused (24 h)" }).getByRole("definition");
    const before = Number((await figure.textContent())!.replace(/,/g, ""));
    const form = { headers: { "content-type": "application/x-www-form-urlencoded" }, data: new URLSearchParams({ MessageSid: `SM${"d".repeat(32)}`, MessageStatus: "delivered" }).toString() };
    expect((await admin.request.post("/api/twilio/status-callback", form)).status()).toBe(403);

    await admin.reload();
    expect(Number((await figure.textContent())!.replace(/,/g, ""))).toBeGreaterThan(before);
    const todo = admin.getByRole("region", { name: "Needs attention" }).getByRole("listitem");
    await expect(todo.filter({ hasText: "refused in the last 24 hours" })).toContainText(/^[\d,]+ webhook request\(s\) refused in the last 24 hours/);
    await expect(todo.filter({ hasText: "TWILIO_AUTH_TOKEN:" })).toContainText("rotate it");
    await expect(todo.filter({ hasText: "Nothing: no refused webhooks" })).toHaveCount(0);
    await todo.getByRole("link", { name: "see the likely causes" }).click();
    await expect(admin.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
    await expect(admin.getByRole("list", { name: "Refusals and their likely cause" })).toContainText("No X-Twilio-Signature header: not sent by Twilio");
  });

  test("members: disabling ends the member's session and API token, enabling restores them; deletion needs the email typed", async ({ page, member, admin }) => {
    await page.getByLabel("Token name").fill("console story");
    await page.getByLabel(/I confirm that everyone I invite through the API/).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByLabel("New API token").inputValue();
    const asScript = (t: string) => page.request.get("/api/accounts/smoke-signals", { headers: { authorization: `Bearer ${t}` } });
    expect((await asScript(token)).status()).toBe(200);

    await section(admin, "Members");
    await admin.getByLabel("Email, screen name or id").fill(member.email);
    await admin.getByRole("button", { name: "Search" }).click();
    const row = admin.getByRole("row").filter({ hasText: member.email });
    await expect(row).toContainText("Not verified");
    await row.getByRole("link", { name: member.email }).click();

    const disable = admin.getByRole("form", { name: "Disable this member" });
    await disable.getByRole("button", { name: "Disable the account" }).click();
    await expect(disable.getByRole("alert")).toContainText("Give a reason");
    await disable.getByLabel("Reason (for the audit log)").fill("Spam complaints");
    await disable.getByRole("button", { name: "Disable the account" }).click();
    await expect(admin.getByRole("status").filter({ hasText: `${member.email} is disabled` })).toContainText("1 session was ended");
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/signin/);
    expect((await asScript(token)).status()).toBe(401);

    await admin.getByRole("form", { name: "Enable this member" }).getByRole("button", { name: "Enable the account" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "is enabled again" })).toBeVisible();
    expect((await asScript(token)).status()).toBe(200);

    const del = admin.getByRole("form", { name: "Delete this account" });
    await del.getByLabel(`Type ${member.email} to confirm`).fill("someone@else.example");
    await del.getByLabel("Reason (for the audit log)").fill("Asked by phone");
    await del.getByRole("button", { name: "Delete the account" }).click();
    await expect(del.getByRole("alert")).toContainText("Type the member's email address exactly");
    await del.getByLabel(`Type ${member.email} to confirm`).fill(member.email);
    await del.getByRole("button", { name: "Delete the account" }).click();
    await expect(admin).toHaveURL(/\/admin\/members\?done=deleted$/);
    await expect(admin.getByRole("status")).toContainText("The account was deleted");
    expect((await asScript(token)).status()).toBe(401);

    await section(admin, "Audit log");
    await admin.getByLabel("Administrator or target").fill(member.email);
    await admin.getByRole("button", { name: "Filter" }).click();
    const log = admin.getByRole("group", { name: "Audit log entries" });
    await expect(log).toContainText("Deleted a member's account");
    await expect(log).toContainText("Enabled a member");
    await expect(log).toContainText("Spam complaints");
  });

  test("privacy: a member downloads their data and deletes their account; the retention job runs from the console", async ({ page, member, admin, browser }) => {
    await send(page, { to: `friend-${Date.now()}@example.org`, channel: "Email", message: "See you there" });
    await page.goto("/profile");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download my data" }).click()]);
    const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
    expect(data.format).toBe("select-exposure-member-export/1");
    expect(data.account.email).toBe(member.email);
    expect(data.smokeSignals).toHaveLength(1);
    expect(data.consents.smokeSignals[0].consent).toBe("ui");
    expect(JSON.stringify(data)).not.toContain("passwordHash");

    const form = page.getByRole("form", { name: "Delete my account" });
    await form.getByLabel("Your password").fill("not my password");
    await form.getByLabel("I understand that my account cannot be restored").check();
    await form.getByRole("button", { name: "Delete my account" }).click();
    await expect(form.getByRole("alert")).toHaveText("That is not your password. Nothing was deleted.");
    await form.getByLabel("Your password").fill(member.password);
    await form.getByLabel("I understand that my account cannot be restored").check();
    await form.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/signin\?deleted=1$/);
    await expect(page.getByRole("status")).toHaveText("Your account has been deleted, and you are signed out everywhere.");
    const again = await browser.newPage();
    await again.goto("/signin");
    await again.getByLabel("Email").fill(member.email);
    await again.getByLabel("Password", { exact: true }).fill(member.password);
    await again.getByRole("button", { name: "Sign in" }).click();
    await expect(again.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
    await again.close();

    await section(admin, "Privacy");
    await expect(admin.getByRole("list", { name: "Smoke signals of deleted members" })).toContainText("Email smoke signal(s)");
    await admin.getByRole("button", { name: "Run retention now" }).click();
    await expect(admin.getByRole("status").filter({ hasText: "Retention ran" })).toBeVisible();
    await expect(admin.getByText(/started by admin-/)).toBeVisible();
    const purged = admin.getByRole("list", { name: "What the last retention run purged" });
    await expect(purged).toContainText("message bodies purged");
    await expect(purged).toContainText("sign-in sessions forgotten, with their address and browser");
    await expect(purged).toContainText("emailed links and requests forgotten (a week after they expired)");
    await expect(admin.getByText(/Emailed links and the requests recorded with them .* are forgotten a week after they expire/)).toBeVisible();
  });
});
