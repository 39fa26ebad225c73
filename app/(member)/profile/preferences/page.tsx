// Alerts and preferences: how the member hears about each event (in the app, by email, by SMS to a verified number).
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { ALERT_EVENTS, ALERTS, CHANNEL_LABELS, GROUP_LABELS } from "@/lib/alerts/catalogue";
import { alertChoices, smsAvailability } from "@/lib/alerts/preferences";
import { requireMemberPage } from "@/lib/auth/session";
import { PreferencesForm } from "./PreferencesForm";

export const metadata: Metadata = { title: "Alerts and preferences" };

export default async function PreferencesPage() {
  const member = await requireMemberPage("/profile/preferences");
  const db = getDb();
  const choices = alertChoices(db, member.id);
  const sms = smsAvailability(db, member.id);
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
    </>
  );
}
