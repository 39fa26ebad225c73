// Where and how much the platform may text (against SMS pumping and toll fraud): the configured countries only (in
// sandbox mode also Twilio's magic test numbers, which exist only in the emulator), within daily caps, overall and
// per destination country. Smoke signals and join alerts both go through here.
import "server-only";
import type { Db } from "@/db/client";
import type { Env } from "@/lib/env";
import { floodGate, heldBackWords, log } from "@/lib/log";
import { nextMonthStart, smsBudgetRefusal } from "@/lib/sms-budget/budget";
import { countryName } from "@/lib/twilio/phone";
import { SignalRefused } from "./errors";
import { countSms, smsUsedOn } from "./queries";

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

export type SmsBudgetEnv = Pick<Env, "smsCaps"> & { twilio: Pick<Env["twilio"], "defaultCountry"> };

/** The daily cap of one destination country: its override, else the global cap at home and SMS_COUNTRY_DAILY_CAP abroad. */
export function countryDailyCap(env: SmsBudgetEnv, country: string): number {
  return env.smsCaps.countries[country] ?? (country === env.twilio.defaultCountry ? env.smsCaps.daily : env.smsCaps.perCountry);
}

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);
const secondsToUtcMidnight = (now: number) => Math.max(1, Math.ceil((Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1) - now) / 1000));

/**
 * Takes one platform SMS from today's budget (UTC day): the global cap and the destination country's cap. Inside the
 * caller's transaction, so concurrent sends cannot overshoot. Throws a 429 SignalRefused (nothing is counted or sent)
 * and logs an error for the operator when a cap is reached.
 */
export function takeSmsBudget(db: Db, env: SmsBudgetEnv, country: string | undefined, now = Date.now()): void {
  // The monthly budget, when the operator set it to stop SMS at 100% (lib/sms-budget): until the 1st of next month.
  const budget = smsBudgetRefusal(db, new Date(now));
  if (budget) throw new SignalRefused(429, "sms_budget_reached", budget, undefined, Math.max(1, Math.ceil((nextMonthStart(new Date(now)).getTime() - now) / 1000)));
  const day = utcDay(now);
  const where = country ?? "";
  const { total, country: used } = smsUsedOn(db, day, where);
  const countryCap = countryDailyCap(env, where);
  const reached = total >= env.smsCaps.daily ? "global" : used >= countryCap ? "country" : null;
  if (reached) {
    // One operator line per cap and minute: an attacker hammering a reached cap must not flood the log.
    const gate = floodGate(`sms-cap:${reached}:${reached === "country" ? where : ""}`, now);
    if (gate) {
      log.error(
        reached === "global"
          ? { cap: "SMS_DAILY_CAP", limit: env.smsCaps.daily, day, heldBack: gate.heldBack }
          : { cap: "SMS_COUNTRY_DAILY_CAPS", country: where, limit: countryCap, day, heldBack: gate.heldBack },
        (reached === "global"
          ? `SMS daily cap reached: ${env.smsCaps.daily} platform SMS today (UTC); further SMS are refused until midnight UTC. If this is genuine traffic raise SMS_DAILY_CAP; if not, look for SMS pumping.`
          : `SMS daily cap for ${where || "numbers without a country"} reached: ${countryCap} today (UTC); further SMS there are refused until midnight UTC. If this is genuine traffic raise it with SMS_COUNTRY_DAILY_CAPS=${where}:<n>; if not, look for SMS pumping.`) + heldBackWords(gate.heldBack),
      );
    }
    const message =
      reached === "global"
        ? "Select Exposure has sent as many text messages today as it allows. Try again tomorrow, or invite by email or from your own phone."
        : `We have sent as many text messages to ${where ? `${countryName(where)} numbers` : "numbers without a country"} today as we allow. Try again tomorrow, or invite by email or from your own phone.`;
    throw new SignalRefused(429, "sms_daily_cap", message, undefined, secondsToUtcMidnight(now));
  }
  countSms(db, day, where);
}
