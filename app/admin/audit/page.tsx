// The audit log: every admin action with who, what, when, the reason and the record before and after.
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { AUDIT_ACTIONS, listAudit, type AuditAction } from "@/lib/console/audit";
import { firstValues } from "@/lib/console/filters";
import { requireAdminPage } from "@/lib/console/gate";
import { number, when } from "../format";
import { Pager } from "../Pager";
import { FilterForm, FilterInput, FilterSelect, ScrollTable } from "../ui";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function Values({ value }: { value: Record<string, unknown> | null }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <dl className="facts small">
      {Object.entries(value).map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt>{k}</dt>
          <dd>{typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AuditPage({ searchParams }: Props) {
  await requireAdminPage("/admin/audit");
  const params = firstValues(await searchParams);
  const action = params.action && params.action in AUDIT_ACTIONS ? (params.action as AuditAction) : undefined;
  const badAction = Boolean(params.action) && !action;
  const q = params.q?.trim().slice(0, 254) || undefined;
  const page = Math.min(100_000, Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1));
  const { entries, total } = badAction ? { entries: [], total: 0 } : listAudit(getDb(), { action, q }, page);
  const { page: _page, ...filters } = params;
  void _page;
  return (
    <>
      <h1>Audit log</h1>
      <FilterForm label="Filter the audit log">
        <FilterSelect name="action" label="Action" value={action} options={Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }))} />
        <FilterInput name="q" label="Administrator or target" value={q} />
      </FilterForm>
      {badAction && (
        <div className="alert error" role="alert">
          There is no action “{params.action}”: choose one from the list.
        </div>
      )}
      <p>{number(total)} entr{total === 1 ? "y" : "ies"}, newest first.</p>
      {entries.length > 0 && (
        <ScrollTable label="Audit log entries">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td>{e.actorEmail}</td>
                  <td>{AUDIT_ACTIONS[e.action as AuditAction] ?? e.action}</td>
                  <td>{e.targetLabel ?? e.targetId ?? "—"}</td>
                  <td>{e.reason ?? "—"}</td>
                  <td>
                    <Values value={e.before ?? null} />
                  </td>
                  <td>
                    <Values value={e.after ?? null} />
                  </td>
                </tr>
              ))}
            </tbody>
        </ScrollTable>
      )}
      <Pager base="/admin/audit" params={filters} page={page} pages={Math.max(1, Math.ceil(total / 50))} label="Audit log" />
    </>
  );
}
