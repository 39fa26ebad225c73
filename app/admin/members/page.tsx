// Members: search by email, screen name or id, filter by role, state and verification; verification status at a
// glance; each member's page has the admin actions.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireAdminPage } from "@/lib/console/gate";
import { parseMemberFilters, searchMembers } from "@/lib/console/members";
import { FilterProblems } from "../FilterProblems";
import { dateOnly, flat, number } from "../format";
import { Pager } from "../Pager";

export const metadata: Metadata = { title: "Members" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MembersPage({ searchParams }: Props) {
  await requireAdminPage("/admin/members");
  const params = flat(await searchParams);
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
      <form className="card filters" role="search" aria-label="Search members">
        <div className="field">
          <label htmlFor="q">Email, screen name or id</label>
          <input id="q" name="q" defaultValue={params.q ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="role">Role</label>
          <select id="role" name="role" defaultValue={params.role ?? ""}>
            <option value="">Any</option>
            <option value="member">Member</option>
            <option value="admin">Administrator</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="state">State</label>
          <select id="state" name="state" defaultValue={params.state ?? ""}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="verified">Age verified</label>
          <select id="verified" name="verified" defaultValue={params.verified ?? ""}>
            <option value="">Any</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </select>
        </div>
        <div className="field">
          <button type="submit">Search</button>
        </div>
      </form>
      <FilterProblems problems={parsed.ok ? null : parsed.problems} />
      {result && (
        <>
          <p>{number(result.total)} member(s), newest first.</p>
          {result.items.length > 0 && (
            <div className="table-scroll" role="group" aria-label="Members" tabIndex={0}>
              <table className="compact">
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
              </table>
            </div>
          )}
          <Pager base="/admin/members" params={filters} page={parsed.ok ? parsed.filters.page : 1} pages={result.pages} label="Members" />
        </>
      )}
    </>
  );
}
