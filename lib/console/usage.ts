// The Usage section: per day (last 30 days) and per month (last 12 months), SMS sent, delivered, failed, segments and
// cost (Twilio's price on each final message), emails sent, and Yoti sessions by method at the unit prices set on
// the console.
import "server-only";
import type { Db } from "@/db/client";
import { getSetting, type SettingValue } from "@/lib/settings/settings";
import { lastPriceUnit } from "@/lib/sms-budget/queries";
import { emailPerDay, smsPerDay, yotiPerDay } from "./queries/usage";

export const YOTI_METHODS = ["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"] as const;
export type YotiMethod = (typeof YOTI_METHODS)[number];

export type UsagePeriod = {
  period: string;
  sms: { sent: number; delivered: number; failed: number; segments: number; costMicros: number };
  email: { sent: number; failed: number };
  /** Sessions by the method the person used ("NONE": never got as far as choosing one). */
  yoti: Record<YotiMethod | "NONE", number>;
  yotiCostMicros: number;
};

export type Usage = { periods: UsagePeriod[]; smsUnit: string; yotiPrices: SettingValue<"yoti_prices">; totals: Omit<UsagePeriod, "period"> };

const DAY = 24 * 3600_000;

const empty = (period: string): UsagePeriod => ({
  period,
  sms: { sent: 0, delivered: 0, failed: 0, segments: 0, costMicros: 0 },
  email: { sent: 0, failed: 0 },
  yoti: { AGE_ESTIMATION: 0, DIGITAL_ID: 0, DOC_SCAN: 0, NONE: 0 },
  yotiCostMicros: 0,
});

function add(into: UsagePeriod, p: UsagePeriod): void {
  into.sms.sent += p.sms.sent;
  into.sms.delivered += p.sms.delivered;
  into.sms.failed += p.sms.failed;
  into.sms.segments += p.sms.segments;
  into.sms.costMicros += p.sms.costMicros;
  into.email.sent += p.email.sent;
  into.email.failed += p.email.failed;
  for (const m of [...YOTI_METHODS, "NONE"] as const) into.yoti[m] += p.yoti[m];
  into.yotiCostMicros += p.yotiCostMicros;
}

export type UsageReport = { days: Usage; months: Usage };

/**
 * Usage for the last 30 days (per day) and the last 12 months (per month), from one pass over the year's days.
 * A day is a UTC day; a month is the sum of its days.
 */
export function usageReport(db: Db, now = new Date()): UsageReport {
  const until = new Date(Math.floor(now.getTime() / DAY) * DAY + DAY);
  const monthsFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  const daysFrom = new Date(until.getTime() - 30 * DAY);
  const from = monthsFrom < daysFrom ? monthsFrom : daysFrom;
  const prices = getSetting(db, "yoti_prices");
  const byDay = new Map<number, UsagePeriod>();
  const dayOf = (n: number) => {
    let p = byDay.get(n);
    if (!p) byDay.set(n, (p = empty(new Date(n * DAY).toISOString().slice(0, 10))));
    return p;
  };
  for (const r of smsPerDay(db, from, until)) dayOf(r.day).sms = { sent: r.sent, delivered: r.delivered, failed: r.failed, segments: r.segments, costMicros: r.priceMicros };
  for (const r of emailPerDay(db, from, until)) dayOf(r.day).email = { sent: r.sent, failed: r.failed };
  for (const r of yotiPerDay(db, from, until)) {
    const p = dayOf(r.day);
    const method = (YOTI_METHODS as readonly string[]).includes(r.method ?? "") ? (r.method as YotiMethod) : "NONE";
    p.yoti[method] += r.sessions;
    if (method !== "NONE") p.yotiCostMicros += Math.round(prices[method] * 1_000_000) * r.sessions;
  }
  const smsUnit = lastPriceUnit(db) ?? "USD";
  const report = (periods: UsagePeriod[]): Usage => {
    const totals = empty("total");
    for (const p of periods) add(totals, p);
    return { periods, smsUnit, yotiPrices: prices, totals };
  };
  const first = Math.floor(daysFrom.getTime() / DAY);
  const days = Array.from({ length: 30 }, (_, i) => byDay.get(first + i) ?? empty(new Date((first + i) * DAY).toISOString().slice(0, 10)));
  const months = Array.from({ length: 12 }, (_, i) => empty(new Date(Date.UTC(monthsFrom.getUTCFullYear(), monthsFrom.getUTCMonth() + i, 1)).toISOString().slice(0, 7)));
  const monthIndex = new Map(months.map((m) => [m.period, m]));
  for (const [n, p] of byDay) {
    const month = monthIndex.get(new Date(n * DAY).toISOString().slice(0, 7));
    if (month) add(month, p);
  }
  return { days: report(days), months: report(months) };
}
