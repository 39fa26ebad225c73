import { describe, expect, it } from "vitest";
import { serve } from "@/lib/http/serve";
import { DeadlinePassedError, TwilioRequestClient, withDeadline } from "./http-client";

describe("the Twilio request client", () => {
  it("in sandbox mode sends Twilio's hosts to the emulator, keeping path and query", () => {
    const client = new TwilioRequestClient({ timeout: 1000, emulatorUrl: "http://127.0.0.1:3000/sandbox/twilio/" });
    expect(client.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B1")).toBe(
      "http://127.0.0.1:3000/sandbox/twilio/2010-04-01/Accounts/AC1/Messages.json?To=%2B1",
    );
    expect(client.rewrite("https://messaging.twilio.com/v1/Services/MG1")).toBe("http://127.0.0.1:3000/sandbox/twilio/messaging/v1/Services/MG1");
    expect(() => client.rewrite("https://evil.example/x")).toThrow(/does not serve/);
    expect(new TwilioRequestClient({ timeout: 1000 }).rewrite("https://api.twilio.com/x")).toBe("https://api.twilio.com/x");
  });

  it("never starts a request after its deadline, and abandons one still running at the deadline", async () => {
    // eslint-disable-next-line no-restricted-syntax -- a server that answers after the deadline, on purpose
    const slow = await serve(() => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("{}")), 2000)));
    try {
      const client = new TwilioRequestClient({ timeout: 10_000, emulatorUrl: slow.url });
      const get = () => client.request({ method: "get", uri: "https://api.twilio.com/2010-04-01/x.json" });
      await expect(withDeadline(Date.now() - 1, get)).rejects.toBeInstanceOf(DeadlinePassedError);
      const started = Date.now();
      await expect(withDeadline(Date.now() + 200, get)).rejects.toMatchObject({ code: "ECONNABORTED" });
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await slow.close();
    }
  });
});
