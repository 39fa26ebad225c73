// Usage and budget: per day and per month, SMS sent, delivered, failed, segments and cost (Twilio's prices), emails,
// and Yoti sessions by method at the configured unit prices; the monthly SMS budget, the alert thresholds and Yoti's
// prices, each changed here (and recorded in the audit log).
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireAdminPage } from "@/lib/console/gate";
import { formatMoney } from "@/lib/console/money";
import { usageReport, YOTI_METHODS, type Usage } from "@/lib/console/usage";
import { getSetting } from "@/lib/settings/settings";
import { budgetStatus } from "@/lib/sms-budget/budget";
import { saveAlertsAction, saveBudgetAction, saveYotiPricesAction } from "../actions";
import { BarChart } from "../BarChart";
import { ConsoleForm } from "../ConsoleForm";
import { ScrollTable } from "../ui";
import { number, percent } from "../format";

export const metadata: Metadata = { title: "Usage and budget" };
export const dynamic = "force-dynamic";

function UsageTable({ data, caption }: { data: Usage; caption: string }) {
  return (
    <ScrollTable label={caption}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col" className="num">SMS sent</th>
            <th scope="col" className="num">Delivered</th>
            <th scope="col" className="num">Failed</th>
            <th scope="col" className="num">Segments</th>
            <th scope="col" className="num">SMS cost</th>
            <th scope="col" className="num">Emails sent</th>
            {YOTI_METHODS.map((m) => (
              <th key={m} scope="col" className="num">
                Yoti {m}
              </th>
            ))}
            <th scope="col" className="num">Yoti cost</th>
          </tr>
        </thead>
        <tbody>
          {[...data.periods].reverse().map((p) => (
            <tr key={p.period}>
              <th scope="row">{p.period}</th>
              <td className="num">{number(p.sms.sent)}</td>
              <td className="num">{number(p.sms.delivered)}</td>
              <td className="num">{number(p.sms.failed)}</td>
              <td className="num">{number(p.sms.segments)}</td>
              <td className="num">{formatMoney(p.sms.costMicros, data.smsUnit)}</td>
              <td className="num">{number(p.email.sent)}</td>
              {YOTI_METHODS.map((m) => (
                <td key={m} className="num">
                  {number(p.yoti[m])}
                </td>
              ))}
              <td className="num">{formatMoney(p.yotiCostMicros, data.yotiPrices.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{number(data.totals.sms.sent)}</td>
            <td className="num">{number(data.totals.sms.delivered)}</td>
            <td className="num">{number(data.totals.sms.failed)}</td>
            <td className="num">{number(data.totals.sms.segments)}</td>
            <td className="num">{formatMoney(data.totals.sms.costMicros, data.smsUnit)}</td>
            <td className="num">{number(data.totals.email.sent)}</td>
            {YOTI_METHODS.map((m) => (
              <td key={m} className="num">
                {number(data.totals.yoti[m])}
              </td>
            ))}
            <td className="num">{formatMoney(data.totals.yotiCostMicros, data.yotiPrices.currency)}</td>
          </tr>
        </tfoot>
      </ScrollTable>
  );
}

export default async function UsagePage() {
  await requireAdminPage("/admin/usage");
  const db = getDb();
  const now = new Date();
  const { days: daily, months: monthly } = usageReport(db, now);
  const budget = budgetStatus(db, now);
  const budgetSetting = getSetting(db, "sms_budget");
  const alerts = getSetting(db, "alerts");
  const prices = getSetting(db, "yoti_prices");
  const spent = budget.pricedMicros + budget.estimatedMicros;
  const money = (micros: number) => formatMoney(micros, daily.smsUnit);
  return (
    <>
      <h1>Usage and budget</h1>
      <section className="card" aria-labelledby="budget-heading">
        <h2 id="budget-heading">Monthly SMS budget ({budget.month})</h2>
        {budget.limitMicros === null ? (
          <p>No budget is set: SMS are limited only by the daily caps.</p>
        ) : (
          <>
            <p>
              {formatMoney(spent, budget.unit)} of {formatMoney(budget.limitMicros, budget.unit)} ({percent(budget.ratio)})
              {budget.awaitingPrice > 0 && ` (${number(budget.awaitingPrice)} message(s) not priced by Twilio yet, counted at this month's average price)`}.{" "}
              {budget.stopAtLimit ? "Platform SMS stop at 100% until the 1st of next month." : "SMS continue past 100% (administrators are emailed at 80% and 100%)."}
            </p>
            <meter aria-label="Share of the monthly SMS budget used" min={0} max={1} low={0.8} high={0.99} optimum={0} value={Math.min(1, budget.ratio ?? 0)} />
          </>
        )}
        <h3>Change the budget</h3>
        <ConsoleForm
          action={saveBudgetAction}
          label="Monthly SMS budget"
          submit="Save the budget"
          fields={[
            {
              kind: "number",
              name: "monthlyLimit",
              label: `Monthly SMS budget (${budget.unit})`,
              value: budgetSetting.monthlyLimit === null ? "" : String(budgetSetting.monthlyLimit),
              hint: "Leave empty for no budget. Administrators are emailed at 80% and 100%.",
            },
            { kind: "checkbox", name: "stopAtLimit", label: "Stop sending platform SMS at 100% (members are told why and offered email)", checked: budgetSetting.stopAtLimit },
          ]}
        />
      </section>
      <section className="card" aria-labelledby="daily-heading">
        <h2 id="daily-heading">Last 30 days</h2>
        <BarChart
          title="SMS cost per day"
          summary={`${money(daily.totals.sms.costMicros)} over 30 days for ${number(daily.totals.sms.sent)} SMS.`}
          bars={daily.periods.map((p) => ({ label: p.period.slice(5), value: p.sms.costMicros, title: `${p.period}: ${money(p.sms.costMicros)}, ${p.sms.sent} SMS` }))}
          format={(n) => (n / 1_000_000).toFixed(2)}
        />
        <BarChart
          title="SMS sent per day"
          summary={`${number(daily.totals.sms.sent)} SMS sent, ${number(daily.totals.sms.delivered)} delivered, ${number(daily.totals.sms.failed)} failed.`}
          bars={daily.periods.map((p) => ({ label: p.period.slice(5), value: p.sms.sent, title: `${p.period}: ${p.sms.sent} sent, ${p.sms.delivered} delivered, ${p.sms.failed} failed` }))}
          format={(n) => String(Math.round(n))}
        />
        <details>
          <summary>Per day, in figures</summary>
          <UsageTable data={daily} caption="Usage per day" />
        </details>
      </section>
      <section className="card" aria-labelledby="monthly-heading">
        <h2 id="monthly-heading">Last 12 months</h2>
        <BarChart
          title="SMS cost per month"
          summary={`${money(monthly.totals.sms.costMicros)} over 12 months.`}
          bars={monthly.periods.map((p) => ({ label: p.period, value: p.sms.costMicros, title: `${p.period}: ${money(p.sms.costMicros)}` }))}
          format={(n) => (n / 1_000_000).toFixed(2)}
        />
        <UsageTable data={monthly} caption="Usage per month" />
      </section>
      <section className="card" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Alerts and prices</h2>
        <h3>Alert thresholds</h3>
        <ConsoleForm
          action={saveAlertsAction}
          label="Alert thresholds"
          submit="Save the thresholds"
          fields={[
            { kind: "number", name: "deliveryRatePercent", label: "Alert when the delivery rate of the last 100 SMS falls below (%)", value: String(alerts.deliveryRatePercent), inputMode: "numeric" },
            { kind: "number", name: "passRatePercent", label: "Alert when the pass rate of the last 50 age checks falls below (%)", value: String(alerts.passRatePercent), inputMode: "numeric" },
          ]}
        />
        <h3>Yoti unit prices</h3>
        <ConsoleForm
          action={saveYotiPricesAction}
          label="Yoti unit prices"
          submit="Save the prices"
          fields={[
            { kind: "text", name: "currency", label: "Currency (three letters)", value: prices.currency },
            { kind: "number", name: "AGE_ESTIMATION", label: "Age estimation, per session", value: String(prices.AGE_ESTIMATION) },
            { kind: "number", name: "DIGITAL_ID", label: "Digital ID, per session", value: String(prices.DIGITAL_ID) },
            { kind: "number", name: "DOC_SCAN", label: "Document scan, per session", value: String(prices.DOC_SCAN) },
          ]}
        />
      </section>
    </>
  );
}
