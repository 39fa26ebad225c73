// Twilio's outbound SMS list prices per segment by destination country (USD; twilio.com/en-us/sms/pricing, 2025,
// approximations): what the emulator bills, and what an announcement's cost is estimated at before it is sent.
// Twilio bills what it bills: real prices arrive on each message after its final status (decision 038).
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

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
/** The currency of the table. */
export const PRICE_UNIT = "USD";

/** The list price per segment to numbers of a country (ISO 3166 alpha-2); elsewhere, the usual range. */
export const countryPricePerSegment = (country: string | undefined): number => (country ? PRICE_PER_SEGMENT[country] : undefined) ?? OTHER_COUNTRIES_PER_SEGMENT;

/** The destination's list price per segment; Twilio's magic test numbers (+1 500 555…) are priced as the US. */
export function pricePerSegment(to: string): number {
  if (/^\+1500555\d{4}$/.test(to)) return PRICE_PER_SEGMENT.US!;
  return countryPricePerSegment(parsePhoneNumberFromString(to)?.country);
}
