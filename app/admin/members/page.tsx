// Members: search by email, screen name or id, filter by role, state and verification; verification status at a
// glance; each member's page has the admin actions.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { firstValues } from "@/lib/console/filters";
import { requireAdminPage } from "@/lib/console/gate";
import { parseMemberFilters, searchMembers } from "@/lib/console/members";
import { FilterProblems } from "../FilterProblems";
import { dateOnly, number } from "../format";
import { Pager } from "../Pager";
import { FilterForm, FilterInput, FilterSelect, ScrollTable } from "../ui";

export const metadata: Metadata = { title: "Members" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MembersPage({ searchParams }: Props) {
  await requireAdminPage("/admin/members");
  const params = firstValues(await searchParams);
  const parsed = parseMemberFilters(params);
  const result = parsed.ok ? searchMembers(getDb(), parsed.query, parsed.filters.page) : null;
  const { page: _page, done, ...filters } = params;
  void _page;
  return (
    <>
      <h1>Members</h1>
      {done === "deleted" && (
        <div className="alert ok" role="status">
          The account was deleted: pending messages cancelled, verification data deleted, smoke signals kept only as anonymous counts, every session ended.
        </div>
      )}
      <FilterForm label="Search members" submit="Search">
        <FilterInput name="q" label="Email, screen name or id" value={params.q} />
        <FilterSelect name="role" label="Role" value={params.role} options={[{ value: "member", label: "Member" }, { value: "admin", label: "Administrator" }]} />
        <FilterSelect name="state" label="State" value={params.state} options={[{ value: "active", label: "Active" }, { value: "disabled", label: "Disabled" }]} />
        <FilterSelect name="verified" label="Age verified" value={params.verified} options={[{ value: "yes", label: "Yes" }, { value: "no", label: "No" }]} />
      </FilterForm>
      <FilterProblems problems={parsed.ok ? null : parsed.problems} />
      {result && (
        <>
          <p>{number(result.total)} member(s), newest first.</p>
          {result.items.length > 0 && (
            <ScrollTable label="Members">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Screen name</th>
                    <th scope="col">Role</th>
                    <th scope="col">State</th>
                    <th scope="col">Age verification</th>
                    <th scope="col">Joined</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((m) => (
                    <tr key={m.id}>
                      <th scope="row">
                        <Link href={`/admin/members/${m.id}`}>{m.email}</Link>
                      </th>
                      <td>{m.screenName ?? "—"}</td>
                      <td>{m.role === "admin" ? "Administrator" : "Member"}</td>
                      <td>{m.disabledAt ? <span className="badge bad">Disabled</span> : <span className="badge ok">Active</span>}</td>
                      <td>
                        {m.verified ? (
                          <span className="badge ok">
                            Verified {m.verifiedAt ? dateOnly.format(m.verifiedAt) : ""}
                            {m.verification?.method ? ` · ${m.verification.method}` : ""}
                          </span>
                        ) : (
                          <span className="badge neutral">Not verified</span>
                        )}
                      </td>
                      <td>{dateOnly.format(m.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
            </ScrollTable>
          )}
          <Pager base="/admin/members" params={filters} page={parsed.ok ? parsed.filters.page : 1} pages={result.pages} label="Members" />
        </>
      )}
    </>
  );
}
