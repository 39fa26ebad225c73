// POST /api/accounts/password-reset/complete {"token", "password"}: sets the new password with a reset link's token.
// 200 (every session ended; nobody is signed in); 400 with fields for a password the policy refuses; 404 for a token
// we never issued; 410 when it expired, was used or was replaced (the message says what to do).
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deviceFromCookieHeader } from "@/lib/auth/device";
import { resetPasswordWithLink } from "@/lib/auth/password-reset";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { api, parseJson } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export const dynamic = "force-dynamic";

const body = z.object({ token: z.string().max(100), password: z.string().max(1024) }).strict();

export const POST = api(async (request: Request) => {
  const env = getEnv();
  const input = await parseJson(request, body);
  const client = { address: addressKey(clientIp(request, env.trustedProxies)), device: deviceFromCookieHeader(request.headers.get("cookie"), env.appUrl.startsWith("https://")) };
  await resetPasswordWithLink(getDb(), env, input.token, input.password, client);
  kickDispatcher();
  return NextResponse.json({ reset: true, message: "Your password has been changed and every device was signed out. Sign in with your new password." });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
