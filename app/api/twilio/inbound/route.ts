// Inbound SMS to our number: verified, then STOP / START / HELP handled; answers TwiML.
import { getDb } from "@/db/client";
import { api } from "@/lib/http/api";
import { handleInbound } from "@/lib/smoke-signals/inbound";
import { receiveTwilioWebhook } from "@/lib/webhooks/twilio";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const params = await receiveTwilioWebhook(request, "twilio_inbound");
  return new Response(handleInbound(getDb(), params), { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
