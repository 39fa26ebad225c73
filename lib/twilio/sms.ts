// What Twilio accepts as an SMS, written once for the server, the emulator and the compose form (pure, no
// dependencies, so the browser can count with it): E.164 numbers, the 1,600-character body limit, segment counting.

/** An E.164 phone number as Twilio takes it: +, a country code that does not start with 0, at most 15 digits. */
export const E164 = /^\+[1-9]\d{6,14}$/;
export const E164_EXAMPLE = "+447700900123";

/** Twilio's limit for one message body, in characters (error 21617 beyond it). */
export const MAX_SMS_BODY = 1600;

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

