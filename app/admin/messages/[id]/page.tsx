// One message: its record as the operator sees it (never its body) and its full timeline.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireAdminPage } from "@/lib/console/gate";
import { getMessage } from "@/lib/console/messages";
import { when } from "../../format";

export const metadata: Metadata = { title: "Message" };
export const dynamic = "force-dynamic";

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/messages/${id}`);
  const m = getMessage(getDb(), id);
  if (!m) notFound();
  return (
    <>
      <p>
        <Link href="/admin/messages">← Messages</Link>
      </p>
      <h1>
        {m.channel} to {m.to}
      </h1>
      <section className="card" aria-labelledby="facts-heading">
        <h2 id="facts-heading">Message</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd>{m.outcome}</dd>
          <dt>Member</dt>
          <dd>{m.memberEmail ? <Link href={`/admin/members/${m.memberId}`}>{m.memberEmail}</Link> : "deleted member"}</dd>
          <dt>Purpose</dt>
          <dd>{m.purpose}</dd>
          <dt>Provider id</dt>
          <dd>
            <code>{m.providerId ?? "—"}</code>
          </dd>
          <dt>Provider status</dt>
          <dd>{m.providerStatus ?? "—"}</dd>
          <dt>Error</dt>
          <dd>{m.errorCode !== null || m.reason ? `${m.errorCode ?? ""} ${m.reason ?? ""}`.trim() : "—"}</dd>
          <dt>Segments</dt>
          <dd>{m.segments ?? "—"}</dd>
          <dt>Price</dt>
          <dd>{m.price ?? (m.channel === "SMS" ? "Not priced (yet)" : "—")}</dd>
          <dt>Send attempts</dt>
          <dd>{m.attempts}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol className="timeline">
          {m.timeline.map((s, i) => (
            <li key={i}>
              {when(s.at)}: {s.label}
              {s.code !== null ? ` (code ${s.code})` : ""}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
