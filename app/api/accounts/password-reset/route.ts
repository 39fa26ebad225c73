// POST /api/accounts/password-reset {"email", "method"?}: emails a reset link ("email", the default) if an account uses
// the address, or ("sms") texts a code to the account's verified number. 202 with the same words either way; 400 for
// something that is not an email address; 429 + Retry-After past the limits (links and codes counted together) or
// within the wait before another code.
import { after, NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { requestPasswordResetCode } from "@/lib/auth/password-reset-code";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { api, parseJson } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

const body = z.object({ email: z.string().max(1000), method: z.enum(["email", "sms"]).default("email") }).strict();

export const POST = api(async (request: Request) => {
  const env = getEnv();
  const input = await parseJson(request, body);
  const client = { address: addressKey(clientIp(request, env.trustedProxies)) };
  if (input.method === "email") {
    const result = requestPasswordReset(getDb(), env, { email: input.email }, client);
    kickDispatcher();
    return NextResponse.json(result, { status: 202 });
  }
  // The code is sent after the answer, so the answer takes as long whether or not a number gets it.
  const { message, send } = requestPasswordResetCode(getDb(), env, getTwilioVerify(), { email: input.email }, client);
  after(async () => {
    await send();
    kickDispatcher();
  });
  return NextResponse.json({ message }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
