// Twilio's documented test "magic numbers", plus our own documented delivery-failure numbers (+1 500 555 300X fails
// in delivery with error 3000X), so testers can produce every outcome without a real phone.
import type { KeywordType } from "../keywords";

export type SendError = { code: number; status: number; message: string };

/** From numbers with a documented outcome; any other From that the account does not own gives 21606. */
export const MAGIC_FROM: Record<string, (from: string) => SendError> = {
  "+15005550001": (from) => ({ code: 21212, status: 400, message: `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.` }),
  "+15005550007": (from) => ({ code: 21606, status: 400, message: `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination/account.` }),
  "+15005550008": () => ({ code: 21611, status: 400, message: "This 'From' number has exceeded the maximum number of queued messages." }),
};

export const MAGIC_TO: Record<string, (to: string, from: string) => SendError> = {
  "+15005550001": (to) => ({ code: 21211, status: 400, message: `The 'To' number ${to} is not a valid phone number.` }),
  "+15005550002": (to, from) => ({ code: 21612, status: 400, message: `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via SMS.` }),
  "+15005550003": (to) => ({ code: 21408, status: 400, message: `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.` }),
  "+15005550004": () => ({ code: 21610, status: 400, message: "Attempt to send to unsubscribed recipient" }),
  "+15005550009": (to) => ({ code: 21614, status: 400, message: `'To' number ${to} is not a valid mobile number` }),
};

export type DeliveryFailure = { status: "undelivered" | "failed"; code: number; message: string };

/** Accepted with 201, then fail in delivery like a real handset or carrier would, reported in the status callbacks. */
export const DELIVERY_FAILURES: Record<string, DeliveryFailure> = {
  "+15005553003": { status: "undelivered", code: 30003, message: "Unreachable destination handset" },
  "+15005553004": { status: "undelivered", code: 30004, message: "Message blocked" },
  "+15005553005": { status: "undelivered", code: 30005, message: "Unknown destination handset" },
  "+15005553006": { status: "undelivered", code: 30006, message: "Landline or unreachable carrier" },
  "+15005553007": { status: "undelivered", code: 30007, message: "Message filtered" },
  // "failed": Twilio could not send it at all (queued -> failed, never "sent").
  "+15005553008": { status: "failed", code: 30008, message: "Unknown error" },
};

/**
 * Twilio's own replies to the keywords, sent by Twilio itself with default opt-out handling (and, as configured, by
 * Advanced Opt-Out on a messaging service; these are its defaults too). The app must not reply a second time.
 */
export const DEFAULT_KEYWORD_REPLIES: Record<KeywordType, string> = {
  STOP: "You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.",
  START: "You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
  HELP: "Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
};
