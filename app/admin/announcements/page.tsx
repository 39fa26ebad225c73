// Announcements (contests and wins): the ones written so far, and the form to write one. Sending happens from its own
// page, after the preview of who gets it, how and at what estimated cost.
import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listAnnouncements } from "@/lib/announcements/queries";
import { AUDIENCE_LABELS } from "@/lib/announcements/text";
import { requireAdminPage } from "@/lib/console/gate";
import { when } from "../format";
import { AnnouncementForm } from "./AnnouncementForm";

export const metadata: Metadata = { title: "Announcements" };
export const dynamic = "force-dynamic";

const STATE_WORDS = { draft: "Draft", sending: "Sending", sent: "Sent", discarded: "Discarded" } as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AnnouncementsPage({ searchParams }: Props) {
  await requireAdminPage("/admin/announcements");
  const done = (await searchParams).done;
  const list = listAnnouncements(getDb());
  return (
    <>
      <h1>Announcements</h1>
      <p className="lead">Tell members about contests and wins: in the app, by email and by SMS to those who agreed to each.</p>
      {done === "discarded" && (
        <div className="alert ok" role="status">
          The draft was discarded; nothing was sent.
        </div>
      )}
      <section className="card" aria-labelledby="write-heading">
        <h2 id="write-heading">Write an announcement</h2>
        <AnnouncementForm createKey={randomUUID()} />
      </section>
      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">Written so far</h2>
        {list.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="notes" aria-label="Announcements">
            {list.map((a) => (
              <li key={a.id}>
                <Link href={`/admin/announcements/${a.id}`}>{a.title}</Link> — {STATE_WORDS[a.state]}, {AUDIENCE_LABELS[a.audience].toLowerCase()}, written by {a.createdBy} on {when(a.createdAt)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
