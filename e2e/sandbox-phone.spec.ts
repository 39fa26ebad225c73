import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";

// The web server's sandbox secrets (playwright.config.ts: DATA_DIR = E2E_DATA_DIR or .e2e-data).
function sandboxTwilio(): { accountSid: string; authToken: string } {
  const file = path.resolve(process.env.E2E_DATA_DIR || ".e2e-data", "sandbox-secrets.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { twilio: { accountSid: string; authToken: string } }).twilio;
}

function randomUkMobile(): { e164: string; display: string } {
  const digits = String(Math.floor(100000 + Math.random() * 900000));
  return { e164: `+447400${digits}`, display: `+44 7400 ${digits}` };
}

/**
 * Sends an SMS through the emulator's REST API exactly as Twilio's API is called (Basic auth, form body). Like Twilio,
 * the emulator never refuses a message for the sender's rate: it queues it and sends it at TWILIO_MPS.
 */
async function sendThroughEmulator(request: APIRequestContext, baseURL: string, to: string, body: string) {
  const { accountSid, authToken } = sandboxTwilio();
  const response = await request.post(`/sandbox/twilio/2010-04-01/Accounts/${accountSid}/Messages.json`, {
    headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}` },
    form: { To: to, From: "+15005550006", Body: body, StatusCallback: `${baseURL}/api/twilio/status-callback` },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { sid: string; status: string };
}

test.describe("Sandbox phone", () => {
  test("a tester reads a text sent to a number, watches it get delivered, and replies STOP from that number", async ({ page, request, baseURL }) => {
    const phone = randomUkMobile();
    const text = `You are invited to Select Exposure ${Date.now()}`;
    await sendThroughEmulator(request, baseURL!, phone.e164, text);

    await page.goto("/sandbox/phone");
    await page.getByRole("link", { name: phone.display }).click();
    await expect(page.getByRole("heading", { name: `Messages for ${phone.display}` })).toBeVisible();
    const message = page.getByRole("listitem").filter({ hasText: text });
    await expect(message).toBeVisible();
    // The page refreshes itself: queued -> sent -> delivered without a reload (after any queue at TWILIO_MPS).
    await expect(message.getByText("delivered", { exact: true })).toBeVisible({ timeout: 20_000 });

    await page.getByRole("button", { name: "Reply STOP" }).click();
    const outcome = page.getByRole("status").filter({ hasText: `Reply sent from ${phone.display}` });
    await expect(outcome).toBeVisible();
    // The signed inbound webhook reached the app; its answer (200 once the inbound route exists) is shown.
    await expect(outcome).toContainText("The app's inbound webhook answered HTTP 200.");
    const reply = page.getByRole("listitem").filter({ hasText: "Reply from this phone" }).first();
    await expect(reply).toContainText("STOP");
    await expect(reply).toContainText("Inbound webhook /api/twilio/inbound answered HTTP 200");
    // Twilio itself confirms the opt-out; the app adds no second reply.
    await expect(page.getByRole("listitem").filter({ hasText: "Automatic answer from Twilio" })).toContainText("You have successfully been unsubscribed.");
    await expect(page.getByRole("listitem").filter({ hasText: "Answer from the app" })).toHaveCount(0);

    // Twilio's own record of the inbound message, through the REST API.
    const { accountSid, authToken } = sandboxTwilio();
    const listed = await request.get(`/sandbox/twilio/2010-04-01/Accounts/${accountSid}/Messages.json?${new URLSearchParams({ From: phone.e164 })}`, {
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}` },
    });
    const messages = ((await listed.json()) as { messages: { direction: string; body: string }[] }).messages;
    expect(messages).toEqual([expect.objectContaining({ direction: "inbound", body: "STOP" })]);
  });

  test("a tester replies with their own words from a number they type in", async ({ page }) => {
    const phone = randomUkMobile();
    await page.goto("/sandbox/phone");
    await page.getByLabel("Open a number").fill(phone.display);
    await page.getByRole("button", { name: "Open" }).click();
    await expect(page.getByRole("heading", { name: `Messages for ${phone.display}` })).toBeVisible();
    await page.getByLabel(`Reply from ${phone.display}`).fill("Who is this?");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Reply sent from ${phone.display}` })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "Who is this?" })).toBeVisible();
  });

  test("an empty reply is refused in plain words and nothing is sent", async ({ page }) => {
    const phone = randomUkMobile();
    await page.goto(`/sandbox/phone?${new URLSearchParams({ number: phone.e164 })}`);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Write a message before sending the reply." })).toBeVisible();
    await expect(page.getByText("No messages for this number yet.")).toBeVisible();
  });

  test("a text to a failing test number shows as undelivered with a plain reason", async ({ page, request, baseURL }) => {
    const text = `Failing invitation ${Date.now()}`;
    await sendThroughEmulator(request, baseURL!, "+15005553003", text);
    await page.goto(`/sandbox/phone?${new URLSearchParams({ number: "+15005553003" })}`);
    const message = page.getByRole("listitem").filter({ hasText: text });
    await expect(message.getByText("undelivered", { exact: true })).toBeVisible();
    await expect(message).toContainText("The message could not be delivered: the phone is switched off or out of reach. (error 30003");
  });

  test("the page has no detectable accessibility problems", async ({ page, request, baseURL }) => {
    const phone = randomUkMobile();
    await sendThroughEmulator(request, baseURL!, phone.e164, "Accessibility check");
    await page.goto(`/sandbox/phone?${new URLSearchParams({ number: phone.e164 })}`);
    await expect(page.getByRole("heading", { name: `Messages for ${phone.display}` })).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
