// One member for the console: their record, verification status and recent sessions, activity, and the admin actions
// (role, disable or enable, delete), each needing a reason that goes in the audit log.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { AUDIT_ACTIONS, listAudit } from "@/lib/console/audit";
import { firstValues } from "@/lib/console/filters";
import { requireAdminPage } from "@/lib/console/gate";
import { memberDetail } from "@/lib/console/members";
import { effectiveStatus } from "@/lib/verification/sessions";
import { changeRoleAction, deleteMemberAction, disableMemberAction, enableMemberAction } from "../../actions";
import { ConsoleForm } from "../../ConsoleForm";
import { when } from "../../format";

/** What the page says after an action sent the admin back to it (the action's form may no longer be on the page). */
const DONE: Record<string, (m: { email: string; role: string }, ended: number) => string> = {
  role: (m) => `${m.email} is now ${m.role === "admin" ? "an administrator" : "a member"}.`,
  disabled: (m, ended) => `${m.email} is disabled: ${ended === 1 ? "1 session was" : `${ended} sessions were`} ended, their API tokens no longer work, and they cannot sign in.`,
  enabled: (m) => `${m.email} is enabled again: they can sign in, and their API tokens work again.`,
};

export const metadata: Metadata = { title: "Member" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MemberPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { done, ended } = firstValues(await searchParams);
  const admin = await requireAdminPage(`/admin/members/${id}`);
  const db = getDb();
  const found = memberDetail(db, id);
  if (!found) notFound();
  const { member: m, activity } = found;
  const history = listAudit(db, { targetId: m.id }, 1, 20).entries;
  const self = m.id === admin.id;
  const now = new Date();
  return (
    <>
      <p>
        <Link href="/admin/members">← Members</Link>
      </p>
      <h1>{m.email}</h1>
      {done && DONE[done] && (
        <div className="alert ok" role="status">
          {DONE[done](m, Number.parseInt(ended ?? "0", 10) || 0)}
        </div>
      )}
      <section className="card" aria-labelledby="member-heading">
        <h2 id="member-heading">Account</h2>
        <dl className="facts">
          <dt>Screen name</dt>
          <dd>{m.screenName ?? "—"}</dd>
          <dt>Role</dt>
          <dd>{m.role === "admin" ? "Administrator" : "Member"}</dd>
          <dt>State</dt>
          <dd>{m.disabledAt ? `Disabled since ${when(m.disabledAt)}` : "Active"}</dd>
          <dt>Age verification</dt>
          <dd>{m.verified ? `Verified ${when(m.verifiedAt)}${m.verification?.method ? ` by ${m.verification.method}` : ""}` : "Not verified"}</dd>
          <dt>Joined</dt>
          <dd>{when(m.createdAt)}</dd>
          <dt>Activity</dt>
          <dd>
            {activity.smokeSignals} smoke signal(s), {activity.liveSessions} signed-in session(s), {activity.activeTokens} API token(s).{" "}
            <Link href={`/admin/messages?member=${encodeURIComponent(m.id)}`}>Their messages</Link>
          </dd>
        </dl>
        {activity.recentSessions.length > 0 && (
          <>
            <h3>Recent verification sessions</h3>
            <ul className="notes">
              {activity.recentSessions.map((s) => (
                <li key={s.id}>
                  <Link href={`/admin/verifications/${encodeURIComponent(s.id)}`}>{when(s.createdAt)}</Link>: {effectiveStatus(s, now)}
                  {s.method ? ` (${s.method})` : ""}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {self ? (
        <p className="card">This is your own account: another administrator changes its role, disables or deletes it (you can delete it from your profile).</p>
      ) : (
        <section className="card" aria-labelledby="actions-heading">
          <h2 id="actions-heading">Actions</h2>
          <h3>Role</h3>
          <ConsoleForm
            action={changeRoleAction.bind(null, m.id)}
            label="Change the role"
            submit="Change the role"
            fields={[
              { kind: "select", name: "role", label: "Role", value: m.role === "admin" ? "member" : "admin", options: [{ value: "member", label: "Member" }, { value: "admin", label: "Administrator" }] },
              { kind: "text", name: "reason", label: "Reason (optional, for the audit log)" },
            ]}
          />
          {m.disabledAt ? (
            <>
              <h3>Enable</h3>
              <ConsoleForm
                action={enableMemberAction.bind(null, m.id)}
                label="Enable this member"
                submit="Enable the account"
                fields={[{ kind: "text", name: "reason", label: "Reason (optional, for the audit log)" }]}
              />
            </>
          ) : (
            <>
              <h3>Disable</h3>
              <p className="muted">They cannot sign in; their sessions end now and their API tokens stop working. Enabling them undoes it.</p>
              <ConsoleForm
                action={disableMemberAction.bind(null, m.id)}
                label="Disable this member"
                submit="Disable the account"
                danger
                fields={[{ kind: "text", name: "reason", label: "Reason (for the audit log)" }]}
              />
            </>
          )}
          <h3>Delete</h3>
          <p className="muted">
            As if they deleted it themselves: pending messages cancelled, verification data deleted, smoke signals kept only as anonymous counts, suppression entries
            kept, every session ended. This cannot be undone.
          </p>
          <ConsoleForm
            action={deleteMemberAction.bind(null, m.id)}
            label="Delete this account"
            submit="Delete the account"
            danger
            fields={[
              { kind: "email", name: "confirm", label: `Type ${m.email} to confirm` },
              { kind: "text", name: "reason", label: "Reason (for the audit log)" },
            ]}
          />
        </section>
      )}
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Audit log for this member</h2>
        {history.length === 0 ? (
          <p className="muted">No admin action yet.</p>
        ) : (
          <ul className="notes">
            {history.map((e) => (
              <li key={e.id}>
                {when(e.at)}: {AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action} by {e.actorEmail}
                {e.reason ? ` (“${e.reason}”)` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
