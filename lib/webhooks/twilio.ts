// Twilio's webhooks as the routes receive them: read and verified by lib/twilio (either auth token during a
// changeover), and every outcome counted for the console: which token signed it, or why it was refused.
import "server-only";
import type { WebhookKind } from "@/db/schema";
import { PayloadTooLarge } from "@/lib/http/body";
import { TwilioWebhookRefused, type Signed } from "@/lib/twilio/webhook";
import { noteWebhook } from "./receipts";

/** Reads a Twilio webhook with `read` (readStatusCallback, readInboundSms), counting it; refusals are rethrown for api(). */
export async function receiveTwilioWebhook<T>(kind: Extract<WebhookKind, "twilio_status" | "twilio_inbound">, request: Request, read: (r: Request) => Promise<Signed<T>>): Promise<T> {
  try {
    const { value, signedBy } = await read(request);
    noteWebhook({ kind, outcome: "accepted", detail: signedBy });
    return value;
  } catch (error) {
    if (error instanceof TwilioWebhookRefused) noteWebhook({ kind, outcome: "refused", detail: error.cause, hint: error.hint });
    else if (error instanceof PayloadTooLarge) noteWebhook({ kind, outcome: "refused", detail: "too_large" });
    throw error;
  }
}
