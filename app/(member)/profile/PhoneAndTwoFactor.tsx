// The profile's summaries of the mobile number and two-factor sign-in, each linking to its own page; an admin who may
// not use admin features yet (the console's gate sends them here) is told why.
import Link from "next/link";
import { getDb } from "@/db/client";
import type { Member } from "@/db/schema";
import { adminTwoFactorProblem } from "@/lib/auth/admin";
import { currentSessionId } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { phoneStatus } from "@/lib/phone-verification/phones";
import { twoFactorState } from "@/lib/two-factor/factors";

export async function PhoneAndTwoFactor({ member }: { member: Member }) {
  const db = getDb();
  const adminProblem = adminTwoFactorProblem(member, await currentSessionId(), db);
  const phone = phoneStatus(db, getEnv(), member.id);
  const tf = twoFactorState(db, member.id);
  return (
    <>
      <section id="phone" className="card" aria-labelledby="phone-heading">
        <h2 id="phone-heading">Mobile number</h2>
        <p>
          {phone.verified ? (
            <>
              {phone.verified.phone} <span className="badge ok">Verified</span>
            </>
          ) : phone.unverified ? (
            <>
              {phone.unverified} <span className="badge warn">Not verified</span>
            </>
          ) : (
            <span className="muted">None</span>
          )}
        </p>
        <Link href="/profile/phone">{phone.verified ? "Change or remove your number" : phone.unverified ? "Verify your number" : "Add a mobile number"}</Link>
      </section>
      <section id="two-factor" className="card" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor sign-in</h2>
        <p>
          {tf.on ? (
            <>
              <span className="badge ok">On</span> Authenticator app{tf.sms ? " and SMS codes" : ""}; {tf.recoveryCodesLeft} recovery codes left.
            </>
          ) : (
            <>
              <span className="badge neutral">Off</span> Your password alone signs in to your account.
            </>
          )}
        </p>
        {adminProblem && (
          <p className="alert info" role="status">
            You are an administrator. {adminProblem}
          </p>
        )}
        <Link href="/profile/two-factor">{tf.on ? "Manage two-factor sign-in" : "Turn on two-factor sign-in"}</Link>
      </section>
    </>
  );
}
