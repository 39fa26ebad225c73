// POST /api/accounts/password-reset {"email"}: emails a reset link if an account uses the address. 202 with the same
// words either way; 400 for something that is not an email address; 429 + Retry-After past the limits.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { api, parseJson } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export const dynamic = "force-dynamic";

const body = z.object({ email: z.string().max(1000), method: z.literal("email").default("email") }).strict();

export const POST = api(async (request: Request) => {
  const env = getEnv();
  const input = await parseJson(request, body);
  const result = requestPasswordReset(getDb(), env, input, { address: addressKey(clientIp(request, env.trustedProxies)) });
  kickDispatcher();
  return NextResponse.json(result, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
