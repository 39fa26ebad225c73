// POST: start (or reuse) the signed-in member's Yoti age verification session.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { requireMemberApi } from "@/lib/auth/session";
import { api } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { limit } from "@/lib/verification/limits";
import { getPolicy } from "@/lib/verification/policy";
import { sessionView, startVerification } from "@/lib/verification/service";
import { getYotiClient } from "@/lib/yoti/runtime";

export const dynamic = "force-dynamic";

export const POST = api(async () => {
  const member = await requireMemberApi();
  await limit("create", member.id);
  const policy = getPolicy();
  const { session, reused } = await startVerification(getDb(), getYotiClient(), policy, member.id);
  const { session_id, status, expires_at, verification_url } = sessionView(session, policy);
  return NextResponse.json({ session_id, status, expires_at, verification_url }, { status: reused ? 200 : 201 });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
