// Signing in from a server action (the sign-in, second-step, sign-up and invitation forms): Auth.js's signIn() with
// the limits' verdict in words, the device and challenge cookies set, and the client as the limits see it.
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
import { challengeCookie } from "./second-step";

export type PasswordSignIn = { ok: true } | { ok: false; message: string; limited: boolean; twoFactor?: boolean };

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

/**
 * Signs in with a password through Auth.js (so the sign-in limits apply), in words a form can show. With two-factor
 * on, no session starts: the challenge cookie is set and `twoFactor` says to go to the second step.
 */
export async function passwordSignIn(email: string, password: string): Promise<PasswordSignIn> {
  return withSignInOutcome(async (outcome) => {
    const secure = getEnv().appUrl.startsWith("https://");
    try {
      await signIn("credentials", { email, password, redirect: false });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (outcome.twoFactor) {
        const seconds = Math.round((outcome.twoFactor.expiresAt.getTime() - Date.now()) / 1000);
        (await cookies()).set(challengeCookie(outcome.twoFactor.token, secure, seconds));
        return { ok: false, message: "Enter a code to finish signing in.", limited: false, twoFactor: true };
      }
      if (outcome.refusal) return { ok: false, message: outcome.refusal.message, limited: true };
      if (outcome.disabled) return { ok: false, message: outcome.disabled, limited: false };
      return { ok: false, message: WRONG_PASSWORD, limited: false };
    }
    if (outcome.newDevice) (await cookies()).set(deviceCookie(outcome.newDevice, secure));
    return { ok: true };
  });
}

export type SecondStepSignIn = { ok: true } | { ok: false; message: string; expired: boolean };

/** The second step from the form: a code of one method for the challenge in the browser's cookie. */
export async function secondStepSignIn(input: { method: "totp" | "sms" | "recovery"; code: string; remember: boolean }): Promise<SecondStepSignIn> {
  return withSignInOutcome(async (outcome) => {
    const secure = getEnv().appUrl.startsWith("https://");
    const jar = await cookies();
    try {
      await signIn("credentials", { method: input.method, code: input.code, ...(input.remember ? { remember: "1" } : {}), redirect: false });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const refusal = outcome.secondStep;
      if (!refusal) return { ok: false, message: "Something went wrong. Sign in with your password again.", expired: true };
      if (refusal.reason === "expired") jar.set(challengeCookie("", secure, 0));
      return { ok: false, message: refusal.message, expired: refusal.reason === "expired" };
    }
    jar.set(challengeCookie("", secure, 0));
    if (outcome.newDevice) jar.set(deviceCookie(outcome.newDevice, secure));
    return { ok: true };
  });
}
