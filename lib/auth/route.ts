// Auth.js's own POST endpoint (/api/auth/callback/credentials and the rest) with the sign-in limits' answers as HTTP:
// a refusal is a JSON 429 with Retry-After instead of Auth.js's redirect, and a first sign-in gets its device cookie.
import "server-only";
import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { api } from "@/lib/http/api";
import { deviceSetCookieHeader } from "./device";
import { AccountDisabled, SignInLimited } from "./guard";
import { withSignInOutcome } from "./outcome";

type Handler = (request: NextRequest) => Promise<Response>;

export function withSignInLimits(post: Handler) {
  return api((request: Request) =>
    withSignInOutcome(async (outcome) => {
      const response = await post(request as NextRequest);
      if (outcome.refusal) throw new SignInLimited(outcome.refusal);
      if (outcome.disabled) throw new AccountDisabled(outcome.disabled);
      if (!outcome.newDevice) return response;
      const headers = new Headers(response.headers);
      headers.append("set-cookie", deviceSetCookieHeader(outcome.newDevice, getEnv().appUrl.startsWith("https://")));
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
}
