import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signInAction } from "../actions";
import { AuthForm } from "../AuthForm";
import { safeNext } from "@/lib/auth/next-url";
import { currentMember } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentMember()) redirect(next);
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      {params.signedOut && (
        <p className="alert ok" role="status">
          You have signed out.
        </p>
      )}
      {params.deleted && (
        <p className="alert ok" role="status">
          Your account has been deleted, and you are signed out everywhere.
        </p>
      )}
      {params.reset && (
        <p className="alert ok" role="status">
          Your password has been changed and every device was signed out. Sign in with your new password.
        </p>
      )}
      {params.next && !params.signedOut && <p className="muted">Sign in to continue.</p>}
      <AuthForm mode="signin" action={signInAction} next={next} />
    </div>
  );
}
