// Alerts and preferences: how the member hears about each event (in the app, by email, by SMS to a verified number).
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { ALERT_EVENTS, ALERTS, CHANNEL_LABELS, GROUP_LABELS } from "@/lib/alerts/catalogue";
import { alertChoices, smsAvailability } from "@/lib/alerts/preferences";
import { announcementChoices } from "@/lib/announcements/preferences";
import { requireMemberPage } from "@/lib/auth/session";
import { AnnouncementsForm } from "./AnnouncementsForm";
import { PreferencesForm } from "./PreferencesForm";

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

export const metadata: Metadata = { title: "Alerts and preferences" };

export default async function PreferencesPage() {
  const member = await requireMemberPage("/profile/preferences");
  const db = getDb();
  const choices = alertChoices(db, member.id);
  const sms = smsAvailability(db, member.id);
  const announcements = announcementChoices(db, member.id);
  const smsNote = announcements.smsStale
    ? `You agreed on ${day.format(announcements.smsSince!)} UTC for ${announcements.smsPhone}, which is no longer your verified number: nothing is texted until you tick this again and save, for the new one.`
    : announcements.smsSince
      ? `You agreed on ${day.format(announcements.smsSince)} UTC, for ${announcements.smsPhone}. Reply STOP to any text to stop all our texts.`
      : "Separate from alerts and invitations: we text announcements only if you tick this. Every text ends with “Reply STOP to opt out.”";
  const rows = ALERT_EVENTS.map((event) => ({ event, group: ALERTS[event].group, label: ALERTS[event].label, description: ALERTS[event].description, choice: choices[event] }));
  return (
    <>
      <p>
        <Link href="/profile">← Your profile</Link>
      </p>
      <h1>Alerts and preferences</h1>
      <p className="lead">
        Choose how you hear about each event. Emails go to {member.email}; every alert is also listed under{" "}
        <Link href="/notifications">Notifications</Link> when you keep “In the app” on.
      </p>
      <div className="card">
        <PreferencesForm rows={rows} groups={GROUP_LABELS} channels={CHANNEL_LABELS} smsWhyNot={sms.available ? null : sms.why} />
      </div>
      <section className="card" aria-labelledby="announcements-heading">
        <h2 id="announcements-heading">Announcements (contests and wins)</h2>
        <p className="muted">News of contests opening and their winners. In the app unless you switch it off; by email or SMS only if you agree.</p>
        <AnnouncementsForm
          choices={{ inApp: announcements.inApp, email: announcements.email, sms: announcements.sms && !announcements.smsStale }}
          notes={{ email: announcements.emailSince ? `You agreed on ${day.format(announcements.emailSince)} UTC. Every email has a link to stop them.` : null, sms: smsNote }}
          smsWhyNot={sms.available ? null : sms.why.replace("Text message alerts go", "Texts go")}
        />
      </section>
    </>
  );
}
