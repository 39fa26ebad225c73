// Twilio's status callbacks: verified against the public URL, then applied monotonically; unknown sids answer 200.
import { getDb } from "@/db/client";
import { api, ApiError } from "@/lib/http/api";
import { applyStatusCallback } from "@/lib/outbox/tracking";
import { registerSenders } from "@/lib/senders";
import { receiveTwilioWebhook } from "@/lib/webhooks/twilio";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const params = await receiveTwilioWebhook(request, "twilio_status");
  const sid = params.MessageSid ?? params.SmsSid;
  const status = params.MessageStatus ?? params.SmsStatus;
  if (!sid || !status) throw new ApiError(400, "invalid_request", "MessageSid and MessageStatus are required.");
  const code = params.ErrorCode ? Number.parseInt(params.ErrorCode, 10) : null;
  registerSenders();
  applyStatusCallback(getDb(), { sid, status: status.toLowerCase(), errorCode: Number.isFinite(code) ? code : null });
  return new Response(null, { status: 200 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
