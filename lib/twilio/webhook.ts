// Twilio's webhooks as Twilio writes them, read and answered here only: X-Twilio-Signature checked with the SDK's own
// validator against the PUBLIC URL Twilio called (APP_URL + path + query, because behind a proxy the URL the app sees
// is not the one Twilio signed), the form fields of status callbacks and inbound SMS, and the TwiML answer.
import "server-only";
import { timingSafeEqual } from "node:crypto";
// The SDK's webhook module alone: the whole SDK is loaded only when a message is sent (decision 031).
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks";
import { getEnv } from "@/lib/env";
import { readTextLimited } from "@/lib/http/body";
import { TWILIO_STATUS_CALLBACK_PATH } from "@/lib/http/webhook-paths";
import { floodGate, heldBackWords, log } from "@/lib/log";
import { keywordOf, type KeywordType } from "./keywords";
import { E164 } from "./sms";


/** The StatusCallback to give with every send: the public APP_URL + the status route. */
export function statusCallbackUrl(): string {
  return `${getEnv().appUrl}${TWILIO_STATUS_CALLBACK_PATH}`;
}

/** The URL Twilio requested, rebuilt from the public base URL and the path + query the app received. */
export function publicUrlOf(request: Request, appUrl: string): string {
  const seen = new URL(request.url);
  return `${appUrl.replace(/\/+$/, "")}${seen.pathname}${seen.search}`;
}

/**
 * Pure form, for tests and tools: is `signature` Twilio's signature of `url` + `params` under `authToken`? The URL
 * exactly as configured is checked first, with one HMAC: that is what Twilio signs for nearly every request. Only when
 * it does not match does the SDK try the other forms Twilio may have signed (with or without the port, escaped).
 */
export function isValidTwilioSignature(authToken: string, signature: string | null, url: string, params: Record<string, string>): boolean {
  if (!signature || !authToken) return false;
  const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  return validateRequest(authToken, signature, url, params);
}

/** Which of the configured auth tokens signed a webhook: during a changeover Twilio may sign with either. */
export type SigningToken = "primary" | "secondary";

/** The configured tokens a signature may come from, primary first. */
function tokens(config: { authToken: string; authTokenSecondary?: string }): [SigningToken, string][] {
  return config.authTokenSecondary ? [["primary", config.authToken], ["secondary", config.authTokenSecondary]] : [["primary", config.authToken]];
}

/**
 * Whether a webhook request really comes from Twilio: which token signed it (our auth token or, during a changeover,
 * the secondary one) for APP_URL + path + query, or null. `params` are the form fields of its body (see
 * readTwilioForm); the body must be read once, before calling this.
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
  // Twilio's webhook bodies are a few hundred bytes: a larger one is refused (413) before it is buffered.
  const text = await readTextLimited(request);
  if (!type.includes("application/x-www-form-urlencoded")) return {};
  return Object.fromEntries(new URLSearchParams(text));
}

/** Why a webhook was refused, as a code the console counts; `refusalWords` says what it means and what to do. */
export type WebhookRefusal = "no_signature" | "not_form" | "too_large" | "app_url_mismatch" | "wrong_token" | "missing_fields";

/**
 * A webhook that is not Twilio's (bad_signature: the routes answer 403) or lacks Twilio's fields (invalid_request:
 * 400), with the likely cause and, where there is one, a clue for the operator (the URL Twilio really signed).
 */
