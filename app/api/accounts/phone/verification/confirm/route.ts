// POST /api/accounts/phone/verification/confirm {"code"}: the code texted to the number being verified. 200 with the
// verified number; 400 wrong_code (with tries left), code_expired, code_used, code_dead (no tries left: ask again);
// 409 phone_taken (verified on another account, which is not named).
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { api, ApiError, parseJson } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { REFUSAL_CODES } from "@/lib/phone-codes/codes";
import { confirmPhoneVerification } from "@/lib/phone-verification/phones";
import { getTwilioVerify } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

const body = z.object({ code: z.string().max(64) }).strict();
const CODES: Record<string, string> = { ...REFUSAL_CODES, taken: "phone_taken" };

export const POST = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const { code } = await parseJson(request, body);
  const result = await confirmPhoneVerification(getDb(), getEnv(), getTwilioVerify(), member, code);
  if (!result.ok) {
    const extra = result.triesLeft !== undefined ? { "X-Tries-Left": String(result.triesLeft) } : undefined;
    throw new ApiError(result.reason === "taken" ? 409 : 400, CODES[result.reason] ?? "invalid_code", result.message, { code: result.message }, extra);
  }
  kickDispatcher();
  return NextResponse.json({ phone: result.phone, verified: true });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
