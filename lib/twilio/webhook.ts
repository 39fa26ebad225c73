// X-Twilio-Signature: checked with the SDK's own validator against the PUBLIC URL Twilio called (APP_URL + path +
// query), because behind a proxy the URL the app sees (http, internal host, port) is not the one Twilio signed.
import "server-only";
import twilio from "twilio";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { getEnv } from "@/lib/env";
import { readTextLimited } from "@/lib/http/body";

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
  return twilio.validateRequest(authToken, signature, url, params);
}

/** Which of the configured auth tokens signed a webhook: during a changeover Twilio may sign with either. */
export type SigningToken = "primary" | "secondary";

/** Why a webhook was refused, as a code the console counts; `refusalWords` says what it means and what to do. */
export type WebhookRefusal = "no_signature" | "not_form" | "too_large" | "app_url_mismatch" | "wrong_token";

export type TwilioWebhookVerdict =
  | { ok: true; params: Record<string, string>; signedBy: SigningToken }
  | { ok: false; cause: WebhookRefusal; /** A clue for the operator, e.g. the URL Twilio really signed. */ hint?: string };

/** The configured tokens a signature may come from, primary first. */
function tokens(config: { authToken: string; authTokenSecondary?: string }): [SigningToken, string][] {
  return config.authTokenSecondary ? [["primary", config.authToken], ["secondary", config.authTokenSecondary]] : [["primary", config.authToken]];
}

/**
 * Whether a webhook request really comes from Twilio: signed with our auth token (or, during a changeover, the
 * secondary one) for APP_URL + path + query. `params` are the form fields of its body (see readTwilioForm).
 */
export function verifyTwilioWebhook(request: Request, params: Record<string, string>): SigningToken | null {
  const { appUrl, twilio: config } = getEnv();
  const signature = request.headers.get("x-twilio-signature");
  const url = publicUrlOf(request, appUrl);
  for (const [which, token] of tokens(config)) if (isValidTwilioSignature(token, signature, url, params)) return which;
  return null;
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
 * The URLs a refused request might really have been signed for, most likely first: what the proxy says the client
 * asked for (Host, X-Forwarded-Host/-Proto), and APP_URL with the other scheme or without its port.
 */
function candidateUrls(request: Request, appUrl: string): string[] {
  const seen = new URL(request.url);
  const pathAndQuery = `${seen.pathname}${seen.search}`;
  const h = request.headers;
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host");
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const app = new URL(appUrl);
  const urls = new Set<string>();
  if (host) for (const scheme of proto ? [proto] : ["https", "http"]) urls.add(`${scheme}://${host}${pathAndQuery}`);
  urls.add(`${seen.origin}${pathAndQuery}`);
  urls.add(`${app.protocol === "https:" ? "http" : "https"}://${app.host}${pathAndQuery}`);
  if (app.port) urls.add(`${app.protocol}//${app.hostname}${pathAndQuery}`);
  urls.delete(`${appUrl.replace(/\/+$/, "")}${pathAndQuery}`);
  return [...urls];
}

/**
 * Reads and verifies a Twilio webhook. Refused: the likely cause, worked out by checking the signature against the
 * URLs Twilio could have called and both tokens, so the console can say "APP_URL differs from the URL Twilio signs"
 * rather than only "forbidden". Costs nothing extra for a request that verifies.
 */
export async function verifyTwilioRequest(request: Request): Promise<TwilioWebhookVerdict> {
  const signature = request.headers.get("x-twilio-signature");
  if (!signature) return { ok: false, cause: "no_signature" };
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const text = await readTextLimited(request, MAX_WEBHOOK_BYTES);
  if (text === null) return { ok: false, cause: "too_large" };
  if (!type.includes("application/x-www-form-urlencoded")) return { ok: false, cause: "not_form", hint: type.slice(0, 80) || "no Content-Type" };
  const params = Object.fromEntries(new URLSearchParams(text));
  const signedBy = verifyTwilioWebhook(request, params);
  if (signedBy) return { ok: true, params, signedBy };
  const { appUrl, twilio: config } = getEnv();
  for (const url of candidateUrls(request, appUrl)) {
    for (const [which, token] of tokens(config)) {
      if (isValidTwilioSignature(token, signature, url, params)) {
        const origin = new URL(url);
        return { ok: false, cause: "app_url_mismatch", hint: `Twilio signed ${origin.protocol}//${origin.host} (${which} token) but APP_URL is ${appUrl}` };
      }
    }
  }
  return { ok: false, cause: "wrong_token" };
}

/** What a refusal means and what to do, for the console and the log. */
export function refusalWords(cause: WebhookRefusal): string {
  switch (cause) {
    case "no_signature":
      return "No X-Twilio-Signature header: not sent by Twilio (a scanner or someone probing the URL). Nothing to fix unless you expected it.";
    case "not_form":
      return "The body was not form-encoded, which Twilio always sends: not from Twilio.";
    case "too_large":
      return "The body was far larger than any Twilio webhook: not from Twilio.";
    case "app_url_mismatch":
      return "The signature is Twilio's, but for another URL than APP_URL + path: set APP_URL to the public URL Twilio calls (scheme, host and port as configured at Twilio).";
    case "wrong_token":
      return "The signature matches neither TWILIO_AUTH_TOKEN nor TWILIO_AUTH_TOKEN_SECONDARY: the token is not this account's (after a rotation, set the new one), or the request is forged.";
  }
}

/** The signature Twilio would send for a POST of `params` to `url` (used by the emulator and tests). */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
