// Twilio's status callbacks: verified against the public URL, then applied monotonically; unknown sids answer 200.
import { getDb } from "@/db/client";
import { api } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { applyStatusCallback } from "@/lib/outbox/tracking";
import { registerSenders } from "@/lib/senders";
import { readStatusCallback } from "@/lib/twilio/webhook";
import { receiveTwilioWebhook } from "@/lib/webhooks/twilio";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const report = await receiveTwilioWebhook("twilio_status", request, readStatusCallback);
  registerSenders();
  await applyStatusCallback(getDb(), report);
  return new Response(null, { status: 200 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
