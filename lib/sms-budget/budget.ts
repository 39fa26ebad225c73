// The monthly SMS budget: this UTC month's spend (Twilio's prices, plus an estimate for messages Twilio has not priced
// yet) against the limit set on the console, and the refusal members see when SMS stop at 100%.
import "server-only";
import type { Db } from "@/db/client";
import { getSetting } from "@/lib/settings/settings";
import { smsSpend } from "./queries";

export type BudgetStatus = {
  /** YYYY-MM (UTC). */
  month: string;
  limitMicros: number | null;
  /** Twilio's prices of this month's SMS. */
  pricedMicros: number;
  /** Messages accepted but not priced yet, counted at this month's average price so far. */
  estimatedMicros: number;
  awaitingPrice: number;
  unit: string;
  /** (priced + estimated) / limit; null without a budget. */
  ratio: number | null;
  stopAtLimit: boolean;
};

const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
export const nextMonthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

export function budgetStatus(db: Db, now = new Date()): BudgetStatus {
  const { monthlyLimit, stopAtLimit } = getSetting(db, "sms_budget");
  const spend = smsSpend(db, monthStart(now), nextMonthStart(now));
  const average = spend.priced ? spend.pricedMicros / spend.priced : 0;
  const estimatedMicros = Math.round(average * spend.awaitingPrice);
  const limitMicros = monthlyLimit === null ? null : Math.round(monthlyLimit * 1_000_000);
  return {
    month: now.toISOString().slice(0, 7),
    limitMicros,
    pricedMicros: spend.pricedMicros,
    estimatedMicros,
    awaitingPrice: spend.awaitingPrice,
    unit: spend.unit ?? "USD",
    ratio: limitMicros ? (spend.pricedMicros + estimatedMicros) / limitMicros : null,
    stopAtLimit,
  };
}

const dayName = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });

/** The day a budget-stopped month ends and platform SMS resume, in words ("1 March", UTC). */
export const budgetResumeDay = (now: Date) => dayName.format(nextMonthStart(now));

/** What a member is told when platform SMS are paused for the month. */
export function budgetReachedMessage(now: Date): string {
  return `Select Exposure has used this month's budget for text messages, so it sends none until ${budgetResumeDay(now)}. Invite by email or from your own phone meanwhile.`;
}

// Every SMS send asks: the answer is kept for a few seconds rather than summing the month each time.
const CACHE_MS = 5_000;
let cached: { at: number; refusal: string | null } | null = null;

/** Why no platform SMS may be queued now (the budget is reached and set to stop them), or null. */
export function smsBudgetRefusal(db: Db, now = new Date()): string | null {
  if (cached && now.getTime() - cached.at < CACHE_MS) return cached.refusal;
  const status = budgetStatus(db, now);
  const refusal = status.stopAtLimit && status.ratio !== null && status.ratio >= 1 ? budgetReachedMessage(now) : null;
  cached = { at: now.getTime(), refusal };
  return refusal;
}

/** After the budget setting changed in this process: the next send re-reads it. */
export function forgetBudgetCache(): void {
  cached = null;
}
