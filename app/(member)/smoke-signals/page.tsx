import { getCountries, getCountryCallingCode, type CountryCode } from "libphonenumber-js/max";
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { getProfile } from "@/lib/accounts/members";
import { adminViewer } from "@/lib/auth/admin";
import { currentSessionId, requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { alertChoices } from "@/lib/alerts/preferences";
import { listSignals } from "@/lib/smoke-signals/queries";
import { isVerified } from "@/lib/verification/service";
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

export default async function SmokeSignalsPage() {
  // All members' signals are an admin feature: only for an admin whose session passed two-factor.
  const member = adminViewer(await requireMemberPage("/smoke-signals"), await currentSessionId());
  const db = getDb();
  const env = getEnv();
  const profile = await getProfile(db, member.id);
  const joined = alertChoices(db, member.id).invitee_joined;
  const ways = [joined.inApp && "in the app", joined.email && "by email", joined.sms && "by SMS"].filter(Boolean);
  const verified = isVerified(db, member.id);
  return (
    <>
      <h1>Smoke signals</h1>
      <p className="lead">Invite someone to Select Exposure by SMS, by email or from your own phone. They get a personal link to join, and you hear when they do.</p>
      <SmokeSignalsClient
        initial={listSignals(db, member, 1, 20)}
        defaultCountry={env.twilio.defaultCountry}
        countries={countryOptions(env.twilio.allowedCountries)}
        appUrl={env.appUrl}
        defaultSenderName={profile?.screenName ?? "A member"}
        everyone={member.role === "admin"}
        smsAllowed={verified}
      />
      <section className="card" aria-labelledby="alert-heading">
        <h2 id="alert-heading">When someone joins</h2>
        <p>
          {ways.length ? `You are told ${ways.join(" and ")} when someone joins through your invitation.` : "You have chosen not to be told when someone joins."}{" "}
          <Link href="/profile/preferences">Change this in Alerts and preferences</Link>.
        </p>
      </section>
    </>
  );
}
