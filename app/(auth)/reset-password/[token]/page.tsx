// The page behind a password reset link: choose a new password (the link is used only when the form is sent, never
// by opening the page, which mail scanners do), or why the link cannot be used and what to do.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { resetLinkState } from "@/lib/auth/password-reset";
import { getEnv } from "@/lib/env";
import { resetPasswordAction } from "../../account-actions";
import { LinkProblem } from "../../LinkProblem";
import { AccountForm } from "../../AccountForm";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const state = resetLinkState(getDb(), getEnv(), token);
  const askAgain = (
    <p>
      <Link href="/forgot-password">Ask for a new link</Link> · <Link href="/signin">Sign in</Link>
    </p>
  );
  if (!state.ok) {
    return <LinkProblem message={state.message} next={askAgain} />;
  }
  return (
    <div className="card narrow">
      <h1>Choose a new password</h1>
      <p className="muted">For {state.email}. Every device signed in to your account will be signed out; you then sign in with the new password.</p>
      <AccountForm
        action={resetPasswordAction.bind(null, token)}
        fields={[{ name: "password", label: "New password", type: "password", autoComplete: "new-password", hint: "At least 10 characters. A few unrelated words make a strong, memorable password." }]}
        submit="Set my new password"
        pending="Saving…"
        dead={askAgain}
      />
    </div>
  );
}
