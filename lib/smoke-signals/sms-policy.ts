// Where the platform may send SMS (against SMS pumping and toll fraud): the configured countries only, and in sandbox
// mode also Twilio's magic test numbers, which exist only in the emulator.
import "server-only";
import type { Env } from "@/lib/env";
import { countryName } from "@/lib/twilio/phone";

/** Twilio's documented test numbers (+1 500 555 xxxx): the sandbox's emulator answers them; no carrier does. */
export const TWILIO_TEST_NUMBER = /^\+1500555\d{4}$/;

export type SmsPolicyEnv = Pick<Env, "mode"> & { twilio: Pick<Env["twilio"], "allowedCountries" | "defaultCountry"> };

/** Why the platform will not text this number, in the member's words; null when it may. */
export function countryRefusal(env: SmsPolicyEnv, phone: { e164: string; country: string | undefined }): string | null {
  const allowed = env.twilio.allowedCountries;
  if (allowed === "all") return null;
  if (env.mode === "sandbox" && TWILIO_TEST_NUMBER.test(phone.e164)) return null;
  if (phone.country && allowed.includes(phone.country)) return null;
  const where = phone.country ? `${countryName(phone.country)} numbers` : "that number";
  return `We do not send SMS to ${where}. Allowed: ${allowed.map((c) => countryName(c)).join(", ")}.`;
}
