// Doctor checks for Yoti: the credentials work (without billing a session), the notification key parses, URLs suit the mode.
import "server-only";
import { createPublicKey } from "node:crypto";
import { fail, pass, warn, type CheckResult } from "@/lib/doctor/types";
import type { Env } from "@/lib/env";
import { YOTI_CALLBACK_PATH } from "@/lib/http/webhook-paths";
import { createYotiClient } from "./client";
import { YotiError } from "./errors";
import { centralAuthTokenSource, staticTokenSource } from "./token";

// A session id that cannot exist: reading its result proves SDK ID and key (401 / 403 / 404) and costs nothing.
const PROBE_SESSION = "00000000-0000-4000-8000-000000000000";

export async function yotiChecks(env: Env, opts: { fetch?: typeof fetch } = {}): Promise<CheckResult[]> {
  const y = env.yoti;
  const results: CheckResult[] = [];

  try {
    const key = createPublicKey(y.notificationPublicKeyPem);
    results.push(
      key.asymmetricKeyType === "rsa"
        ? pass("Yoti notification key", `RSA public key parsed (${key.asymmetricKeyDetails?.modulusLength ?? "?"} bits)`)
        : fail("Yoti notification key", `is a ${key.asymmetricKeyType} key, not RSA: paste Yoti's RSA public key from its notifications documentation`),
    );
  } catch {
    results.push(fail("Yoti notification key", "YOTI_NOTIFICATION_PUBLIC_KEY is not a PEM public key: paste it with its BEGIN/END PUBLIC KEY lines (\\n for line breaks)"));
  }

  const callback = `${env.appUrl}${YOTI_CALLBACK_PATH}`;
  if (env.mode === "live" && !env.appUrl.startsWith("https://")) {
    results.push(fail("Yoti callback URLs", `${callback} is not https: Yoti only sends notifications to https, set APP_URL to the public https URL`));
  } else {
    results.push(pass("Yoti callback URLs", `callback and notification_url ${callback}`));
  }

  const estimation = y.methods.includes("AGE_ESTIMATION") ? `, age estimation at ${y.ageThreshold + y.ageEstimationBuffer}` : "";
  results.push(pass("Yoti policy", `OVER ${y.ageThreshold}${estimation}; methods ${y.methods.join(", ")}`));

  const primary = await probeKey(env, y, opts.fetch);
  const secondary = y.secondary ? await probeKey(env, { ...y, apiKey: y.secondary.apiKey, privateKeyPem: y.secondary.privateKeyPem }, opts.fetch) : null;
  if (secondary?.status === "PASS" && primary.status === "FAIL") {
    // The rotation's second half: Yoti refuses the old key and the app already uses the new one.
    results.push(warn("Yoti credentials", `${primary.detail}. The second key works and is used instead: move it to the primary variable and remove the old one (docs/rotation.md)`));
  } else {
    results.push({ ...primary, name: "Yoti credentials" });
  }
  if (secondary) results.push({ ...secondary, name: "Yoti second key", detail: secondary.status === "PASS" ? `${secondary.detail}; ready for the rotation` : secondary.detail });
  return results;
}

/** Proves one key without billing anything: reading a session that cannot exist answers 404 when the key is accepted. */
async function probeKey(env: Env, y: Env["yoti"], fetchImpl: typeof fetch | undefined): Promise<CheckResult> {
  const tokens = y.privateKeyPem
    ? centralAuthTokenSource({ sdkId: y.sdkId, privateKeyPem: y.privateKeyPem, authUrl: y.authUrl, fetch: fetchImpl })
    : staticTokenSource(y.apiKey ?? "");
  const how = y.privateKeyPem ? "Central Auth token" : "API key";
  const client = createYotiClient({ apiUrl: y.apiUrl, sdkId: y.sdkId, tokens, fetch: fetchImpl, timeoutMs: 8000 });
  try {
    await client.getResult(PROBE_SESSION);
    return warn("Yoti credentials", `${y.apiUrl} returned a result for a session that cannot exist: is YOTI_API_URL really Yoti?`);
  } catch (error) {
    if (!(error instanceof YotiError)) throw error;
    if (error.kind === "not_found" || error.kind === "bad_request") return pass("Yoti credentials", `SDK ID and ${how} accepted by ${y.apiUrl} (probe answered ${error.status})`);
    if (error.retryable && env.mode === "sandbox") {
      return warn("Yoti credentials", `the local emulator at ${y.apiUrl} answers only while the app runs: start it (npm start), then run the doctor again`);
    }
    return fail("Yoti credentials", `${error.message}${error.status ? ` [HTTP ${error.status} from ${y.apiUrl}]` : ""}`);
  }
}
