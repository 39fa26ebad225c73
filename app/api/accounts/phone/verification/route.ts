// POST /api/accounts/phone/verification {"phone", "password"?, "code"?}: texts a code to the number being added or
// changed (changing a verified number needs the password or an authenticator/recovery code). 202 with where it went,
// until when it works and when a new one can be asked for; 400 for a number we cannot text; 429 + Retry-After past
// the limits (a resend within 30 s, per number per hour, per account per day, Twilio Verify's own).
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { confirmIdentity } from "@/lib/auth/confirm";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { requestClient } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { api, ApiError, parseJson } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { phoneStatus, startPhoneVerification } from "@/lib/phone-verification/phones";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

const body = z.object({ phone: z.string().max(64), password: z.string().max(1024).optional(), code: z.string().max(64).optional() }).strict();

export const POST = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const input = await parseJson(request, body);
  const db = getDb();
  const env = getEnv();
  let proof = null;
  if (phoneStatus(db, env, member.id).verified && (input.password || input.code)) {
    const confirmed = await confirmIdentity(db, env, member, input, await requestClient());
    if (!confirmed.ok) throw new ApiError(403, "confirmation_failed", confirmed.message, { password: confirmed.message });
    proof = confirmed.proof;
  }
  const sent = await startPhoneVerification(db, env, getTwilioVerify(), member, { phone: input.phone }, proof);
  kickDispatcher();
  return NextResponse.json(
    { phone: sent.phone, via: sent.via, expiresAt: sent.expiresAt.toISOString(), resendAt: sent.resendAt.toISOString() },
    { status: 202, headers: { "Cache-Control": "no-store" } },
  );
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
