// X-Twilio-Signature: checked with the SDK's own validator against the PUBLIC URL Twilio called (APP_URL + path +
// query), because behind a proxy the URL the app sees (http, internal host, port) is not the one Twilio signed.
import "server-only";
// The SDK's webhook module alone: the whole SDK is loaded only when a message is sent (decision 031).
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks";
import { getEnv } from "@/lib/env";
import { readTextLimited } from "@/lib/http/body";
import { log } from "@/lib/log";

/** Twilio's webhook bodies are a few hundred bytes; anything far larger is not Twilio. */
const MAX_WEBHOOK_BYTES = 64 * 1024;

/** Where Twilio calls the app (routes owned by the messaging domain; the paths are part of the Twilio contract here). */
export const STATUS_CALLBACK_PATH = "/api/twilio/status-callback";
export const INBOUND_PATH = "/api/twilio/inbound";

/** The StatusCallback to give with every send: the public APP_URL + the status route. */
export function statusCallbackUrl(): string {
  return `${getEnv().appUrl}${STATUS_CALLBACK_PATH}`;
}

/** The URL Twilio requested, rebuilt from the public base URL and the path + query the app received. */
export function publicUrlOf(request: Request, appUrl: string): string {
  const seen = new URL(request.url);
  return `${appUrl.replace(/\/+$/, "")}${seen.pathname}${seen.search}`;
}

/** Pure form, for tests and tools: is `signature` Twilio's signature of `url` + `params` under `authToken`? */
export function isValidTwilioSignature(authToken: string, signature: string | null, url: string, params: Record<string, string>): boolean {
  if (!signature || !authToken) return false;
  return validateRequest(authToken, signature, url, params);
}

/**
 * Whether a webhook request really comes from Twilio (signed with our auth token). `params` are the form fields of
 * its body (see readTwilioForm); the body must be read once, before calling this.
 */
export function verifyTwilioWebhook(request: Request, params: Record<string, string>): boolean {
  const { appUrl, twilio: config } = getEnv();
  return isValidTwilioSignature(config.authToken, request.headers.get("x-twilio-signature"), publicUrlOf(request, appUrl), params);
}

/**
 * The form-encoded body Twilio POSTs, as a plain object (Twilio never repeats a field in these webhooks). Any other
 * content type yields no parameters, so its signature check fails with 403 like any forged request.
 */
export async function readTwilioForm(request: Request): Promise<Record<string, string>> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const text = await readTextLimited(request, MAX_WEBHOOK_BYTES);
  if (text === null || !type.includes("application/x-www-form-urlencoded")) return {};
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * A Twilio webhook's form parameters when its X-Twilio-Signature is present and valid for APP_URL + path + query;
 * null otherwise (logged with the likely cause), which the routes answer with 403.
 */
export async function verifiedTwilioParams(request: Request): Promise<Record<string, string> | null> {
  if (!request.headers.get("x-twilio-signature")) return null;
  const params = await readTwilioForm(request);
  if (verifyTwilioWebhook(request, params)) return params;
  // Usually APP_URL differs from the URL Twilio called, or TWILIO_AUTH_TOKEN is not this account's.
  log.warn({ path: new URL(request.url).pathname, appUrl: getEnv().appUrl }, "Twilio webhook refused (403): signature does not match APP_URL + path");
  return null;
}

/** The signature Twilio would send for a POST of `params` to `url` (used by the emulator and tests). */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
