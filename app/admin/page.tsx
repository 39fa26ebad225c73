// Console overview: this month's SMS spend against the budget, verification pass rate, webhook refusals, credentials
// due for rotation and the retention job's last run, each linking to its section.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { credentialAges } from "@/lib/credentials/age";
import { requireAdminPage } from "@/lib/console/gate";
import { webhookHealth } from "@/lib/console/integrations";
import { lastRun } from "@/lib/console/jobs";
import { formatMoney } from "@/lib/console/money";
import { verificationStats } from "@/lib/console/verifications";
import { getEnv } from "@/lib/env";
import { budgetStatus } from "@/lib/sms-budget/budget";
import { number, percent, when } from "./format";

export const metadata: Metadata = { title: "Console" };
export const dynamic = "force-dynamic";

export default async function ConsoleOverview() {
  await requireAdminPage("/admin");
  const db = getDb();
  const env = getEnv();
  const now = new Date();
  const budget = budgetStatus(db, now);
  const spent = budget.pricedMicros + budget.estimatedMicros;
  const verifications = verificationStats(db, { from: new Date(now.getTime() - 30 * 24 * 3600_000), until: now }, now);
  const refused = webhookHealth(db, now).reduce((n, w) => n + w.refused24h, 0);
  const oldCredentials = credentialAges(env, now.getTime()).filter((c) => c.status !== "ok");
  const retention = lastRun(db, "retention");
  return (
    <>
      <h1>Console</h1>
      <dl className="stats">
        <div className="stat">
          <dt>SMS spend this month</dt>
          <dd>{formatMoney(spent, budget.unit)}</dd>
        </div>
        <div className="stat">
          <dt>Monthly SMS budget</dt>
          <dd>{budget.limitMicros === null ? "None set" : `${percent(budget.ratio)} of ${formatMoney(budget.limitMicros, budget.unit)}`}</dd>
        </div>
        <div className="stat">
          <dt>Verification pass rate (30 days)</dt>
          <dd>{percent(verifications.passRate)}</dd>
        </div>
        <div className="stat">
          <dt>Webhooks refused (24 h)</dt>
          <dd>{number(refused)}</dd>
        </div>
      </dl>
      <section className="card" aria-labelledby="todo-heading">
        <h2 id="todo-heading">Needs attention</h2>
        <ul className="notes">
          {refused > 0 && (
            <li>
              {number(refused)} webhook request(s) refused in the last 24 hours: <Link href="/admin/integrations">see the likely causes</Link>.
            </li>
          )}
          {oldCredentials.map((c) => (
            <li key={c.credential}>
              {c.credential}: {c.advice} <Link href="/admin/credentials">Credentials</Link>
            </li>
          ))}
          {budget.ratio !== null && budget.ratio >= 0.8 && (
            <li>
              The SMS budget is {percent(budget.ratio)} used: <Link href="/admin/usage">Usage and budget</Link>.
            </li>
          )}
          {refused === 0 && oldCredentials.length === 0 && !(budget.ratio !== null && budget.ratio >= 0.8) && <li>Nothing: no refused webhooks, no credential due, budget fine.</li>}
        </ul>
        <p className="muted small">Retention last ran: {retention?.lastFinishedAt ? when(retention.lastFinishedAt) : "never"}.</p>
      </section>
    </>
  );
}
