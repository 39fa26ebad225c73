// POST /api/accounts/profile/email/verification: emails the member a link confirming their address. 202; 409 when it
// is already confirmed; 429 + Retry-After past EMAIL_VERIFICATIONS_PER_HOUR.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { sendVerificationEmail } from "@/lib/accounts/email-address";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { addressKey } from "@/lib/http/address";
import { api } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const env = getEnv();
  const result = sendVerificationEmail(getDb(), env, member, { address: addressKey(clientIp(request, env.trustedProxies)) });
  kickDispatcher();
  return NextResponse.json(result, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
