// POST /api/accounts/profile/email {"email", "currentPassword"}: asks to change the address; a link goes to the new
// one (202, the same words whether or not another account has it). 400 with fields, 429 + Retry-After past the limits.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requestEmailChange } from "@/lib/accounts/email-address";
import { deviceFromCookieHeader } from "@/lib/auth/device";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { api, parseJson } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export const dynamic = "force-dynamic";

const body = z.object({ email: z.string().max(1000), currentPassword: z.string().max(1024) }).strict();

export const POST = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const env = getEnv();
  const input = await parseJson(request, body);
  const client = { address: addressKey(clientIp(request, env.trustedProxies)), device: deviceFromCookieHeader(request.headers.get("cookie"), env.appUrl.startsWith("https://")) };
  const result = await requestEmailChange(getDb(), env, member, input, client);
  kickDispatcher();
  return NextResponse.json(result, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
