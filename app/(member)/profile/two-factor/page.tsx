import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { deviceCookieName } from "@/lib/auth/device";
import { hashDevice } from "@/lib/auth/guard";
import { requireMemberPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { requiresTwoFactor } from "@/lib/auth/admin";
import { beginTotpSetup, rememberedBrowsers, twoFactorState } from "@/lib/two-factor/factors";
import { TwoFactorForms } from "./TwoFactorForms";

export const metadata: Metadata = { title: "Two-factor sign-in" };

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

export default async function TwoFactorPage() {
  const member = await requireMemberPage("/profile/two-factor");
  const db = getDb();
  const env = getEnv();
  const state = twoFactorState(db, member.id);
  const setup = state.on ? null : beginTotpSetup(db, env, member);
  const device = (await cookies()).get(deviceCookieName(env.appUrl.startsWith("https://")))?.value;
  const browsers = rememberedBrowsers(db, member.id).map((b) => ({
    id: b.id,
    browser: b.browser,
    since: day.format(b.createdAt),
    until: day.format(b.expiresAt),
    here: Boolean(device && hashDevice(device) === b.device),
  }));
  return (
    <>
      <p>
        <Link href="/profile">← Your profile</Link>
      </p>
      <h1>Two-factor sign-in</h1>
      <p className="lead">
        With two-factor sign-in, your password alone is not enough: signing in also needs a code from an authenticator app on your phone (or one of your
        recovery codes).
      </p>
      {requiresTwoFactor(member) && !state.on && (
        <p className="alert info" role="status">
          You are an administrator: turn two-factor sign-in on before you use the site&apos;s admin features.
        </p>
      )}
      <TwoFactorForms
        on={state.on}
        since={state.enabledAt ? day.format(state.enabledAt) : null}
        setup={setup ? { qr: setup.qr, grouped: setup.grouped } : null}
        sms={{ on: state.sms, chosen: state.smsChosen, phone: state.phone }}
        recoveryLeft={state.recoveryCodesLeft}
        browsers={browsers}
        rememberDays={Math.round(env.twoFactor.rememberMs / (24 * 3600_000))}
        admin={requiresTwoFactor(member)}
      />
    </>
  );
}
