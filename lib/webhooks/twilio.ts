// Twilio's webhooks as the routes receive them: verified (either auth token during a changeover), counted for the
// console, and refused with a 403 whose likely cause goes to the log.
import "server-only";
import type { WebhookKind } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/http/api";
import { log } from "@/lib/log";
import { refusalWords, verifyTwilioRequest } from "@/lib/twilio/webhook";
import { noteWebhook } from "./receipts";

/** The verified form parameters of a Twilio webhook, or a 403 ApiError. Every outcome is counted. */
export async function receiveTwilioWebhook(request: Request, kind: Extract<WebhookKind, "twilio_status" | "twilio_inbound">): Promise<Record<string, string>> {
  const verdict = await verifyTwilioRequest(request);
  if (verdict.ok) {
    noteWebhook({ kind, outcome: "accepted", detail: verdict.signedBy });
    return verdict.params;
  }
  noteWebhook({ kind, outcome: "refused", detail: verdict.cause, hint: verdict.hint });
  if (verdict.cause !== "no_signature") {
    log.warn({ path: new URL(request.url).pathname, appUrl: getEnv().appUrl, cause: verdict.cause, hint: verdict.hint }, `Twilio webhook refused (403): ${refusalWords(verdict.cause)}`);
  }
  throw new ApiError(403, "bad_signature", "The X-Twilio-Signature header is missing or does not match.");
}
