// The console's alerts: the monthly SMS budget at 80% and 100%, the delivery rate over the last 100 SMS Twilio
// accepted, and the verification pass rate over the last 50 results. Each alert is emailed to the administrators once
// when it starts firing (through the outbox, so never lost or doubled) and shown on the console while it fires.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { OperatorAlert } from "@/db/schema";
import { enqueue } from "@/lib/outbox/queue";
import { getSetting } from "@/lib/settings/settings";
import { budgetResumeDay, budgetStatus } from "@/lib/sms-budget/budget";
import { formatMoney } from "./money";
import { OPERATOR_ALERT } from "./operator-mail";
import { activeAdminEmails, alertState, firingAlerts, recentSmsOutcomes, recentVerificationResults, saveAlert } from "./queries/alerts";


/** The delivery rate is judged over this many SMS, once at least DELIVERY_MIN_SAMPLE have a final status. */
export const DELIVERY_WINDOW = 100;
const DELIVERY_MIN_SAMPLE = 20;
export const PASS_WINDOW = 50;
const PASS_MIN_SAMPLE = 10;

export type AlertVerdict = { key: string; firing: boolean; title: string; detail: string };

const pct = (r: number) => `${Math.round(r * 100)}%`;

/** What each alert says now (pure reads). */
export function evaluateAlerts(db: Db, now = new Date()): AlertVerdict[] {
  const verdicts: AlertVerdict[] = [];
  const budget = budgetStatus(db, now);
  if (budget.limitMicros !== null && budget.ratio !== null) {
    const spent = formatMoney(budget.pricedMicros + budget.estimatedMicros, budget.unit);
    const limit = formatMoney(budget.limitMicros, budget.unit);
    for (const threshold of [80, 100]) {
      const stops = threshold === 100 && budget.stopAtLimit;
      verdicts.push({
        key: `sms_budget:${budget.month}:${threshold}`,
        firing: budget.ratio * 100 >= threshold,
        title: `SMS budget ${threshold}% reached`,
        detail:
          `This month's SMS spend is ${spent} of the ${limit} budget (${pct(budget.ratio)}).` +
          (stops
            ? ` Platform SMS are stopped until ${budgetResumeDay(now)}: members are told to invite by email or from their own phone. Raise the budget on the console's Usage page to resume.`
            : threshold === 100
              ? " SMS keep going (the budget is set not to stop them)."
              : ""),
      });
    }
  }
  const { deliveryRatePercent, passRatePercent } = getSetting(db, "alerts");
  const outcomes = recentSmsOutcomes(db, DELIVERY_WINDOW);
  if (outcomes.length >= DELIVERY_MIN_SAMPLE) {
    const rate = outcomes.filter((o) => o === "delivered").length / outcomes.length;
    verdicts.push({
      key: "delivery_rate",
      firing: rate * 100 < deliveryRatePercent,
      title: "SMS delivery rate low",
      detail: `${pct(rate)} of the last ${outcomes.length} SMS were delivered (alert below ${deliveryRatePercent}%). Look at the failed messages' error codes on the Messages page: carrier filtering (30007), unreachable handsets (30003) or a country's routes.`,
    });
  }
  const results = recentVerificationResults(db, PASS_WINDOW);
  if (results.length >= PASS_MIN_SAMPLE) {
    const rate = results.filter((s) => s === "COMPLETE").length / results.length;
    verdicts.push({
      key: "verification_pass_rate",
      firing: rate * 100 < passRatePercent,
      title: "Verification pass rate collapsed",
      detail: `${pct(rate)} of the last ${results.length} age checks passed (alert below ${passRatePercent}%). Look at the Verifications page: a method failing for everyone, a changed age threshold, or Yoti trouble.`,
    });
  }
  return verdicts;
}

/**
 * Records each verdict; an alert that starts firing is emailed to every active administrator in the same transaction.
 * Returns the keys that started firing.
 */
export function applyAlerts(db: Db, verdicts: AlertVerdict[], appUrl: string, now = new Date()): string[] {
  const started: string[] = [];
  immediate(db, () => {
    for (const v of verdicts) {
      const before = alertState(db, v.key);
      if (v.firing && !before?.firing) {
        for (const to of activeAdminEmails(db)) {
          enqueue(db, {
            channel: "Email",
            recipient: to,
            subject: `Select Exposure: ${v.title}`,
            body: `${v.detail}\n\nThe console: ${appUrl}/admin\n`,
            purpose: OPERATOR_ALERT,
            fairnessKey: "operator",
          });
        }
        saveAlert(db, { key: v.key, firing: true, since: now, notifiedAt: now, detail: v.detail });
        started.push(v.key);
      } else if (v.firing) {
        saveAlert(db, { ...before!, detail: v.detail });
      } else if (before?.firing) {
        saveAlert(db, { ...before, firing: false, since: now, detail: v.detail });
      }
    }
  });
  return started;
}

/** Alerts firing now, for the console's banner. */
export function currentAlerts(db: Db): OperatorAlert[] {
  return firingAlerts(db);
}
