// Auth.js's own POST endpoint (/api/auth/callback/credentials and the rest) with the sign-in limits' answers as HTTP:
// a refusal is a JSON 429 with Retry-After instead of Auth.js's redirect; a right password of a member with
// two-factor on is a JSON 401 two_factor_required (and the challenge cookie), never a session; a refused second-step
// code is a JSON 401 or 429 in words; a first sign-in gets its device cookie.
import "server-only";
import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { api, ApiError } from "@/lib/http/api";
import { deviceSetCookieHeader } from "./device";
import { AccountDisabled, SignInLimited } from "./guard";
import { withSignInOutcome } from "./outcome";
import { challengeSetCookieHeader } from "./second-step";

type Handler = (request: NextRequest) => Promise<Response>;

export function withSignInLimits(post: Handler) {
  return api((request: Request) =>
    withSignInOutcome(async (outcome) => {
      const response = await post(request as NextRequest);
      if (outcome.refusal) throw new SignInLimited(outcome.refusal);
      if (outcome.disabled) throw new AccountDisabled(outcome.disabled);
      const secure = getEnv().appUrl.startsWith("https://");
      const cookies: string[] = [];
      if (outcome.twoFactor) {
        // A right password alone issues no session: the answer says so, and the challenge cookie names this sign-in.
        const seconds = Math.round((outcome.twoFactor.expiresAt.getTime() - Date.now()) / 1000);
        const required = new ApiError(401, "two_factor_required", twoFactorRequired(seconds), undefined, { "set-cookie": challengeSetCookieHeader(outcome.twoFactor.token, secure, seconds) });
        throw required;
      }
      if (outcome.secondStep) {
        const r = outcome.secondStep;
        const headers: Record<string, string> = r.retryAfterSeconds ? { "Retry-After": String(r.retryAfterSeconds) } : {};
        if (r.reason === "expired") headers["set-cookie"] = challengeSetCookieHeader("", secure, 0);
        throw new ApiError(r.status, r.reason === "limited" ? "rate_limited" : r.reason === "expired" ? "two_factor_expired" : "wrong_code", r.message, undefined, headers);
      }
      if (outcome.secondStepDone) cookies.push(challengeSetCookieHeader("", secure, 0));
      if (outcome.newDevice) cookies.push(deviceSetCookieHeader(outcome.newDevice, secure));
      if (!cookies.length) return response;
      const headers = new Headers(response.headers);
      for (const c of cookies) headers.append("set-cookie", c);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
}

const twoFactorRequired = (seconds: number) =>
  `The password is right, and this account uses two-factor sign-in: POST again with method (totp, sms or recovery) and code, with the cookie this answer sets, within ${Math.round(seconds / 60)} minutes.`;