export class TwilioWebhookRefused extends Error {
  constructor(
    readonly reason: "bad_signature" | "invalid_request",
    message: string,
    readonly cause: WebhookRefusal,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "TwilioWebhookRefused";
  }
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

/** Why a signed request did not verify: Twilio's signature for another URL (which one), or another token. */
function diagnose(request: Request, signature: string, params: Record<string, string>): TwilioWebhookRefused {
  const { appUrl, twilio: config } = getEnv();
  const refused = (cause: WebhookRefusal, hint?: string) => new TwilioWebhookRefused("bad_signature", "The X-Twilio-Signature header is missing or does not match.", cause, hint);
  for (const url of candidateUrls(request, appUrl)) {
    for (const [which, token] of tokens(config)) {
      if (isValidTwilioSignature(token, signature, url, params)) {
        const signed = new URL(url);
        return refused("app_url_mismatch", `Twilio signed ${signed.protocol}//${signed.host} (${which} token) but APP_URL is ${appUrl}`);
      }
    }
  }
  return refused("wrong_token");
}

/** What a refusal means and what to do, for the console and the log. */
export function refusalWords(cause: WebhookRefusal): string {
  switch (cause) {
    case "no_signature":
      return "No X-Twilio-Signature header: not sent by Twilio (a scanner or someone probing the URL). Nothing to fix unless you expected it.";
    case "not_form":
      return "The body was not form-encoded, which Twilio always sends: not from Twilio.";
    case "too_large":
      return "The body was far larger than any Twilio webhook (refused with 413 before it was read): not from Twilio.";
    case "app_url_mismatch":
      return "The signature is Twilio's, but for another URL than APP_URL + path: set APP_URL to the public URL Twilio calls (scheme, host and port as configured at Twilio).";
    case "wrong_token":
      return "The signature matches neither TWILIO_AUTH_TOKEN nor TWILIO_AUTH_TOKEN_SECONDARY: the token is not this account's (after a rotation, set the new one), or the request is forged.";
    case "missing_fields":
      return "Signed by Twilio but without the fields this webhook needs (MessageSid, MessageStatus): check which webhook is configured at this URL.";
  }
}

/**
 * A Twilio webhook's form parameters and the token that signed them, when its X-Twilio-Signature is present and valid
 * for APP_URL + path + query; otherwise TwilioWebhookRefused with the likely cause (worked out only for refusals, so a
 * request that verifies costs nothing extra), logged for the operator.
 */
async function verifiedTwilioParams(request: Request): Promise<{ params: Record<string, string>; signedBy: SigningToken }> {
  const signature = request.headers.get("x-twilio-signature");
  if (!signature) throw new TwilioWebhookRefused("bad_signature", "The X-Twilio-Signature header is missing or does not match.", "no_signature");
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const params = await readTwilioForm(request);
  const signedBy = verifyTwilioWebhook(request, params);
  if (signedBy) return { params, signedBy };
  const refused = type.includes("application/x-www-form-urlencoded")
    ? diagnose(request, signature, params)
    : new TwilioWebhookRefused("bad_signature", "The X-Twilio-Signature header is missing or does not match.", "not_form", type.slice(0, 80) || "no Content-Type");
  // Anyone can send these: a flood of them logs a line a minute per cause (the console counts every one).
  const gate = floodGate(`twilio-webhook-refused:${refused.cause}`);
  if (gate) {
    log.warn(
      { path: new URL(request.url).pathname, appUrl: getEnv().appUrl, cause: refused.cause, hint: refused.hint, heldBack: gate.heldBack },
      `Twilio webhook refused (403): ${refusalWords(refused.cause)}${heldBackWords(gate.heldBack)}`,
    );
  }
  throw refused;
}

/** What a status callback reports: the message's sid, its status (lower case) and Twilio's error code, if any. */
export type StatusCallback = { sid: string; status: string; errorCode: number | null };

/** A verified webhook's content, with the token that signed it (the console shows which one Twilio uses). */
export type Signed<T> = { value: T; signedBy: SigningToken };

/** A verified status callback (MessageSid, MessageStatus, ErrorCode; the older SmsSid/SmsStatus names too). */
export async function readStatusCallback(request: Request): Promise<Signed<StatusCallback>> {
  const { params, signedBy } = await verifiedTwilioParams(request);
  const sid = params.MessageSid ?? params.SmsSid;
  const status = params.MessageStatus ?? params.SmsStatus;
  if (!sid || !status) throw new TwilioWebhookRefused("invalid_request", "MessageSid and MessageStatus are required.", "missing_fields");
  const code = params.ErrorCode ? Number.parseInt(params.ErrorCode, 10) : null;
  return { value: { sid, status: status.toLowerCase(), errorCode: Number.isFinite(code) ? code : null }, signedBy };
}

/**
 * A reply to our number. `keyword`: the opt-out class Twilio acted on: the OptOutType Twilio sends with Advanced
 * Opt-Out (custom keywords included), else Twilio's default keywords matched in the body. `from` is null when the
 * sender is not an E.164 number (a short code or an alphanumeric id we could never text anyway).
 */
export type InboundSms = { from: string | null; body: string; keyword: { type: KeywordType; word: string } | null };

export async function readInboundSms(request: Request): Promise<Signed<InboundSms>> {
  const { params, signedBy } = await verifiedTwilioParams(request);
  const body = params.Body ?? "";
  const matched = keywordOf(body);
  const declared = params.OptOutType?.toUpperCase();
  const type = declared === "STOP" || declared === "START" || declared === "HELP" ? declared : matched?.type;
  const from = params.From ?? "";
  return { value: { from: E164.test(from) ? from : null, body, keyword: type ? { type, word: matched?.keyword ?? type } : null }, signedBy };
}

/** The answer to an inbound SMS that adds no reply of our own (Twilio answers STOP/START/HELP itself: decision 019). */
export function emptyTwiml(): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?><Response/>`, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
}

/** The signature Twilio would send for a POST of `params` to `url` (used by the emulator and tests). */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
