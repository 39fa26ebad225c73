// One verification session's history: what we asked Yoti for, each status and where it came from, the notifications
// Yoti sent, and what the retention job has removed. Nothing personal beyond what is stored.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdminPage } from "@/lib/console/gate";
import { duration, getSession } from "@/lib/console/verifications";
import { effectiveStatus } from "@/lib/verification/sessions";
import { when } from "../../format";

export const metadata: Metadata = { title: "Verification session" };
export const dynamic = "force-dynamic";

const SOURCE: Record<string, string> = { create: "created", result: "result fetched from Yoti", notification: "after Yoti's notification", browser: "member's browser returned", expiry: "expired" };

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/verifications/${id}`);
  const found = getSession(getDb(), decodeURIComponent(id));
  if (!found) notFound();
  const { session: s, notifications } = found;
  const now = new Date();
  return (
    <>
      <p>
        <Link href="/admin/verifications">← Verifications</Link>
      </p>
      <h1>Verification session</h1>
      <section className="card" aria-labelledby="session-heading">
        <h2 id="session-heading">Session</h2>
        <dl className="facts">
          <dt>Yoti session id</dt>
          <dd>
            <code>{s.id}</code>
          </dd>
          <dt>Member</dt>
          <dd>
            <Link href={`/admin/members/${s.memberId}`}>{s.memberEmail}</Link>
          </dd>
          <dt>Status</dt>
          <dd>{effectiveStatus(s, now)}</dd>
          <dt>Method</dt>
          <dd>{s.method ?? "—"}</dd>
          <dt>Asked for</dt>
          <dd>
            Over {s.request.ageThreshold}; thresholds{" "}
            {Object.entries(s.request.thresholds)
              .map(([m, t]) => `${m} ${t}`)
              .join(", ")}
          </dd>
          <dt>Started</dt>
          <dd>{when(s.createdAt)}</dd>
          <dt>Result</dt>
          <dd>{s.finishedAt ? `${when(s.finishedAt)} (${duration(s.finishedAt.getTime() - s.createdAt.getTime())} after the start)` : "—"}</dd>
          <dt>Expires</dt>
          <dd>{when(s.expiresAt)}</dd>
          <dt>Evidence id</dt>
          <dd>{s.rawPurgedAt ? `removed by the retention job ${when(s.rawPurgedAt)}` : s.evidenceId ? <code>{s.evidenceId}</code> : "—"}</dd>
          {s.rejectedReason && (
            <>
              <dt>Result refused</dt>
              <dd>{s.rejectedReason}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ol className="timeline">
          {s.history.map((h, i) => (
            <li key={i}>
              {when(new Date(h.at))}: {h.status} ({SOURCE[h.source] ?? h.source})
            </li>
          ))}
        </ol>
        <h3>Notifications from Yoti</h3>
        {notifications.length === 0 ? (
          <p className="muted">None kept (none received, or removed by the retention job).</p>
        ) : (
          <ul className="notes">
            {notifications.map((n) => (
              <li key={n.id}>
                {when(n.receivedAt)}: {n.state}
                {n.duplicates ? ` (and ${n.duplicates} duplicate${n.duplicates === 1 ? "" : "s"})` : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
