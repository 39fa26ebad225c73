// Auth.js's own POST endpoint (/api/auth/callback/credentials and the rest) with the sign-in limits' answers as HTTP:
// a refusal is a JSON 429 with Retry-After instead of Auth.js's redirect, and a first sign-in gets its device cookie.
import "server-only";
import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { ApiError, errorResponse } from "@/lib/http/api";
import { deviceSetCookieHeader } from "./device";
import { withSignInOutcome } from "./outcome";

type Handler = (request: NextRequest) => Promise<Response>;

export function withSignInLimits(post: Handler): Handler {
  return (request) =>
    withSignInOutcome(async (outcome) => {
      const response = await post(request);
      if (outcome.refusal) {
        const { reason, message, retryAfterSeconds } = outcome.refusal;
        return errorResponse(new ApiError(429, reason, message, undefined, { "Retry-After": String(retryAfterSeconds) }));
      }
      if (outcome.disabled) return errorResponse(new ApiError(403, "account_disabled", outcome.disabled));
      if (!outcome.newDevice) return response;
      const headers = new Headers(response.headers);
      headers.append("set-cookie", deviceSetCookieHeader(outcome.newDevice, getEnv().appUrl.startsWith("https://")));
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    });
}
