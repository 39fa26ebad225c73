// Phone numbers as members type them -> E.164 (libphonenumber-js, full metadata), and country names for messages.
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
export const OFCOM_DRAMA = /^\+447700900\d{3}$/;
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

