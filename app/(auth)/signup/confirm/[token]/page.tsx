// The page behind a sign-up link: the password chosen at sign-up creates the account and signs in (opening the page
// alone creates nothing: mail scanners open links), or why the link cannot be used and what to do.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { signUpLinkState } from "@/lib/auth/sign-up";
import { getEnv } from "@/lib/env";
import { confirmSignUpAction } from "../../../account-actions";
import { LinkProblem } from "../../../LinkProblem";
import { AccountForm } from "../../../AccountForm";

export const metadata: Metadata = { title: "Finish creating your account", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ConfirmSignUpPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const state = signUpLinkState(getDb(), getEnv(), token);
  const again = (
    <p>
      <Link href="/signup">Sign up again</Link> · <Link href="/signin">Sign in</Link>
    </p>
  );
  if (!state.ok) {
    return <LinkProblem message={state.message} next={again} />;
  }
  return (
    <div className="card narrow">
      <h1>Finish creating your account</h1>
      <p className="muted">Your address {state.email} is confirmed once you enter the password you chose when you signed up.</p>
      <AccountForm
        action={confirmSignUpAction.bind(null, token)}
        fields={[{ name: "password", label: "Password", type: "password", autoComplete: "current-password" }]}
        submit="Create my account"
        pending="Creating…"
        dead={again}
      />
    </div>
  );
}
