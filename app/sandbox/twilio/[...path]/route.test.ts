import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { GET, POST } from "./route";
import { LIVE_ENV } from "@/lib/testing/env";

const LIVE = LIVE_ENV;

describe("/sandbox/twilio", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });

  it("does not exist in live mode: every path answers 404, even with the right credentials", async () => {
    Object.assign(process.env, LIVE, { DATA_DIR: tempDir() });
    resetEnvForTests();
    const url = `http://127.0.0.1:3000/sandbox/twilio/2010-04-01/Accounts/${LIVE.TWILIO_ACCOUNT_SID}`;
    const auth = { authorization: `Basic ${Buffer.from(`${LIVE.TWILIO_ACCOUNT_SID}:token`).toString("base64")}` };
    expect((await GET(new Request(`${url}.json`, { headers: auth }))).status).toBe(404);
    const post = await POST(new Request(`${url}/Messages.json`, { method: "POST", headers: auth, body: "To=%2B447400123456&Body=hi" }));
    expect(post.status).toBe(404);
  });

  it("answers Twilio's API in sandbox mode", async () => {
    const dir = tempDir();
    Object.assign(process.env, { DATA_DIR: dir, PORT: "3999" });
    for (const key of Object.keys(LIVE)) delete process.env[key];
    resetEnvForTests();
    const { getEnv } = await import("@/lib/env");
    const { accountSid, authToken } = getEnv().twilio;
    const response = await GET(
      new Request(`http://127.0.0.1:3999/sandbox/twilio/2010-04-01/Accounts/${accountSid}.json`, {
        headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}` },
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sid: accountSid, status: "active" });
    const { getTwilioEmulator } = await import("@/lib/twilio/runtime");
    getTwilioEmulator().stop();
  });
});
