// Announcements (contests and wins) as an admin and members meet them: members agree to emails and, separately, to
// texts on their preferences page; the admin writes one, sees who gets it, the text as sent with its segments and the
// estimated cost, sends it once and watches it reach everyone; the texts carry the opt-out line and go only to the
// member who agreed to them. A member stops announcement emails from the link at the foot of one, and takes it back.
import AxeBuilder from "@axe-core/playwright";
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { dramaNumber, expect, linkIn, newAccount, test, visitorAddress, waitForMail } from "./fixtures";
import { confirmContact, forgetAnnouncementChoices, signedInMember } from "./members";

/** A member signed in in a context of their own, with a confirmed address and a verified mobile number. */
async function memberWithPhone(browser: Browser, baseURL: string) {
  const address = visitorAddress();
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
  const account = newAccount();
  const made = await signedInMember(context, baseURL, { ...account, address });
  const phone = dramaNumber();
  confirmContact(made.id, { phone: phone.e164 });
  return { ...account, phone, page: await context.newPage(), close: () => context.close() };
}

async function chooseAnnouncements(page: Page, opts: { email: boolean; sms: boolean }) {
  await page.goto("/profile/preferences");
  const section = page.getByRole("form", { name: "Announcements" });
  await expect(section.getByRole("checkbox", { name: "Show announcements in the app" })).toBeChecked();
  await expect(section.getByRole("checkbox", { name: "Text me announcements (contests and wins)" })).not.toBeChecked();
  await expect(section.getByRole("checkbox", { name: "Text me announcements (contests and wins)" })).toHaveAccessibleDescription(/Separate from alerts and invitations/);
  if (opts.email) await section.getByRole("checkbox", { name: "Email me announcements (contests and wins)" }).check();
  if (opts.sms) await section.getByRole("checkbox", { name: "Text me announcements (contests and wins)" }).check();
  await section.getByRole("button", { name: "Save announcement choices" }).click();
  await expect(section.getByRole("status")).toHaveText("Saved. Announcements will come as you chose.");
  if (opts.sms) await expect(section.getByRole("checkbox", { name: "Text me announcements (contests and wins)" })).toHaveAccessibleDescription(/^You agreed on .+ UTC, for \+447700900\d{3}\./);
}

