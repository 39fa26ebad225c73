// POST /api/accounts/smoke-signals/send: queue a smoke signal (session cookie or bearer token); 202 once committed.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { getProfile } from "@/lib/accounts/members";
import { authenticateApi } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { api, ApiError, parseJson } from "@/lib/http/api";
import { clientIp } from "@/lib/http/client-ip";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { SignalRefused } from "@/lib/smoke-signals/errors";
import { sendSchema, sendSmokeSignal } from "@/lib/smoke-signals/send";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const caller = await authenticateApi(request);
  const input = await parseJson(request, sendSchema);
  const db = getDb();
  const profile = await getProfile(db, caller.member.id);
  const env = getEnv();
  try {
    const signal = sendSmokeSignal(db, input, {
      sender: caller.member,
      senderScreenName: profile?.screenName ?? null,
      tokenConsent: caller.tokenConsent,
      ip: clientIp(request, env.trustedProxies),
      env,
    });
    kickDispatcher();
    return NextResponse.json(
      { id: signal.id, status: signal.status, channel: signal.channel, to: maskRecipient(signal.recipient) },
      { status: 202, headers: { Location: `/api/accounts/smoke-signals/${signal.id}` } },
    );
  } catch (error) {
    if (error instanceof SignalRefused) {
      throw new ApiError(error.status, error.code, error.message, error.fields, error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined);
    }
    throw error;
  }
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
