// Signing in from a server action (the sign-in, sign-up and invitation forms): Auth.js's signIn() with the limits'
// verdict in words, the device cookie set on success, and the client as the limits see it.
import "server-only";
import { AuthError } from "next-auth";
import { cookies, headers } from "next/headers";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { clientIp } from "@/lib/http/client-ip";
import { deviceCookie, deviceFromCookieHeader } from "./device";
import type { Client } from "./guard";
import { signIn } from "./index";
import { withSignInOutcome } from "./outcome";

export type PasswordSignIn = { ok: true } | { ok: false; message: string; limited: boolean };

export const WRONG_PASSWORD = "That email and password do not match an account. Check them and try again.";

/** The client of the request being handled (server actions and pages), as the sign-in limits count it. */
export async function requestClient(): Promise<Client> {
  const env = getEnv();
  const h = await headers();
  return {
    address: addressKey(clientIp(h, env.trustedProxies)),
    device: deviceFromCookieHeader(h.get("cookie"), env.appUrl.startsWith("https://")),
  };
}

/** Signs in with a password through Auth.js (so the sign-in limits apply), in words a form can show. */
export async function passwordSignIn(email: string, password: string): Promise<PasswordSignIn> {
  return withSignInOutcome(async (outcome) => {
    try {
      await signIn("credentials", { email, password, redirect: false });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (outcome.refusal) return { ok: false, message: outcome.refusal.message, limited: true };
      if (outcome.disabled) return { ok: false, message: outcome.disabled, limited: false };
      return { ok: false, message: WRONG_PASSWORD, limited: false };
    }
    if (outcome.newDevice) (await cookies()).set(deviceCookie(outcome.newDevice, getEnv().appUrl.startsWith("https://")));
    return { ok: true };
  });
}
