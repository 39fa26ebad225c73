// The page behind an address confirmation link: one button confirms it (or why the link cannot be used, and what to do).
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { verificationLinkState } from "@/lib/accounts/email-address";
import { getEnv } from "@/lib/env";
import { confirmEmailAction } from "../../email-actions";
import { LinkButton } from "../../LinkButton";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const state = verificationLinkState(getDb(), getEnv(), token);
  const next = (
    <p>
      <Link href="/profile">Go to your profile</Link>
    </p>
  );
  return (
    <div className="card narrow">
      <h1>Confirm your email address</h1>
      {state.ok ? (
        <>
          <p>Confirm that {state.email} is the address of your Select Exposure account.</p>
          <LinkButton action={confirmEmailAction.bind(null, token)} label="Confirm my address" pending="Confirming…" after={next} />
        </>
      ) : (
        <>
          <p className="alert error" role="alert">
            {state.message}
          </p>
          {next}
        </>
      )}
    </div>
  );
}
