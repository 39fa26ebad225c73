import { describe, expect, it } from "vitest";
import { EmulatorRequestClient } from "./http-client";

describe("EmulatorRequestClient", () => {
  const client = new EmulatorRequestClient("http://127.0.0.1:3000/sandbox/twilio/");

  it("sends Twilio's API paths to the emulator unchanged, query included", () => {
    expect(client.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?To=%2B44&PageSize=50")).toBe(
      "http://127.0.0.1:3000/sandbox/twilio/2010-04-01/Accounts/AC1/Messages.json?To=%2B44&PageSize=50",
    );
    expect(client.rewrite("https://messaging.twilio.com/v1/Services/MG1")).toBe("http://127.0.0.1:3000/sandbox/twilio/messaging/v1/Services/MG1");
  });

  it("refuses hosts the emulator does not serve instead of calling the real Twilio", () => {
    expect(() => client.rewrite("https://verify.twilio.com/v2/Services")).toThrow(/does not serve verify.twilio.com/);
  });
});
