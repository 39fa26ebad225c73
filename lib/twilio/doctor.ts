// Doctor checks for Twilio: credentials accepted, account active (Trial warns), and the sender (phone number or
// messaging service) belongs to the account and can send SMS. In sandbox mode they run against the emulator.
import "server-only";
import { fail, pass, warn, type CheckResult } from "@/lib/doctor/types";
import type { Env } from "@/lib/env";
import { createTwilio, type TwilioClient, type TwilioConfig } from "./client";
import { toTwilioError } from "./errors";

const NAME = "twilio";

function explain(error: unknown, what: string): CheckResult {
  const e = toTwilioError(error);
  if (e.code === 20003) {
    return fail(`${NAME} credentials`, `Twilio rejected the credentials (error 20003): ${e.operatorMessage.replace(/^Twilio error 20003: /, "")}`);
  }
  return fail(NAME, `${what} failed: ${e.operatorMessage}`);
}

/** The checks, against any client (the real API, the app's emulator, or a test's). */
export async function checkTwilio(client: TwilioClient, config: TwilioConfig, refused: string[] = []): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const changeover = () =>
    refused.includes("TWILIO_AUTH_TOKEN")
      ? [warn(`${NAME} credentials`, "Twilio refuses TWILIO_AUTH_TOKEN (20003) and the app uses TWILIO_AUTH_TOKEN_SECONDARY instead: the secondary was promoted; make it TWILIO_AUTH_TOKEN and remove the old one (docs/rotation.md)")]
      : [];
  try {
    const account = await client.sdk.api.accounts(config.accountSid).fetch();
    const label = `${account.friendlyName} (${config.accountSid})`;
    if (account.status !== "active") {
      results.push(fail(`${NAME} account`, `${label} is ${account.status}: nothing can be sent. Reactivate it in Twilio Console > Account, or use another account.`));
    } else if (account.type === "Trial") {
      results.push(warn(`${NAME} account`, `${label} is a Trial account: only verified numbers receive SMS (error 21608 otherwise) and messages carry a trial prefix. Upgrade it in Twilio Console > Billing.`));
    } else {
      results.push(pass(`${NAME} account`, `${label} is active (${account.type})`));
    }
    results.push(...changeover());
  } catch (error) {
    return [explain(error, "Fetching the Twilio account")];
  }

  if (config.messagingServiceSid) {
    try {
      const service = await client.sdk.messaging.v1.services(config.messagingServiceSid).fetch();
      results.push(pass(`${NAME} sender`, `messaging service ${service.friendlyName} (${service.sid}) exists`));
    } catch (error) {
      const e = toTwilioError(error);
      results.push(
        e.code === 20404
          ? fail(`${NAME} sender`, `TWILIO_MESSAGING_SERVICE_SID ${config.messagingServiceSid} is not a messaging service of this account (Console > Messaging > Services)`)
          : explain(error, "Looking up the messaging service"),
      );
    }
    return results;
  }

  const number = config.phoneNumber;
  if (!number) return [...results, fail(`${NAME} sender`, "no sender: set TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID")];
  try {
    const [found] = await client.sdk.api.accounts(config.accountSid).incomingPhoneNumbers.list({ phoneNumber: number, limit: 1 });
    if (!found) {
      results.push(fail(`${NAME} sender`, `TWILIO_PHONE_NUMBER ${number} is not a number of this account: pick one from Console > Phone Numbers > Manage > Active numbers (buy one there if the list is empty)`));
    } else if (!found.capabilities?.sms) {
      results.push(fail(`${NAME} sender`, `${number} belongs to the account but cannot send SMS: choose an SMS-capable number or use a messaging service`));
    } else {
      results.push(pass(`${NAME} sender`, `${number} belongs to the account and can send SMS`));
    }
  } catch (error) {
    results.push(explain(error, "Looking up the sender number"));
  }
  return results;
}

/** `npm run doctor`: live against api.twilio.com; sandbox against the running app's emulator, else one served here. */
export async function twilioChecks(env: Env): Promise<CheckResult[]> {
  const refused: string[] = [];
  const observe = (name: string, outcome: "ok" | "refused") => void (outcome === "refused" && refused.push(name));
  if (env.mode === "live") return checkTwilio(createTwilio(env.twilio, { timeoutMs: 10_000, observe }), env.twilio, refused);
  const reachable = await fetch(`${env.internalUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (reachable) {
    const results = await checkTwilio(createTwilio(env.twilio, { timeoutMs: 10_000 }), env.twilio);
    return results.map((r) => ({ ...r, detail: `${r.detail} [sandbox emulator]` }));
  }
  // The app is not running: serve the emulator from this process (read-only checks; no lifecycle is resumed here).
  const [{ openDatabase }, { createTwilioEmulator }, { serve }] = await Promise.all([
    import("@/db/client"),
    import("./emulator/emulator"),
    import("@/lib/http/serve"),
  ]);
  const emulator = createTwilioEmulator({
    db: openDatabase(env.databasePath),
    accountSid: env.twilio.accountSid,
    authToken: env.twilio.authToken,
    phoneNumbers: [env.twilio.phoneNumber ?? "+15005550006"],
    mps: env.twilio.mps,
  });
  const server = await serve(emulator.handle);
  try {
    const config = { ...env.twilio, emulatorUrl: server.url };
    const results = await checkTwilio(createTwilio(config, { timeoutMs: 10_000 }), config);
    return results.map((r) => ({ ...r, detail: `${r.detail} [sandbox emulator; the app is not running]` }));
  } finally {
    emulator.stop();
    await server.close();
  }
}
