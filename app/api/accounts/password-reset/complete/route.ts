// POST /api/accounts/password-reset/complete {"token", "password"} (a reset link's token) or {"email", "code",
// "password"} (the code texted for the latest request for the address): sets the new password. 200 (every session
// ended; nobody is signed in); 400 with fields for a password the policy refuses. A link: 404 for a token we never
// issued, 410 when it expired, was used or was replaced. A code: 400 wrong_code (X-Tries-Left), code_expired,
// code_used, code_dead (no tries left), no_code, alike for an address that got no code.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deviceFromCookieHeader } from "@/lib/auth/device";
import { resetPasswordWithLink } from "@/lib/auth/password-reset";
import { resetPasswordWithCode } from "@/lib/auth/password-reset-code";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { api, ApiError, parseJson } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { REFUSAL_CODES } from "@/lib/phone-codes/codes";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

const body = z.union([
  z.object({ token: z.string().max(100), password: z.string().max(1024) }).strict(),
  z.object({ email: z.string().max(1000), code: z.string().max(64), password: z.string().max(1024) }).strict(),
]);

export const POST = api(async (request: Request) => {
  const env = getEnv();
  const input = await parseJson(request, body);
  const client = { address: addressKey(clientIp(request, env.trustedProxies)), device: deviceFromCookieHeader(request.headers.get("cookie"), env.appUrl.startsWith("https://")) };
  if ("token" in input) {
    await resetPasswordWithLink(getDb(), env, input.token, input.password, client);
  } else {
    const result = await resetPasswordWithCode(getDb(), env, getTwilioVerify(), input, client);
    if (!result.ok) {
      const extra = result.triesLeft !== undefined ? { "X-Tries-Left": String(result.triesLeft) } : undefined;
      throw new ApiError(400, REFUSAL_CODES[result.reason], result.message, { code: result.message }, extra);
    }
  }
  kickDispatcher();
  return NextResponse.json({ reset: true, message: "Your password has been changed and every device was signed out. Sign in with your new password." });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
