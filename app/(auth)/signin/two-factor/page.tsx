import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { safeNext } from "@/lib/auth/next-url";
import { challengeCookieName, openChallenge } from "@/lib/auth/second-step";
import { getEnv } from "@/lib/env";
import { maskedPhone } from "@/lib/phone-codes/codes";
import { twoFactorState } from "@/lib/two-factor/factors";
import { SecondStepForms } from "./SecondStepForms";

export const metadata: Metadata = { title: "Finish signing in" };

export default async function SecondStepPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const next = safeNext((await searchParams).next);
  const env = getEnv();
  const db = getDb();
  const token = (await cookies()).get(challengeCookieName(env.appUrl.startsWith("https://")))?.value ?? null;
  const open = openChallenge(db, token);
  if (!open) {
    return (
      <div className="card narrow">
        <h1>Finish signing in</h1>
        <p className="alert error" role="alert">
          This sign-in has expired or was already finished. <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in again</Link>.
        </p>
      </div>
    );
  }
  const state = twoFactorState(db, open.memberId);
  return (
    <div className="card narrow">
      <h1>Finish signing in</h1>
      <p>Your password was right. This account uses two-factor sign-in: enter a code to finish.</p>
      <SecondStepForms
        next={next}
        sms={state.sms && state.phone ? maskedPhone(state.phone) : null}
        rememberDays={Math.round(env.twoFactor.rememberMs / (24 * 3600_000))}
      />
    </div>
  );
}
