// Twilio's webhooks as Twilio writes them, read and answered here only: X-Twilio-Signature checked with the SDK's own
// validator against the PUBLIC URL Twilio called (APP_URL + path + query, because behind a proxy the URL the app sees
// is not the one Twilio signed), the form fields of status callbacks and inbound SMS, and the TwiML answer.
import "server-only";
// The SDK's webhook module alone: the whole SDK is loaded only when a message is sent (decision 031).
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks";
import { getEnv } from "@/lib/env";
import { readTextLimited } from "@/lib/http/body";
import { TWILIO_STATUS_CALLBACK_PATH } from "@/lib/http/webhook-paths";
import { log } from "@/lib/log";
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
  // Twilio's webhook bodies are a few hundred bytes: a larger one is refused (413) before it is buffered.
  const text = await readTextLimited(request);
  if (!type.includes("application/x-www-form-urlencoded")) return {};
  return Object.fromEntries(new URLSearchParams(text));
}

/** A webhook that is not Twilio's (bad_signature: the routes answer 403) or lacks Twilio's fields (invalid_request: 400). */
export class TwilioWebhookRefused extends Error {
  constructor(
    readonly reason: "bad_signature" | "invalid_request",
    message: string,
  ) {
    super(message);
    this.name = "TwilioWebhookRefused";
  }
}

/**
 * A Twilio webhook's form parameters when its X-Twilio-Signature is present and valid for APP_URL + path + query;
 * otherwise TwilioWebhookRefused (logged with the likely cause).
 */
async function verifiedTwilioParams(request: Request): Promise<Record<string, string>> {
  const refused = new TwilioWebhookRefused("bad_signature", "The X-Twilio-Signature header is missing or does not match.");
  if (!request.headers.get("x-twilio-signature")) throw refused;
  const params = await readTwilioForm(request);
  if (verifyTwilioWebhook(request, params)) return params;
  // Usually APP_URL differs from the URL Twilio called, or TWILIO_AUTH_TOKEN is not this account's.
  log.warn({ path: new URL(request.url).pathname, appUrl: getEnv().appUrl }, "Twilio webhook refused (403): signature does not match APP_URL + path");
  throw refused;
}

/** What a status callback reports: the message's sid, its status (lower case) and Twilio's error code, if any. */
export type StatusCallback = { sid: string; status: string; errorCode: number | null };

/** A verified status callback (MessageSid, MessageStatus, ErrorCode; the older SmsSid/SmsStatus names too). */
export async function readStatusCallback(request: Request): Promise<StatusCallback> {
  const params = await verifiedTwilioParams(request);
  const sid = params.MessageSid ?? params.SmsSid;
  const status = params.MessageStatus ?? params.SmsStatus;
  if (!sid || !status) throw new TwilioWebhookRefused("invalid_request", "MessageSid and MessageStatus are required.");
  const code = params.ErrorCode ? Number.parseInt(params.ErrorCode, 10) : null;
  return { sid, status: status.toLowerCase(), errorCode: Number.isFinite(code) ? code : null };
}

/**
 * A reply to our number. `keyword`: the opt-out class Twilio acted on: the OptOutType Twilio sends with Advanced
 * Opt-Out (custom keywords included), else Twilio's default keywords matched in the body. `from` is null when the
 * sender is not an E.164 number (a short code or an alphanumeric id we could never text anyway).
 */
export type InboundSms = { from: string | null; body: string; keyword: { type: KeywordType; word: string } | null };

export async function readInboundSms(request: Request): Promise<InboundSms> {
  const params = await verifiedTwilioParams(request);
  const body = params.Body ?? "";
  const matched = keywordOf(body);
  const declared = params.OptOutType?.toUpperCase();
  const type = declared === "STOP" || declared === "START" || declared === "HELP" ? declared : matched?.type;
  const from = params.From ?? "";
  return { from: E164.test(from) ? from : null, body, keyword: type ? { type, word: matched?.keyword ?? type } : null };
}

/** The answer to an inbound SMS that adds no reply of our own (Twilio answers STOP/START/HELP itself: decision 019). */
export function emptyTwiml(): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?><Response/>`, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
}

/** The signature Twilio would send for a POST of `params` to `url` (used by the emulator and tests). */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
