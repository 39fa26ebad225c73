// GET /api/accounts/phone: the verified number, a typed one awaiting verification, and a code on its way.
// DELETE /api/accounts/phone {"password"} or {"code"}: removes the number (a verified one needs the confirmation);
// SMS alerts and SMS sign-in codes stop, and "mobile number changed" is raised.
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
import { phoneStatus, removePhone } from "@/lib/phone-verification/phones";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

export const GET = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const s = phoneStatus(getDb(), getEnv(), member.id);
  return NextResponse.json(
    {
      verified: s.verified ? { phone: s.verified.phone, verifiedAt: s.verified.at.toISOString() } : null,
      unverified: s.unverified,
      pending: s.pending ? { phone: s.pending.phone, expiresAt: s.pending.expiresAt.toISOString(), resendAt: s.pending.resendAt.toISOString() } : null,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});

const body = z.object({ password: z.string().max(1024).optional(), code: z.string().max(64).optional() }).strict();

export const DELETE = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const input = await parseJson(request, body);
  const db = getDb();
  const status = phoneStatus(db, getEnv(), member.id);
  let proof = null;
  if (status.verified) {
    const confirmed = await confirmIdentity(db, getEnv(), member, input, await requestClient());
    if (!confirmed.ok) throw new ApiError(403, "confirmation_failed", confirmed.message, { password: confirmed.message });
    proof = confirmed.proof;
  }
  if (!(await removePhone(db, getTwilioVerify(), member, proof))) throw new ApiError(404, "not_found", "You have no mobile number on your account.");
  kickDispatcher();
  return NextResponse.json({ removed: true });
});

export const { POST, PUT, PATCH } = refuseOtherMethods("GET", "DELETE");
