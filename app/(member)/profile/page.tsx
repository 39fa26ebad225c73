import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { getProfile } from "@/lib/accounts/members";
import { listApiTokens } from "@/lib/api-tokens/tokens";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { getPolicy } from "@/lib/verification/policy";
import { statusView } from "@/lib/verification/service";
import { AccountSettings } from "./AccountSettings";
import { AgeVerification } from "./AgeVerification";
import { ApiTokens } from "./ApiTokens";
import { PhoneAndTwoFactor } from "./PhoneAndTwoFactor";
import { SecuritySettings } from "./SecuritySettings";
import { YourData } from "./YourData";

export const metadata: Metadata = { title: "Your profile" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ProfilePage({ searchParams }: Props) {
  const member = await requireMemberPage("/profile");
  const db = getDb();
  const profile = await getProfile(db, member.id);
  const verification = statusView(db, member.id, getPolicy());
  const query = await searchParams;
  const gate = query.gate === "members";
  const emailChanged = query.emailChanged === "1";
  const tokens = listApiTokens(db, member.id).map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: dateFormat.format(t.createdAt),
    lastUsedAt: t.lastUsedAt ? dateFormat.format(t.lastUsedAt) : null,
  }));
  return (
    <>
      <h1>Your profile</h1>
      <section id="account" className="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        {emailChanged && (
          <p className="alert ok" role="status">
            Your email address is now {member.email}. We have told your old address.
          </p>
        )}
        <AccountSettings email={member.email} verified={Boolean(member.emailVerifiedAt)} screenName={profile?.screenName ?? null} linkHours={Math.round(getEnv().accountLinks.linkTtlMs / 3600_000)} />
        <dl className="facts">
          <dt>Role</dt>
          <dd>{member.role === "admin" ? "Administrator" : "Member"}</dd>
          <dt>Member since</dt>
          <dd>{dateFormat.format(member.createdAt)}</dd>
        </dl>
      </section>
      <section id="age-verification" className="card" aria-labelledby="age-verification-heading">
        <h2 id="age-verification-heading">Age verification</h2>
        <AgeVerification initial={verification} threshold={getEnv().yoti.ageThreshold} gate={gate} />
      </section>
      <SecuritySettings />
      <PhoneAndTwoFactor member={member} />
      <section className="card" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts and notifications</h2>
        <p>
          We alert you when someone signs in from a new device, your password or email changes, or an API token is created, and when someone joins
          through your invitation. <Link href="/profile/preferences">Choose how you hear about each</Link> (in the app, by email or by SMS), or see{" "}
          <Link href="/notifications">your notifications</Link>.
        </p>
      </section>
      <ApiTokens tokens={tokens} apiUrl={getEnv().appUrl} />
      <YourData retentionDays={getEnv().retentionDays} />
    </>
  );
}
