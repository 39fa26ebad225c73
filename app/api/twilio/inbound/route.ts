// Inbound SMS to our number: verified, then STOP / START / HELP handled; answers TwiML.
import { getDb } from "@/db/client";
import { api, ApiError } from "@/lib/http/api";
import { handleInbound } from "@/lib/smoke-signals/inbound";
import { verifiedTwilioParams } from "@/lib/twilio/webhook";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const params = await verifiedTwilioParams(request);
  if (!params) throw new ApiError(403, "bad_signature", "The X-Twilio-Signature header is missing or does not match.");
  return new Response(handleInbound(getDb(), params), { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
