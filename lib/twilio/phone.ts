// Phone numbers as members type them -> E.164 (libphonenumber-js, full metadata), and SMS segment counting.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export type NormalisedPhone = { ok: true; e164: string; country: string | undefined } | { ok: false; message: string };

// Made on first use, not at import: building it loads ICU's region names (about 7 MB and 30 ms at every start).
let regionNames: Intl.DisplayNames | undefined;

/** "United Kingdom" for "GB"; the code itself when the runtime does not know it. */
export function countryName(code: string | undefined): string {
  if (!code) return "any country";
  try {
    regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

// Ofcom keeps 07700 900000-900999 for drama and testing: not routable, but testers type them, so they pass here
// (Twilio then answers for them like for any undeliverable number).
const OFCOM_DRAMA = /^\+447700900\d{3}$/;
// Number types that can receive SMS. US/CA numbers are FIXED_LINE_OR_MOBILE; Twilio's magic test numbers
// (+1 500 555 xxxx) are PERSONAL_NUMBER.
const TEXTABLE = new Set(["MOBILE", "FIXED_LINE_OR_MOBILE", "PERSONAL_NUMBER", "VOIP", "PAGER"]);

/**
 * International input ("+33 6 12 34 56 78", "0033 6…") or national input in the default country ("07700 900123").
 * The failure message is plain words for the member, never a Twilio code.
 */
export function normalisePhone(input: string, defaultCountry: string): NormalisedPhone {
  const raw = (input ?? "").trim();
  const where = countryName(defaultCountry);
  if (!raw) return { ok: false, message: "Enter a mobile number." };
  if (/[a-z]/i.test(raw.replace(/^tel:/i, "").replace(/\s*(ext\.?|x)\s*\d+$/i, ""))) {
    return { ok: false, message: "A phone number can only contain digits, spaces, brackets, dashes and a leading +." };
  }
  // "00" is the international prefix in most of the world; members paste it as often as "+".
  const cleaned = raw.replace(/^tel:/i, "").replace(/^00(?=[1-9])/, "+");
  const phone = parsePhoneNumberFromString(cleaned, defaultCountry.toUpperCase() as CountryCode);
  if (!phone) {
    return { ok: false, message: cleaned.startsWith("+") ? "That is not a valid mobile number." : `That is not a valid mobile number for ${where}.` };
  }
  const country = phone.country;
  const forCountry = country ?? (cleaned.startsWith("+") ? undefined : defaultCountry.toUpperCase());
  const notValid = { ok: false as const, message: forCountry ? `That is not a valid mobile number for ${countryName(forCountry)}.` : "That is not a valid mobile number." };
  if (OFCOM_DRAMA.test(phone.number)) return { ok: true, e164: phone.number, country: "GB" };
  if (!phone.isValid()) return notValid;
  const type = phone.getType();
  if (type !== undefined && !TEXTABLE.has(type)) {
    const kind = type === "FIXED_LINE" ? "a landline" : type === "TOLL_FREE" ? "a freephone number" : "not a mobile number";
    return { ok: false, message: `That number is ${kind}${country ? ` in ${countryName(country)}` : ""}; text messages need a mobile number.` };
  }
  return { ok: true, e164: phone.number, country };
}

/** Mask for display and logs: "+44 •••• ••0123" style, keeping the country code and the last four digits. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, "");
  if (digits.length <= 4) return e164;
  const phone = parsePhoneNumberFromString(e164);
  const cc = phone?.countryCallingCode ?? digits.slice(0, 1);
  const rest = digits.slice(cc.length);
  return `+${cc} ${"•".repeat(Math.max(rest.length - 4, 0))}${rest.slice(-4)}`;
}

// The GSM 03.38 basic character set, and the extension characters that cost two septets (escape + char).
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type SegmentInfo = { encoding: "GSM-7" | "UCS-2"; segments: number; perSegment: number };

/**
 * How many SMS segments a body costs: GSM-7 160 alone / 153 per part (extension characters count twice);
 * anything outside GSM-7 switches the whole message to UCS-2: 70 alone / 67 per part (emoji count two UTF-16 units).
 */
export function segmentInfo(body: string): SegmentInfo {
  const chars = [...body];
  const gsm = chars.every((c) => basic.has(c) || extended.has(c));
  if (gsm) {
    const units = chars.reduce((n, c) => n + (extended.has(c) ? 2 : 1), 0);
    if (units <= 160) return { encoding: "GSM-7", segments: units === 0 ? 0 : 1, perSegment: 160 };
    return { encoding: "GSM-7", segments: Math.ceil(units / 153), perSegment: 153 };
  }
  const units = body.length; // UTF-16 code units: what UCS-2 (really UTF-16) transmits
  if (units <= 70) return { encoding: "UCS-2", segments: 1, perSegment: 70 };
  return { encoding: "UCS-2", segments: Math.ceil(units / 67), perSegment: 67 };
}

/** Twilio's limit for one message body, in characters. */
export const MAX_SMS_BODY = 1600;
