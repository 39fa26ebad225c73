import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signUpAction } from "../actions";
import { AuthForm } from "../AuthForm";
import { safeNext } from "@/lib/auth/next-url";
import { currentMember } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentMember()) redirect(next);
  return (
    <div className="card narrow">
      <h1>Create an account</h1>
      <p className="muted">Members must be 18 or over. You will be asked to verify your age with Yoti.</p>
      <AuthForm mode="signup" action={signUpAction} next={next} />
    </div>
  );
}
