// Verifications: age-check sessions by status and method per day, the pass rate and median time from start to result,
// and the sessions themselves (each with its history).
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { firstValues } from "@/lib/console/filters";
import { requireAdminPage } from "@/lib/console/gate";
import { duration, listSessions, METHOD_FILTERS, parseSessionFilters, SESSION_STATUSES, verificationStats } from "@/lib/console/verifications";
import { effectiveStatus } from "@/lib/verification/sessions";
import { BarChart } from "../BarChart";
import { FilterProblems } from "../FilterProblems";
import { number, percent, whenShort } from "../format";
import { Pager } from "../Pager";
import { FilterForm, FilterInput, FilterSelect, ScrollTable } from "../ui";

export const metadata: Metadata = { title: "Verifications" };
export const dynamic = "force-dynamic";

const BADGE: Record<string, string> = { COMPLETE: "ok", FAIL: "bad", ERROR: "bad", PENDING: "warn", IN_PROGRESS: "warn" };
const SHOWN = ["COMPLETE", "FAIL", "ERROR", "CANCELLED", "EXPIRED", "PENDING", "IN_PROGRESS"];
const METHODS = ["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN", "NONE"];

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerificationsPage({ searchParams }: Props) {
  await requireAdminPage("/admin/verifications");
  const params = firstValues(await searchParams);
  const db = getDb();
  const now = new Date();
  const parsed = parseSessionFilters(db, params, now);
  const stats = parsed.ok ? verificationStats(db, parsed.query, now) : null;
  const list = parsed.ok ? listSessions(db, parsed.query, parsed.filters.page, now) : null;
  const { page: _page, ...filters } = params;
  void _page;
  const problem = (name: string) => !parsed.ok && Boolean(parsed.problems[name]);
  return (
    <>
      <h1>Verifications</h1>
      <FilterForm label="Filter verification sessions">
        <FilterInput name="from" label="From" type="date" value={params.from} invalid={problem("from")} />
        <FilterInput name="to" label="To" type="date" value={params.to} invalid={problem("to")} />
        <FilterSelect name="status" label="Status" value={params.status} options={SESSION_STATUSES} />
        <FilterSelect name="method" label="Method" value={params.method} options={METHOD_FILTERS.map((m) => ({ value: m, label: m === "NONE" ? "None chosen" : m }))} />
        <FilterInput name="member" label="Member (email or id)" value={params.member} invalid={problem("member")} />
      </FilterForm>
      <FilterProblems problems={parsed.ok ? null : parsed.problems} />
      {parsed.ok && stats && list && (
        <>
          <p className="muted">
            {parsed.query.from.toISOString().slice(0, 10)} to {new Date(parsed.query.until.getTime() - 1).toISOString().slice(0, 10)} (UTC). Statistics cover every session
            in the period; the list below also applies the status, method and member filters.
          </p>
          <dl className="stats">
            <div className="stat">
              <dt>Sessions</dt>
              <dd>{number(stats.total)}</dd>
            </div>
            <div className="stat">
              <dt>Pass rate</dt>
              <dd>{percent(stats.passRate)}</dd>
            </div>
            <div className="stat">
              <dt>Median time to result</dt>
              <dd>{stats.medianMs === null ? "—" : duration(stats.medianMs)}</dd>
            </div>
            <div className="stat">
              <dt>Results (pass or fail)</dt>
              <dd>{number(stats.results)}</dd>
            </div>
          </dl>
          <BarChart
            title="Verification sessions per day"
            summary={`${number(stats.total)} sessions over ${stats.days.length} days; the busiest day had ${number(Math.max(0, ...stats.days.map((d) => d.total)))}.`}
            bars={stats.days.map((d) => ({ label: d.day.slice(5), value: d.total, title: `${d.day}: ${d.total} sessions, ${d.byStatus.COMPLETE ?? 0} passed, ${d.byStatus.FAIL ?? 0} failed` }))}
          />
          <details className="card">
            <summary>Per day, by status and method</summary>
            <ScrollTable label="Verification sessions per day">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col" className="num">
                      Sessions
                    </th>
                    {SHOWN.map((s) => (
                      <th key={s} scope="col" className="num">
                        {s}
                      </th>
                    ))}
                    {METHODS.map((m) => (
                      <th key={m} scope="col" className="num">
                        {m === "NONE" ? "No method" : m}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {stats.days.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{d.day}</th>
                      <td className="num">{d.total}</td>
                      {SHOWN.map((s) => (
                        <td key={s} className="num">
                          {d.byStatus[s] ?? 0}
                        </td>
                      ))}
                      {METHODS.map((m) => (
                        <td key={m} className="num">
                          {d.byMethod[m] ?? 0}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
            </ScrollTable>
          </details>
          <h2>Sessions</h2>
          <p>{number(list.total)} matching, newest first.</p>
          {list.items.length > 0 && (
            <ScrollTable label="Verification sessions">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Member</th>
                    <th scope="col">Status</th>
                    <th scope="col">Method</th>
                    <th scope="col">Time to result</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((s) => {
                    const status = effectiveStatus(s, now);
                    return (
                      <tr key={s.id}>
                        <td>
                          <Link href={`/admin/verifications/${encodeURIComponent(s.id)}`}>{whenShort(s.createdAt)}</Link>
                        </td>
                        <td>{s.memberEmail}</td>
                        <td>
                          <span className={`badge ${BADGE[status] ?? "neutral"}`}>{status}</span>
                        </td>
                        <td>{s.method ?? "—"}</td>
                        <td>{s.finishedAt ? duration(s.finishedAt.getTime() - s.createdAt.getTime()) : "—"}</td>
                      </tr>
                    );
                  })}
                </tbody>
            </ScrollTable>
          )}
          <Pager base="/admin/verifications" params={filters} page={parsed.filters.page} pages={list.pages} label="Sessions" />
        </>
      )}
    </>
  );
}
