// Inbound SMS to our number: verified, then STOP / START / HELP handled; answers TwiML.
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { api, ApiError } from "@/lib/http/api";
import { log } from "@/lib/log";
import { handleInbound } from "@/lib/smoke-signals/inbound";
import { readTwilioForm, verifyTwilioWebhook } from "@/lib/twilio/webhook";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  if (!request.headers.get("x-twilio-signature")) throw new ApiError(403, "bad_signature", "The X-Twilio-Signature header is missing.");
  const params = await readTwilioForm(request);
  if (!verifyTwilioWebhook(request, params)) {
    // Usually APP_URL differs from the URL Twilio called, or TWILIO_AUTH_TOKEN is not this account's.
    log.warn({ path: new URL(request.url).pathname, appUrl: getEnv().appUrl }, "Twilio webhook refused (403): signature does not match APP_URL + path");
    throw new ApiError(403, "bad_signature", "The X-Twilio-Signature header is missing or does not match.");
  }
  return new Response(handleInbound(getDb(), params), { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
});
