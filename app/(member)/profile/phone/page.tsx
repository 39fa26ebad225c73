import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { accountMessageById } from "@/lib/account-messages/queries";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { countryName } from "@/lib/twilio/phone";
import { phoneStatus } from "@/lib/phone-verification/phones";
import { twoFactorState } from "@/lib/two-factor/factors";
import { PhoneForms } from "./PhoneForms";

export const metadata: Metadata = { title: "Mobile number" };

const time = new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "UTC" });
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

export default async function PhonePage() {
  const member = await requireMemberPage("/profile/phone");
  const db = getDb();
  const env = getEnv();
  const status = phoneStatus(db, env, member.id);
  const now = new Date();
  const message = status.pending?.accountMessageId ? accountMessageById(db, status.pending.accountMessageId) : undefined;
  const allowed = env.twilio.allowedCountries === "all" ? "any country" : env.twilio.allowedCountries.map(countryName).join(", ");
  return (
    <>
      <p>
        <Link href="/profile">← Your profile</Link>
      </p>
      <h1>Mobile number</h1>
      <section className="card" aria-labelledby="phone-now">
        <h2 id="phone-now">Your number</h2>
        {status.verified ? (
          <p>
            <strong>{status.verified.phone}</strong> <span className="badge ok">Verified</span> on {day.format(status.verified.at)}. Alerts you choose to get by SMS and
            sign-in codes (if you turn them on) go to this number.
          </p>
        ) : status.unverified ? (
          <p>
            You typed <strong>{status.unverified}</strong> earlier, but it is <span className="badge warn">Not verified</span>: we send nothing to it until you verify it below.
          </p>
        ) : (
          <p className="muted">You have no mobile number on your account. Add one to get alerts by SMS, sign-in codes by SMS, or reset your password by SMS.</p>
        )}
        <p className="muted small">We can text numbers in {allowed}. One account per number.</p>
      </section>
      <PhoneForms
        verified={status.verified?.phone ?? null}
        suggested={status.unverified}
        pending={
          status.pending
            ? {
                phone: status.pending.phone,
                expiresAt: `${time.format(status.pending.expiresAt)} UTC`,
                resendInSeconds: Math.max(0, Math.ceil((status.pending.resendAt.getTime() - now.getTime()) / 1000)),
                problem: message?.state === "failed" ? message.reason : null,
              }
            : null
        }
        twoFactor={twoFactorState(db, member.id).on}
      />
    </>
  );
}
