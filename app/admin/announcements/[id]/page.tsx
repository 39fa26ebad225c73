// One announcement: before sending, the preview (recipients per channel, the SMS as sent with its segments, the
// estimated cost) and the one-way Send; after, its progress per channel, updating without a reload.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { previewAnnouncement } from "@/lib/announcements/audience";
import { progressView } from "@/lib/announcements/progress";
import { announcementById } from "@/lib/announcements/queries";
import { AUDIENCE_LABELS, CHANNEL_LABELS } from "@/lib/announcements/text";
import { requireAdminPage } from "@/lib/console/gate";
import { formatMoney } from "@/lib/console/money";
import { getEnv } from "@/lib/env";
import { countryName } from "@/lib/twilio/phone";
import { ConsoleForm } from "../../ConsoleForm";
import { number, when } from "../../format";
import { discardAnnouncementAction, sendAnnouncementAction } from "../actions";
import { Progress } from "./Progress";

export const metadata: Metadata = { title: "Announcement" };
export const dynamic = "force-dynamic";

export default async function AnnouncementPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/announcements/${id}`);
  const db = getDb();
  const a = announcementById(db, id);
  if (!a) notFound();
  const channels = (Object.keys(CHANNEL_LABELS) as (keyof typeof CHANNEL_LABELS)[]).filter((c) => a[c]);
  const preview = a.state === "draft" ? previewAnnouncement(db, getEnv(), a) : null;
  const progress = a.state === "sending" || a.state === "sent" ? progressView(db, a.id) : null;
  return (
    <>
      <p>
        <Link href="/admin/announcements">← Announcements</Link>
      </p>
      <h1>{a.title}</h1>
      <section className="card" aria-labelledby="what-heading">
        <h2 id="what-heading">The announcement</h2>
        <p style={{ whiteSpace: "pre-wrap" }}>{a.body}</p>
        <dl className="facts">
          <dt>Audience</dt>
          <dd>{AUDIENCE_LABELS[a.audience]}</dd>
          <dt>Channels</dt>
          <dd>{channels.map((c) => CHANNEL_LABELS[c]).join(", ")}</dd>
          <dt>Written</dt>
          <dd>
            by {a.createdBy} on {when(a.createdAt)}
          </dd>
          {a.sendStartedAt && (
            <>
              <dt>Sent</dt>
              <dd>
                by {a.sentBy} on {when(a.sendStartedAt)}
              </dd>
            </>
          )}
        </dl>
      </section>
      {a.state === "discarded" && <p className="alert info">This draft was discarded; it was never sent.</p>}
      {preview && (
        <section className="card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Before you send</h2>
          <p className="muted">Counted now with each member’s choices; the send applies them again as it queues each member.</p>
          <dl className="stats" aria-label="Recipients">
            <div className="stat">
              <dt>Members in the audience</dt>
              <dd>{number(preview.members)}</dd>
            </div>
            {a.inApp && (
              <div className="stat">
                <dt>In the app</dt>
                <dd>{number(preview.inApp)}</dd>
              </div>
            )}
            {a.email && (
              <div className="stat">
                <dt>Email</dt>
                <dd>{number(preview.email)}</dd>
              </div>
            )}
            {a.sms && (
              <div className="stat">
                <dt>SMS</dt>
                <dd>{number(preview.sms)}</dd>
              </div>
            )}
          </dl>
          {a.sms && (
            <>
              <h3>The text message</h3>
              <pre className="sms-preview" aria-label="The text message as sent">
                {preview.smsShape.text}
              </pre>
              <p>
                {number(preview.smsShape.length)} characters, {preview.smsShape.encoding}: {preview.smsShape.segments} {preview.smsShape.segments === 1 ? "segment" : "segments"} per message, {number(preview.smsShape.segments * preview.sms)} segments in all.
              </p>
              <p>
                <strong>Estimated cost: {formatMoney(preview.estimateMicros, preview.unit)}</strong> — an estimate at Twilio’s list prices per segment; Twilio bills what it
                bills, and the console’s usage shows the real prices once the messages are final.
              </p>
              {preview.countries.length > 0 && (
                <ul className="notes" aria-label="Cost by country">
                  {preview.countries.map((c) => (
                    <li key={c.country}>
                      {c.country === "other" ? "Other numbers" : countryName(c.country)}: {number(c.recipients)} × {preview.smsShape.segments} × {formatMoney(c.perSegmentMicros, preview.unit)} = {formatMoney(c.costMicros, preview.unit)}
                    </li>
                  ))}
                </ul>
              )}
              {preview.smsLimit.stopped ? (
                <p className="alert error">{preview.smsLimit.stopped} Texts would be refused and counted as failed.</p>
              ) : (
                preview.sms > preview.smsLimit.leftToday && (
                  <p className="alert error">
                    Today’s SMS cap leaves {number(preview.smsLimit.leftToday)} texts: the rest would be refused and counted as failed. Send later, or raise SMS_DAILY_CAP.
                  </p>
                )
              )}
            </>
          )}
          <ConsoleForm
            action={sendAnnouncementAction.bind(null, a.id)}
            label="Send this announcement"
            submit={`Send to ${number(preview.members)} ${preview.members === 1 ? "member" : "members"}`}
            fields={[]}
          />
          <ConsoleForm action={discardAnnouncementAction.bind(null, a.id)} label="Discard this draft" submit="Discard the draft" danger fields={[]} />
        </section>
      )}
      {progress && (
        <section className="card" aria-labelledby="progress-heading">
          <h2 id="progress-heading">Progress</h2>
          <Progress id={a.id} initial={progress} />
        </section>
      )}
    </>
  );
}
