import { getCountries, getCountryCallingCode, type CountryCode } from "libphonenumber-js/max";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { getProfile } from "@/lib/accounts/members";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { alertChoices, smsAvailability } from "@/lib/alerts/preferences";
import { listNotifications, markAllRead } from "@/lib/notifications/notifications";
import { listSignals } from "@/lib/smoke-signals/queries";
import { isVerified } from "@/lib/verification/service";
import { JoinAlertForm } from "./JoinAlertForm";
import { SmokeSignalsClient, type CountryOption } from "./SmokeSignalsClient";

export const metadata: Metadata = { title: "Smoke signals" };

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/** The countries a member may text, labelled here so the browser renders exactly the server's words. */
function countryOptions(allowed: "all" | string[]): CountryOption[] {
  const codes = allowed === "all" ? getCountries() : (allowed as CountryCode[]);
  return codes
    .map((c) => ({ code: c, label: `${regionNames.of(c) ?? c} (+${getCountryCallingCode(c)})` }))
    .sort((a, b) => a.label.localeCompare(b.label, "en"));
}

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function SmokeSignalsPage() {
  const member = await requireMemberPage("/smoke-signals");
  const db = getDb();
  const env = getEnv();
  const profile = await getProfile(db, member.id);
  const notes = listNotifications(db, member.id, { limit: 10 }).items;
  markAllRead(db, member.id);
  const joined = alertChoices(db, member.id).invitee_joined;
  const sms = smsAvailability(db, member.id);
  const verified = isVerified(db, member.id);
  return (
    <>
      <h1>Smoke signals</h1>
      <p className="lead">Invite someone to Select Exposure by SMS, by email or from your own phone. They get a personal link to join, and you hear when they do.</p>
      {notes.length > 0 && (
        <section className="card" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notifications</h2>
          <ul className="notes">
            {notes.map((n) => (
              <li key={n.id}>
                {!n.readAt && <span className="badge ok">New</span>} {n.text} {n.note && <span className="muted">{n.note}</span>} <span className="muted">({when.format(n.createdAt)} UTC)</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <SmokeSignalsClient
        initial={listSignals(db, member, 1, 20)}
        defaultCountry={env.twilio.defaultCountry}
        countries={countryOptions(env.twilio.allowedCountries)}
        appUrl={env.appUrl}
        defaultSenderName={profile?.screenName ?? "A member"}
        everyone={member.role === "admin"}
        smsAllowed={verified}
      />
      <JoinAlertForm choice={joined} smsWhyNot={sms.available ? null : sms.why} />
    </>
  );
}
