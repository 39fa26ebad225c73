// Account alerts as a member meets them: the bell and the notifications list, the emails, and the preferences page
// with its rules (a security alert always keeps one way to reach the member; SMS only to a verified number), and an
// activity alert's unsubscribe link with its undo.
import AxeBuilder from "@axe-core/playwright";
import { expect, historyRow, joinThrough, linkIn, newAccount, sendSignal, signIn, test, visitorAddress, waitForMail } from "./fixtures";
import { signedInMember } from "./members";

test.describe("Account alerts", () => {
  test("a sign-in from a new browser and a new API token are alerted in the app and by email; the bell counts them and the list marks them read", async ({ page, member, browser }) => {
    await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();

    // The member signs in on another computer: a browser this account has never seen.
    const laptop = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": visitorAddress() } });
    await signIn(await laptop.newPage(), member);
    await laptop.close();
    const signInMail = await waitForMail(page, member.email, "New sign-in to your Select Exposure account");
    await expect(signInMail).toContainText("from a device it had not been used on before");
    await expect(signInMail).toContainText("/profile/preferences");
    await expect(signInMail.locator("dt:text-is('List-Unsubscribe')")).toHaveCount(0);

    await page.goto("/profile");
    await page.getByLabel("Token name").fill("backup script");
    await page.getByLabel("I confirm that everyone I invite through the API has agreed to receive the message").check();
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByLabel("New API token")).toBeVisible();
    await waitForMail(page, member.email, "A new API token was created for your account");

    await page.goto("/profile");
    await page.getByRole("link", { name: "Notifications, 2 unread" }).click();
    await expect(page.getByRole("heading", { name: "2 unread" })).toBeVisible();
    const token = page.getByRole("listitem").filter({ hasText: "A new API token “backup script” was created for your account." });
    await expect(token).toContainText("Security");
    await expect(page.getByRole("listitem", { name: /^Unread: New sign-in to your account from/ })).toBeVisible();
    await token.getByRole("button", { name: /^Mark read/ }).click();
    await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "1 unread" })).toBeVisible();
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect(page.getByRole("heading", { name: "Nothing unread" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  });

  test("preferences: a security alert cannot lose its last channel, SMS is explained instead of offered, and a saved choice holds", async ({ page, member }) => {
    void member;
    await page.goto("/profile");
    await page.getByRole("link", { name: "Choose how you hear about each" }).click();
    await expect(page.getByRole("heading", { name: "Alerts and preferences", level: 1 })).toBeVisible();
    await expect(page.getByRole("note")).toContainText("Text message alerts go only to a mobile number you have verified on your profile");
    await expect(page.getByRole("checkbox", { name: "Password changed: SMS" })).toHaveCount(0);

    await page.getByRole("checkbox", { name: "Password changed: In the app" }).uncheck();
    await page.getByRole("checkbox", { name: "Password changed: Email" }).uncheck();
    await page.getByRole("checkbox", { name: "Someone joined through your invitation: Email" }).check();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Not saved." })).toContainText("Keep at least one way to hear about “Password changed”: it is a security alert.");
    await expect(page.getByRole("checkbox", { name: "Password changed: Email" })).toHaveAccessibleDescription("Keep at least one way to hear about “Password changed”: it is a security alert.");
    // Nothing was saved, not even the allowed change.
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "Password changed: Email" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Someone joined through your invitation: Email" })).not.toBeChecked();

    await page.getByRole("checkbox", { name: "Password changed: In the app" }).uncheck();
    await page.getByRole("checkbox", { name: "Sign-in from a new device: Email" }).uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "Password changed: In the app" })).not.toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Password changed: Email" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Sign-in from a new device: In the app" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Sign-in from a new device: Email" })).not.toBeChecked();
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  });

  test("an activity alert's email is stopped from the link at its foot, and the member changes their mind on the same page", async ({ page, verified, browser }) => {
    await page.goto("/profile/preferences");
    const byEmail = page.getByRole("checkbox", { name: "Someone joined through your invitation: Email" });
    await byEmail.check();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

    const invitee = newAccount("joiner");
    await sendSignal(page, { channel: "Email", to: invitee.email, message: "Come and join" });
    await expect(historyRow(page, "Come and join").getByText("Delivered")).toBeVisible({ timeout: 15_000 });
    const invitation = await waitForMail(page, invitee.email, "Come and join");
    await joinThrough(browser, (await invitation.getByRole("link", { name: /\/join\// }).first().getAttribute("href"))!, invitee);
    const alert = await waitForMail(page, verified.email, "Your invitee joined Select Exposure");
    const unsubscribe = await linkIn(alert, "/unsubscribe/");

    const masked = `${verified.email[0]}***@example.com`;
    const label = "“Someone joined through your invitation”";
    await page.goto(unsubscribe);
    await expect(page.getByRole("heading", { name: "Stop these alert emails", level: 1 })).toBeVisible();
    await expect(page.getByText(`Stop emails about ${label} to ${masked}?`)).toBeVisible();
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(page.getByRole("status")).toHaveText(`Done: ${masked} will get no more emails about ${label}.`);
    await page.goto("/profile/preferences");
    await expect(byEmail).not.toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Someone joined through your invitation: In the app" })).toBeChecked();

    // Back on the link later: it says it is done, and offers the undo.
    await page.goto(unsubscribe);
    await expect(page.getByRole("status")).toHaveText(`Done: ${masked} will get no more emails about ${label}.`);
    await page.getByRole("button", { name: "I changed my mind: email me these again" }).click();
    await expect(page.getByRole("status")).toHaveText(`${masked} will get emails about ${label} again.`);
    await expect(page.getByRole("button", { name: "Unsubscribe" })).toBeVisible();
    await page.goto("/profile/preferences");
    await expect(byEmail).toBeChecked();
  });

  test("the alert APIs answer JSON: preferences refused per event, another member's notification a 404, an API token cannot manage the account", async ({ page, member, browser, baseURL }) => {
    void member;
    // Another member, in a browser of their own, with a notification of their own: a new API token's alert.
    const address = visitorAddress();
    const otherContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address } });
    await signedInMember(otherContext, baseURL!, { ...newAccount("other"), address });
    const other = await otherContext.newPage();
    await other.goto("/profile");
    await other.getByLabel("Token name").fill("their script");
    await other.getByLabel("I confirm that everyone I invite through the API has agreed to receive the message").check();
    await other.getByRole("button", { name: "Create token" }).click();
    await expect(other.getByLabel("New API token")).toBeVisible();
    const theirs = await (await other.request.get("/api/accounts/notifications")).json();
    expect(theirs.unread).toBe(1);
    const theirId: string = theirs.items[0].id;

    const prefs = await page.request.get("/api/accounts/alert-preferences");
    expect(prefs.status()).toBe(200);
    expect((await prefs.json()).sms).toEqual({ available: false, why: expect.stringContaining("verified") });
    const allOff = await page.request.put("/api/accounts/alert-preferences", { data: { events: { email_changed: { inApp: false, email: false, sms: false } } } });
    expect(allOff.status()).toBe(400);
    expect((await allOff.json()).error).toMatchObject({ code: "invalid_preferences", fields: { email_changed: expect.stringContaining("Keep at least one way") } });
    const sms = await page.request.put("/api/accounts/alert-preferences", { data: { events: { invitee_joined: { inApp: true, email: false, sms: true } } } });
    expect((await sms.json()).error.fields.invitee_joined).toContain("verified");
    const unknown = await page.request.put("/api/accounts/alert-preferences", { data: { events: { pizza_ready: { inApp: true, email: true, sms: false } } } });
    expect(unknown.status()).toBe(400);

    const notMine = await page.request.post("/api/accounts/notifications/read", { data: { id: theirId } });
    expect(notMine.status()).toBe(404);
    expect((await notMine.json()).error.code).toBe("not_found");
    // The same answer as for an id that was never issued: nothing says the notification exists.
    const madeUp = await page.request.post("/api/accounts/notifications/read", { data: { id: "00000000-0000-4000-8000-000000000000" } });
    expect(madeUp.status()).toBe(404);
    expect(await madeUp.json()).toEqual(await notMine.json());
    expect((await (await other.request.get("/api/accounts/notifications")).json()).unread).toBe(1);
    await otherContext.close();
    const list = await page.request.get("/api/accounts/notifications");
    expect(await list.json()).toEqual({ items: [], next: null, unread: 0 });

    await page.goto("/profile");
    await page.getByLabel("Token name").fill("script");
    await page.getByLabel("I confirm that everyone I invite through the API has agreed to receive the message").check();
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByLabel("New API token").inputValue();
    const withToken = await page.request.get("/api/accounts/alert-preferences", { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status()).toBe(403);
    expect((await withToken.json()).error.code).toBe("session_required");
    const read = await page.request.post("/api/accounts/notifications/read", { data: { all: true } });
    expect(await read.json()).toEqual({ unread: 0 });
  });
});
