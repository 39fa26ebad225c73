// The page behind an email change link: for the signed-in member who asked, one button makes the change (the link is
// never used by opening the page); anyone else is told what to do.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { changeLinkState } from "@/lib/accounts/email-address";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { confirmEmailChangeAction } from "../../email-actions";
import { LinkButton } from "../../LinkButton";

export const metadata: Metadata = { title: "Confirm your new email address", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ChangeEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const member = await requireMemberPage(`/change-email/${token}`);
  const state = changeLinkState(getDb(), getEnv(), token, member);
  const back = (
    <p>
      <Link href="/profile">Go to your profile</Link>
    </p>
  );
  return (
    <div className="card narrow">
      <h1>Confirm your new email address</h1>
      {state.ok ? (
        <>
          <p>
            Change the address of your account from {state.oldEmail} to {state.newEmail}? You will sign in with the new address, and we will tell the old one.
          </p>
          <LinkButton action={confirmEmailChangeAction.bind(null, token)} label="Change my address" pending="Changing…" after={back} />
        </>
      ) : (
        <>
          <p className="alert error" role="alert">
            {state.message}
          </p>
          {back}
        </>
      )}
    </div>
  );
}
