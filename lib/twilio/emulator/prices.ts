// What the emulator bills per SMS segment, by destination country: approximations of Twilio's published outbound list
// prices in USD (twilio.com/en-us/sms/pricing, 2025), so the console's cost figures look like a real month's. Like
// Twilio, a message has no price until it is final and priced a moment after that; a message that failed before
// reaching a carrier is never billed.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { SandboxTwilioMessage } from "@/db/schema";

/** USD per outbound segment. */
export const PRICE_PER_SEGMENT: Record<string, number> = {
  US: 0.0083,
  CA: 0.0083,
  GB: 0.0524,
  IE: 0.0886,
  FR: 0.0798,
  DE: 0.0966,
  ES: 0.0796,
  IT: 0.0873,
  NL: 0.1023,
  BE: 0.0963,
  PT: 0.0386,
  SE: 0.0693,
  NO: 0.0792,
  DK: 0.0564,
  PL: 0.0407,
  AU: 0.0515,
  NZ: 0.1189,
  IN: 0.0832,
  BR: 0.0613,
  MX: 0.0631,
};
/** Countries not in the table: Twilio's prices elsewhere are mostly in this range. */
export const OTHER_COUNTRIES_PER_SEGMENT = 0.09;

/** Twilio: "Populated after the message has been sent. May not be immediately available." The emulator waits this long. */
export const PRICE_DELAY_MS = 1000;

const BILLED = new Set(["delivered", "undelivered", "read"]);

/** The destination's price per segment; Twilio's magic test numbers (+1 500 555…) are priced as the US. */
export function pricePerSegment(to: string): number {
  if (/^\+1500555\d{4}$/.test(to)) return PRICE_PER_SEGMENT.US!;
  const country = parsePhoneNumberFromString(to)?.country;
  return (country && PRICE_PER_SEGMENT[country]) ?? OTHER_COUNTRIES_PER_SEGMENT;
}

/** The message's `price` as Twilio writes it ("-0.05240"), or null while it is not (or never) billed. */
export function priceOf(m: SandboxTwilioMessage, now = Date.now()): string | null {
  if (m.direction === "inbound" || !BILLED.has(m.status) || now < m.dateUpdated + PRICE_DELAY_MS) return null;
  return (-pricePerSegment(m.to) * Math.max(1, m.numSegments)).toFixed(5);
}