test.describe("Announcements", () => {
  // One after another, not beside each other: every story here that sends counts the members who opted in.
  test.describe.configure({ mode: "default" });

  test("an admin previews recipients, segments and cost, sends once and watches every message go; texts only to the member who agreed, with the opt-out line", async ({ admin, browser, baseURL }) => {
    // The audience who opted in is exactly this story's two members, also on a retry after its first attempt opted in two.
    forgetAnnouncementChoices();
    const texted = await memberWithPhone(browser, baseURL!);
    const notTexted = await memberWithPhone(browser, baseURL!);
    await chooseAnnouncements(texted.page, { email: true, sms: true });
    await chooseAnnouncements(notTexted.page, { email: true, sms: false });

    const title = `Summer contest ${randomUUID().slice(0, 6)}`;
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Announcements" }).click();
    await expect(admin.getByRole("heading", { name: "Announcements", level: 1 })).toBeVisible();
    const form = admin.getByRole("form", { name: "Write an announcement" });

    // Bad input is refused in words beside its field, and nothing is saved.
    await form.getByRole("textbox", { name: "Announcement" }).fill("Send us your best photo by 31 July. The winner is announced on 5 August.");
    await form.getByRole("checkbox", { name: "In the app" }).uncheck();
    await form.getByRole("button", { name: "Preview before sending" }).click();
    await expect(form.getByRole("alert")).toHaveText("Give the announcement a title. Nothing was saved.");
    await expect(form.getByRole("textbox", { name: "Title" })).toHaveAccessibleDescription("Give the announcement a title.");
    // Other stories' announcements may be listed (they run beside this one): none without a title is.
    await expect(admin.getByRole("list", { name: "Announcements" }).getByRole("listitem").filter({ hasNot: admin.getByRole("link", { name: /\S/ }) })).toHaveCount(0);

    await form.getByRole("textbox", { name: "Title" }).fill(title);
    await form.getByRole("button", { name: "Preview before sending" }).click();
    await expect(form.getByRole("alert")).toHaveText("Choose at least one way to send it: in the app, email or SMS. Nothing was saved.");

    await form.getByRole("radio", { name: "Members who opted in to announcements (email or SMS)" }).check();
    for (const channel of ["In the app", "Email", "SMS"]) await form.getByRole("checkbox", { name: channel, exact: true }).check();
    await expect(form.getByText(/As a text message: \d+ of 1,600 characters with the opt-out line, 1 segment \(GSM-7\)\./)).toBeVisible();
    await form.getByRole("button", { name: "Preview before sending" }).click();

    // The preview: who gets it on each channel, the text as sent, its segments and the estimated cost.
    await expect(admin.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    const draftUrl = admin.url();
    const stat = (name: string) => admin.getByLabel("Recipients", { exact: true }).locator(".stat").filter({ has: admin.getByRole("term").getByText(name, { exact: true }) }).getByRole("definition");
    await expect(stat("Members in the audience")).toHaveText("2");
    await expect(stat("In the app")).toHaveText("2");
    await expect(stat("Email")).toHaveText("2");
    await expect(stat("SMS")).toHaveText("1");
    const sms = admin.getByLabel("The text message as sent");
    await expect(sms).toContainText(`Select Exposure: ${title}`);
    await expect(sms).toContainText(/Reply STOP to opt out\.$/);
    await expect(admin.getByText(/characters, GSM-7: 1 segment per message, 1 segments in all\./)).toBeVisible();
    await expect(admin.getByText("Estimated cost: 0.0524 USD")).toBeVisible();
    await expect(admin.getByText(/an estimate at Twilio’s list prices per segment/)).toBeVisible();
    await expect(admin.getByRole("list", { name: "Cost by country" })).toHaveText("United Kingdom: 1 × 1 × 0.0524 USD = 0.0524 USD");

    const preview = await new AxeBuilder({ page: admin }).analyze();
    expect(preview.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

    // A second tab left on the draft: its Send, clicked after the first, is refused in words and sends nothing again.
    const secondTab = await admin.context().newPage();
    await secondTab.goto(draftUrl);
    await admin.getByRole("button", { name: "Send to 2 members" }).click();

    // Progress updates by itself until every message has gone.
    const progress = admin.getByRole("list", { name: "Progress" });
    await expect(progress.getByRole("listitem")).toHaveText(["In the app: 2 of 2 shown", "Email: 2 of 2 sent", "SMS: 1 of 1 sent, 1 delivered"], { timeout: 30_000 });
    await expect(admin.getByText("Done.")).toBeVisible();

    await secondTab.getByRole("button", { name: "Send to 2 members" }).click();
    await expect(secondTab.getByRole("form", { name: "Send this announcement" }).getByRole("alert")).toContainText(/This announcement was sent already \(by admin-.+@example\.com on .+ UTC\)\. An announcement is sent once; nothing was sent again\./);
    await secondTab.close();

    // The member who agreed to texts gets one, with the opt-out line; the other gets none.
    await texted.page.goto(`/sandbox/phone?number=${encodeURIComponent(texted.phone.e164)}`);
    const text = texted.page.getByRole("listitem").filter({ hasText: title });
    await expect(text).toHaveCount(1);
    await expect(text).toContainText("Reply STOP to opt out.");
    await notTexted.page.goto(`/sandbox/phone?number=${encodeURIComponent(notTexted.phone.e164)}`);
    await expect(notTexted.page.getByRole("listitem").filter({ hasText: title })).toHaveCount(0);

    // Both get the email, with its one-click unsubscribe, and see it behind the bell.
    for (const m of [texted, notTexted]) {
      const mail = await waitForMail(m.page, m.email, title);
      await expect(mail).toContainText("Send us your best photo by 31 July.");
      await expect(mail.locator("dt:text-is('List-Unsubscribe')")).toHaveCount(1);
      await m.page.goto("/profile");
      await m.page.getByRole("link", { name: "Notifications, 1 unread" }).click();
      await expect(m.page.getByRole("listitem").filter({ hasText: title })).toContainText("Send us your best photo by 31 July.");
    }

    // The audit log names the admin's two actions.
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
    await expect(admin.getByRole("row").filter({ hasText: "Sent an announcement" }).filter({ hasText: title })).toHaveCount(1);
    await expect(admin.getByRole("row").filter({ hasText: "Wrote an announcement" }).filter({ hasText: title })).toHaveCount(1);

    const { violations } = await new AxeBuilder({ page: texted.page }).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await texted.close();
    await notTexted.close();
  });

  test("an admin discards a draft: nothing is sent, it stays listed as discarded, and the audit log names it", async ({ admin }) => {
    const title = `Draft never sent ${randomUUID().slice(0, 6)}`;
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Announcements" }).click();
    const form = admin.getByRole("form", { name: "Write an announcement" });
    await form.getByRole("textbox", { name: "Title" }).fill(title);
    await form.getByRole("textbox", { name: "Announcement" }).fill("A contest we thought better of.");
    await form.getByRole("button", { name: "Preview before sending" }).click();
    await expect(admin.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    const draftUrl = admin.url();

    await admin.getByRole("form", { name: "Discard this draft" }).getByRole("button", { name: "Discard the draft" }).click();
    await expect(admin).toHaveURL(/\/admin\/announcements\?done=discarded$/);
    await expect(admin.getByRole("status")).toHaveText("The draft was discarded; nothing was sent.");
    const listed = admin.getByRole("list", { name: "Announcements" }).getByRole("listitem").filter({ hasText: title });
    await expect(listed).toContainText(`${title} — Discarded`);

    await listed.getByRole("link", { name: title }).click();
    await expect(admin).toHaveURL(draftUrl);
    await expect(admin.getByText("This draft was discarded; it was never sent.")).toBeVisible();
    await expect(admin.getByRole("button", { name: /^Send to / })).toHaveCount(0);
    await expect(admin.getByRole("button", { name: "Discard the draft" })).toHaveCount(0);
    await expect(admin.getByRole("term").filter({ hasText: /^Sent$/ })).toHaveCount(0);

    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit log" }).click();
    await expect(admin.getByRole("row").filter({ hasText: "Discarded an announcement" }).filter({ hasText: title })).toHaveCount(1);
    await expect(admin.getByRole("row").filter({ hasText: "Sent an announcement" }).filter({ hasText: title })).toHaveCount(0);
  });

  test("a member without a verified number is not offered texts, and the progress API answers JSON errors", async ({ page, member, admin }) => {
    void member;
    await page.goto("/profile/preferences");
    const section = page.getByRole("form", { name: "Announcements" });
    await expect(section.getByRole("checkbox", { name: "Text me announcements (contests and wins)" })).toHaveCount(0);
    await expect(section.getByText(/Texts go only to a mobile number you have verified on your profile/)).toBeVisible();
    const asMember = await page.request.get("/api/admin/announcements/nope/progress");
    expect(asMember.status()).toBe(403);
    expect((await asMember.json()).error.code).toBe("admin_only");
    const unknown = await admin.request.get("/api/admin/announcements/nope/progress");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "not_found", message: "This announcement was not found." } });
  });

  test("a member stops announcement emails from the link at the foot of one, and takes it back on the same page", async ({ admin, browser, baseURL }) => {
    const reader = await memberWithPhone(browser, baseURL!);
    await chooseAnnouncements(reader.page, { email: true, sms: false });

    const title = `Photo walk ${randomUUID().slice(0, 6)}`;
    await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Announcements" }).click();
    const form = admin.getByRole("form", { name: "Write an announcement" });
    await form.getByRole("textbox", { name: "Title" }).fill(title);
    await form.getByRole("textbox", { name: "Announcement" }).fill("A photo walk along the river on Saturday.");
    await form.getByRole("radio", { name: "Members who opted in to announcements (email or SMS)" }).check();
    await form.getByRole("checkbox", { name: "In the app" }).uncheck();
    await form.getByRole("checkbox", { name: "Email", exact: true }).check();
    await form.getByRole("button", { name: "Preview before sending" }).click();
    await expect(admin.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await admin.getByRole("button", { name: /^Send to \d+ members?$/ }).click();
    await expect(admin.getByText("Done.")).toBeVisible({ timeout: 30_000 });

    const mail = await waitForMail(reader.page, reader.email, title);
    const unsubscribe = await linkIn(mail, "/unsubscribe/");
    const masked = `${reader.email[0]}***@example.com`;
    const emails = reader.page.getByRole("form", { name: "Announcements" }).getByRole("checkbox", { name: "Email me announcements (contests and wins)" });

    await reader.page.goto(unsubscribe);
    await expect(reader.page.getByRole("heading", { name: "Stop announcement emails", level: 1 })).toBeVisible();
    await expect(reader.page.getByText(`Stop emails about Select Exposure announcements (contests and wins) to ${masked}?`)).toBeVisible();
    await reader.page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(reader.page.getByRole("status")).toHaveText(`Done: ${masked} will get no more announcement emails.`);
    await reader.page.goto("/profile/preferences");
    await expect(emails).not.toBeChecked();

    // Back on the link later: it says it is done, and offers the undo.
    await reader.page.goto(unsubscribe);
    await expect(reader.page.getByRole("status")).toHaveText(`Done: ${masked} will get no more announcement emails.`);
    await reader.page.getByRole("button", { name: "I changed my mind: email me announcements again" }).click();
    await expect(reader.page.getByRole("status")).toHaveText(`${masked} will get announcement emails again.`);
    await reader.page.goto("/profile/preferences");
    await expect(emails).toBeChecked();
    await reader.close();
  });
});
