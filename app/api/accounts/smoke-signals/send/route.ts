// POST /api/accounts/smoke-signals/send: queue a smoke signal (session cookie or bearer token); 202 once committed, or
// 201 with the text and an sms: link for an "Own phone" signal, which the member sends themselves.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { getProfile } from "@/lib/accounts/members";
import { authenticateApi } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { api, parseJson } from "@/lib/http/api";
import { addressKey } from "@/lib/http/address";
import { clientIp } from "@/lib/http/client-ip";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { sendSchema, sendSmokeSignal } from "@/lib/smoke-signals/send";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  const caller = await authenticateApi(request);
  const input = await parseJson(request, sendSchema);
  const db = getDb();
  const profile = getProfile(db, caller.member.id);
  const env = getEnv();
  const signal = sendSmokeSignal(db, input, {
    sender: caller.member,
    senderScreenName: profile?.screenName ?? null,
    tokenConsent: caller.tokenConsent,
    ip: addressKey(clientIp(request, env.trustedProxies)),
    env,
  });
  const view = { id: signal.id, status: signal.status, channel: signal.channel, to: maskRecipient(signal.recipient) };
  const headers = { Location: `/api/accounts/smoke-signals/${signal.id}` };
  // Own phone: nothing is queued; the member gets the text and the sms: link to send it themselves.
  if (signal.ownPhone) return NextResponse.json({ ...view, ...signal.ownPhone }, { status: 201, headers });
  kickDispatcher();
  return NextResponse.json(view, { status: 202, headers });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
