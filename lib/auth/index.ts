// Auth.js (next-auth v5) configuration: email + password through the Credentials provider, within the sign-in limits
// (guard.ts), then, for members with two-factor on, the second step (second-step.ts): the same provider takes either
// shape, so no path that signs in (our forms or Auth.js's own endpoint) can skip it. The JWT names a server-side
// session (sessions.ts) that is checked on every request.
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { isRole } from "@/lib/accounts/members";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { clientIp } from "@/lib/http/client-ip";
import { log } from "@/lib/log";
import type { Member, SecondFactor, Trust } from "@/db/schema";
import { getTwilioVerify } from "@/lib/twilio/runtime";
import { deviceFromCookieHeader } from "./device";
import { admitClient, checkSignIn, trustOf } from "./guard";
import { afterPassword, challengeFromCookieHeader, completeSecondStep, rememberBrowser } from "./second-step";
import { currentSignInOutcome } from "./outcome";
import { endSession, isSessionLive, startSession } from "./sessions";

declare module "next-auth" {
  interface User {
    role?: "member" | "admin";
    /** The server-side session this sign-in started. */
    sid?: string;
  }
  interface Session {
    user: { id: string; email: string; role: "member" | "admin" };
    /** The server-side session id (lets a password change keep this browser signed in and end the others). */
    sessionId: string;
  }
}

/** A sign-in not tried: a limit was reached or every hashing slot is busy (details in the sign-in outcome). */
export class SignInRefused extends CredentialsSignin {
  constructor(readonly reason: "rate_limited" | "busy" | "disabled" | "two_factor_required" | "second_step_refused") {
    super();
    this.code = reason;
  }
}

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(1024) });
/** The second step: a code of one method, for the challenge named by the browser's cookie. */
const secondStepSchema = z.object({
  method: z.enum(["totp", "sms", "recovery"]),
  code: z.string().max(64),
  remember: z.enum(["1", "true", "on"]).optional(),
});

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = getEnv();
  // Decided by APP_URL, never by the request's (proxy-forwarded) protocol: an https site always gets Secure cookies.
  const secure = env.appUrl.startsWith("https://");
  return {
    secret: env.authSecret,
    trustHost: true,
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin" },
    logger: {
      error: (error) => {
        if ((error as { type?: string }).type !== "CredentialsSignin") log.warn({ err: error }, "auth error");
      },
      warn: (code) => log.warn({ code }, "auth warning"),
    },
    providers: [
      Credentials({
        credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, request) {
          const db = getDb();
          const address = addressKey(clientIp(request, env.trustedProxies));
          const cookie = request.headers.get("cookie");
          const client = { address, device: deviceFromCookieHeader(cookie, secure) };
          const userAgent = request.headers.get("user-agent");
          const outcome = currentSignInOutcome();
          const begin = (member: Member, opts: { trust: Trust; secondFactor: SecondFactor | null; recoveryCodesLeft?: number; remember?: boolean }) => {
            const admitted = admitClient(db, member, client, opts.trust);
            if (admitted.newDevice) outcome.newDevice = admitted.newDevice;
            if (opts.remember) rememberBrowser(db, env, member.id, client.device ?? admitted.newDevice!, { address, userAgent });
            const sid = startSession(db, member.id, { address, userAgent }, { unfamiliar: admitted.unfamiliar, env, secondFactor: opts.secondFactor, recoveryCodesLeft: opts.recoveryCodesLeft });
            return { id: member.id, email: member.email, role: member.role, sid };
          };

          // The second step: every session of a member with two-factor on starts here, whichever path signs in.
          const step = secondStepSchema.safeParse(raw);
          if (step.success) {
            const done = await completeSecondStep(db, env, getTwilioVerify(), challengeFromCookieHeader(cookie, secure), step.data, client);
            if (done.outcome === "refused") {
              outcome.secondStep = done.refusal;
              throw new SignInRefused("second_step_refused");
            }
            outcome.secondStepDone = true;
            const trust = trustOf(db, done.member, client, Date.now());
            return begin(done.member, { trust, secondFactor: done.method, recoveryCodesLeft: done.recoveryCodesLeft, remember: Boolean(step.data.remember) });
          }

          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const result = await checkSignIn(db, env, parsed.data, client, { admit: false });
          if (result.outcome === "refused") {
            outcome.refusal = result.refusal;
            throw new SignInRefused(result.refusal.reason);
          }
          if (result.outcome === "disabled") {
            outcome.disabled = result.message;
            throw new SignInRefused("disabled");
          }
          if (result.outcome === "wrong") return null;
          // A right password alone starts no session when two-factor is on (unless this browser is remembered).
          const next = afterPassword(db, env, result.member, { ...client, userAgent });
          if (next.needed) {
            outcome.twoFactor = { token: next.token, expiresAt: next.expiresAt };
            throw new SignInRefused("two_factor_required");
          }
          return begin(result.member, { trust: result.trust, secondFactor: next.secondFactor });
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = user.role;
          token.sid = user.sid;
          return token;
        }
        // Every request: the session must still be live on the server (not signed out, not ended by a password
        // change, its member not disabled). Returning null clears the cookie. Tokens from before sessions had ids
        // name none and end here once.
        if (typeof token.sid !== "string" || !token.sub || !isSessionLive(getDb(), token.sid, token.sub)) return null;
        return token;
      },
      session({ session, token }) {
        session.user.id = token.sub ?? "";
        session.user.role = isRole(token.role) ? token.role : "member";
        session.sessionId = typeof token.sid === "string" ? token.sid : "";
        return session;
      },
    },
    events: {
      // Sign-out (our form or Auth.js's endpoint) ends the session on the server, so a copy of the cookie stops working.
      signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") endSession(getDb(), sid, "signed_out");
      },
    },
  };
});
