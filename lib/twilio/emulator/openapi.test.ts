// Fidelity: every emulator answer the app relies on validates against the operation's response schema in Twilio's
// own OpenAPI description (lib/twilio/openapi, MIT), made strict: every documented field present, nothing extra.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { errorValidator, expectValid, openApi } from "@/lib/testing/openapi";
import { servedEmulator, webhookReceiver } from "@/lib/testing/twilio";

type Json = Record<string, unknown>;
const responseValidator = openApi("twilio_api_v2010.json");

const M = "/2010-04-01/Accounts/{AccountSid}/Messages.json";
const ONE = "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json";

describe("the emulator speaks Twilio's OpenAPI contract", () => {
  let twilio: Awaited<ReturnType<typeof servedEmulator>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let auth: string;
  let base: string;
  const call = (p: string, init: RequestInit = {}) =>
    fetch(`${base}${p}`, { ...init, headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded", ...init.headers } });
  const send = (fields: Record<string, string>) => call("/Messages.json", { method: "POST", body: new URLSearchParams(fields).toString() });

  beforeAll(async () => {
    twilio = await servedEmulator(testDb(), { mps: 1000 });
    receiver = await webhookReceiver(twilio.config.authToken);
    twilio.emulator.context.inboundUrl = `${receiver.url}/inbound`;
    auth = `Basic ${Buffer.from(`${twilio.config.accountSid}:${twilio.config.authToken}`).toString("base64")}`;
    base = `${twilio.url}/2010-04-01/Accounts/${twilio.config.accountSid}`;
  });
  afterAll(async () => {
    await twilio.close();
    await receiver.close();
  });

  it("is strict enough to catch drift: a missing field, an extra field or a wrong date format fails", async () => {
    const validate = responseValidator(ONE, "get", "200");
    const res = await send({ To: "+447400123456", From: "+15005550006", Body: "drift" });
    const good = (await res.json()) as Json;
    expectValid(validate, good);
    const missing = { ...good };
    delete missing.price;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    expect(validate({ ...good, date_created: new Date().toISOString() })).toBe(false);
    expect(validate({ ...good, status: "lost" })).toBe(false);
  });

  it("create message: 201 and the message resource", async () => {
    const res = await send({ To: "+447400123456", From: "+15005550006", Body: "Hello 🔥", StatusCallback: `${receiver.url}/cb` });
    expect(res.status).toBe(201);
    expectValid(responseValidator(M, "post", "201"), await res.json());
  });

  it("fetch message: queued, delivered, failed with an error code, inbound and reply", async () => {
    const validate = responseValidator(ONE, "get", "200");
    const ok = (await (await send({ To: "+447400123456", From: "+15005550006", Body: "a", StatusCallback: `${receiver.url}/cb` })).json()) as { sid: string };
    const bad = (await (await send({ To: "+15005553005", From: "+15005550006", Body: "b", StatusCallback: `${receiver.url}/cb` })).json()) as { sid: string };
    expectValid(validate, await (await call(`/Messages/${ok.sid}.json`)).json());
    await receiver.waitFor((all) => ["delivered", "undelivered"].every((s) => all.some((r) => r.params.MessageStatus === s)));
    const delivered = (await (await call(`/Messages/${ok.sid}.json`)).json()) as Json;
    const failed = (await (await call(`/Messages/${bad.sid}.json`)).json()) as Json;
    expect(delivered.status).toBe("delivered");
    expect(failed).toMatchObject({ status: "undelivered", error_code: 30005 });
    expectValid(validate, delivered);
    expectValid(validate, failed);
    const inbound = await twilio.emulator.receive({ from: "+447400123456", body: "HELP" });
    expectValid(validate, await (await call(`/Messages/${inbound.message.sid}.json`)).json());
  });

  it("list messages: first page, next page and filters", async () => {
    for (let i = 0; i < 3; i++) await send({ To: "+447400555555", From: "+15005550006", Body: `m${i}` });
    const validate = responseValidator(M, "get", "200");
    const first = (await (await call("/Messages.json?To=%2B447400555555&PageSize=2")).json()) as Json;
    expectValid(validate, first);
    expect((first.messages as unknown[]).length).toBe(2);
    expect(first.next_page_uri).toMatch(/^\/2010-04-01\/Accounts\/AC\w+\/Messages\.json\?To=%2B447400555555&PageSize=2&Page=1&PageToken=PASM/);
    const second = (await (await fetch(`${twilio.url}${first.next_page_uri as string}`, { headers: { authorization: auth } })).json()) as Json;
    expectValid(validate, second);
    expect((second.messages as unknown[]).length).toBe(1);
    expect(second.next_page_uri).toBeNull();
    const sentAfter = (await (await call(`/Messages.json?${new URLSearchParams({ "DateSent>": "2000-01-01" })}`)).json()) as Json;
    expectValid(validate, sentAfter);
  });

  it("fetch account and list incoming phone numbers", async () => {
    const account = await call(".json");
    expect(account.status).toBe(200);
    expectValid(responseValidator("/2010-04-01/Accounts/{Sid}.json", "get", "200"), await account.json());
    const numbers = (await (await call("/IncomingPhoneNumbers.json?PhoneNumber=%2B15005550006")).json()) as Json;
    expectValid(responseValidator("/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json", "get", "200"), numbers);
    expect(numbers.incoming_phone_numbers).toHaveLength(1);
  });

  it("error bodies: 401, 400, 404 and 429 all carry Twilio's error shape", async () => {
    const unauthorized = await fetch(`${base}.json`, { headers: { authorization: `Basic ${Buffer.from("AC0:x").toString("base64")}` } });
    expect(unauthorized.status).toBe(401);
    expectValid(errorValidator, await unauthorized.json());
    const invalid = await send({ To: "+15005550001", From: "+15005550006", Body: "x" });
    expect(invalid.status).toBe(400);
    expectValid(errorValidator, await invalid.json());
    const missing = await call(`/Messages/SM${"0".repeat(32)}.json`);
    expect(missing.status).toBe(404);
    expectValid(errorValidator, await missing.json());
    const slow = await servedEmulator(testDb(), { faults: "tooManyRequests=100%" });
    const slowSend = () =>
      fetch(`${slow.url}/2010-04-01/Accounts/${slow.config.accountSid}/Messages.json`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${slow.config.accountSid}:${slow.config.authToken}`).toString("base64")}` },
        body: new URLSearchParams({ To: "+447400123456", From: "+15005550006", Body: "x" }),
      });
    const limited = await slowSend();
    await slow.close();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expectValid(errorValidator, await limited.json());
  });
});
