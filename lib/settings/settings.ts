// Operator settings changed on the console, each with its schema and default: the monthly SMS budget, the alert
// thresholds and Yoti's unit prices. Stored in the database (not the environment) so an operator can change them
// without a deploy, with every change in the audit log; a value that no longer parses falls back to the default.
import "server-only";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { log } from "@/lib/log";
import { readSetting, writeSetting } from "./queries";

const money = (what: string, max: number) =>
  z
    .number({ error: `Enter ${what} as a number, e.g. 25 or 0.25.` })
    .finite(`Enter ${what} as a number.`)
    .min(0, `${what[0]!.toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} must be at most ${max}.`)
    .refine((n) => Math.abs(n * 10_000 - Math.round(n * 10_000)) < 1e-6, `Use at most 4 decimals for ${what}.`);

const percent = (what: string) =>
  z
    .number({ error: `Enter ${what} as a whole percentage between 1 and 100.` })
    .int(`Enter ${what} as a whole percentage between 1 and 100.`)
    .min(1, `${what} must be between 1 and 100.`)
    .max(100, `${what} must be between 1 and 100.`);

export const SETTINGS = {
  /** The monthly SMS budget in Twilio's price unit (null: none), and whether platform SMS stop when it is reached. */
  sms_budget: {
    label: "Monthly SMS budget",
    schema: z.object({
      monthlyLimit: money("the monthly budget", 10_000_000).refine((n) => n > 0, "The monthly budget must be more than 0 (leave it empty for no budget).").nullable(),
      stopAtLimit: z.boolean(),
    }),
    fallback: { monthlyLimit: null, stopAtLimit: false },
  },
  /** Alert thresholds: delivery rate over the last 100 SMS, and the verification pass rate over the last 50 results. */
  alerts: {
    label: "Alert thresholds",
    schema: z.object({ deliveryRatePercent: percent("The delivery rate threshold"), passRatePercent: percent("The pass rate threshold") }),
    fallback: { deliveryRatePercent: 80, passRatePercent: 50 },
  },
  /** What Yoti charges per session, by the method the person used, in the currency of the Yoti contract. */
  yoti_prices: {
    label: "Yoti unit prices",
    schema: z.object({
      currency: z.string().regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as GBP."),
      AGE_ESTIMATION: money("the age estimation price", 1000),
      DIGITAL_ID: money("the digital ID price", 1000),
      DOC_SCAN: money("the document scan price", 1000),
    }),
    fallback: { currency: "GBP", AGE_ESTIMATION: 0, DIGITAL_ID: 0, DOC_SCAN: 0 },
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]["schema"]>;

/** A setting's current value, or its default when unset (or stored in a shape this version no longer accepts). */
export function getSetting<K extends SettingKey>(db: Tx, key: K): SettingValue<K> {
  const stored = readSetting(db, key);
  if (stored === undefined) return SETTINGS[key].fallback as SettingValue<K>;
  const parsed = SETTINGS[key].schema.safeParse(stored);
  if (parsed.success) return parsed.data as SettingValue<K>;
  log.warn({ key }, "operator setting no longer valid; using its default");
  return SETTINGS[key].fallback as SettingValue<K>;
}

/** Stores a value already checked against the setting's schema; returns what it replaced. Run inside the caller's transaction. */
export function putSetting<K extends SettingKey>(db: Tx, key: K, value: SettingValue<K>, by: string): SettingValue<K> {
  const before = getSetting(db, key);
  writeSetting(db, key, value, by);
  return before;
}
