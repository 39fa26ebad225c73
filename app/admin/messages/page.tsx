// Messages: every SMS and email the platform sent or tried to, filtered by status, channel, dates and member; each row
// with the masked recipient, status timeline, error code in words, segments and price; the filtered set as CSV.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { MESSAGE_OUTCOMES } from "@/db/schema";
import { firstValues } from "@/lib/console/filters";
import { requireAdminPage } from "@/lib/console/gate";
import { listMessages, parseMessageFilters } from "@/lib/console/messages";
import { FilterProblems } from "../FilterProblems";
import { number, when, whenShort, withParams } from "../format";
import { Pager } from "../Pager";
import { FilterForm, FilterInput, FilterSelect, ScrollTable } from "../ui";

export const metadata: Metadata = { title: "Messages" };
export const dynamic = "force-dynamic";

const STATUS_BADGE: Record<string, string> = { delivered: "ok", sent: "neutral", pending: "warn", failed: "bad", cancelled: "neutral" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MessagesPage({ searchParams }: Props) {
  await requireAdminPage("/admin/messages");
  const params = firstValues(await searchParams);
  const db = getDb();
  const parsed = parseMessageFilters(db, params);
  const result = parsed.ok ? listMessages(db, parsed.query, parsed.filters.page) : null;
  const { page: _page, ...filters } = params;
  void _page;
  const problem = (name: string) => !parsed.ok && Boolean(parsed.problems[name]);
  return (
    <>
      <h1>Messages</h1>
      <FilterForm label="Filter messages">
        <FilterSelect name="status" label="Status" value={params.status} options={MESSAGE_OUTCOMES} />
        <FilterSelect name="channel" label="Channel" value={params.channel} options={["SMS", "Email"]} />
        <FilterInput name="from" label="From" type="date" value={params.from} invalid={problem("from")} />
        <FilterInput name="to" label="To" type="date" value={params.to} invalid={problem("to")} />
        <FilterInput name="member" label="Member (email or id)" value={params.member} invalid={problem("member")} />
      </FilterForm>
      <FilterProblems problems={parsed.ok ? null : parsed.problems} />
      {result && (
        <>
          <p className="actions">
            <span>
              {number(result.total)} message{result.total === 1 ? "" : "s"}
              {parsed.ok && parsed.memberLabel ? ` of ${parsed.memberLabel}` : ""}, newest first. Times are UTC.
            </span>
            <a href={`/api/admin/messages/export${withParams(filters, {})}`} download>
              Download CSV of these {number(result.total)}
            </a>
          </p>
          {result.items.length === 0 ? (
            <p className="muted">No message matches.</p>
          ) : (
            <ScrollTable label="Messages">
                <thead>
                  <tr>
                    <th scope="col">Created</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Member</th>
                    <th scope="col">To</th>
                    <th scope="col">Status</th>
                    <th scope="col">Timeline</th>
                    <th scope="col">Error</th>
                    <th scope="col" className="num">
                      Segments
                    </th>
                    <th scope="col" className="num">
                      Price
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link href={`/admin/messages/${m.id}`} aria-label={`Message ${m.id.slice(0, 8)}, ${when(m.createdAt)}`}>
                          {whenShort(m.createdAt)}
                        </Link>
                      </td>
                      <td>{m.channel}</td>
                      <td>{m.memberEmail ?? <span className="muted">deleted member</span>}</td>
                      <td>
                        <code>{m.to}</code>
                      </td>
                      <td>
                        <span className={`badge ${STATUS_BADGE[m.outcome ?? "pending"]}`}>{m.outcome}</span>
                      </td>
                      <td>
                        <ol className="timeline">
                          {m.timeline.map((s, i) => (
                            <li key={i}>
                              {whenShort(s.at)} {s.label}
                            </li>
                          ))}
                        </ol>
                      </td>
                      <td>
                        {m.errorCode !== null && <strong>{m.errorCode}</strong>} {m.reason}
                      </td>
                      <td className="num">{m.segments ?? "—"}</td>
                      <td className="num">{m.price ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
            </ScrollTable>
          )}
          <Pager base="/admin/messages" params={filters} page={parsed.ok ? parsed.filters.page : 1} pages={result.pages} label="Messages" />
        </>
      )}
    </>
  );
}
