// What the emulator bills per SMS segment, by destination country: Twilio's list prices (lib/twilio/prices.ts), so
// the console's cost figures look like a real month's. Like Twilio, a message has no price until it is final and
// priced a moment after that; a message that failed before reaching a carrier is never billed.
import type { SandboxTwilioMessage } from "@/db/schema";
import { pricePerSegment } from "../prices";

/** Twilio: "Populated after the message has been sent. May not be immediately available." The emulator waits this long. */
export const PRICE_DELAY_MS = 1000;

const BILLED = new Set(["delivered", "undelivered", "read"]);

/** The message's `price` as Twilio writes it ("-0.05240"), or null while it is not (or never) billed. */
export function priceOf(m: SandboxTwilioMessage, now = Date.now()): string | null {
  if (m.direction === "inbound" || !BILLED.has(m.status) || now < m.dateUpdated + PRICE_DELAY_MS) return null;
  return (-pricePerSegment(m.to) * Math.max(1, m.numSegments)).toFixed(5);
}
