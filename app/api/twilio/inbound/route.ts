// Inbound SMS to our number: verified, then STOP / START handled by the suppression list; answers empty TwiML.
import { getDb } from "@/db/client";
import { api } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { handleInbound } from "@/lib/smoke-signals/inbound";
import { emptyTwiml, readInboundSms } from "@/lib/twilio/webhook";
import { receiveTwilioWebhook } from "@/lib/webhooks/twilio";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  handleInbound(getDb(), await receiveTwilioWebhook("twilio_inbound", request, readInboundSms));
  return emptyTwiml();
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
