// GET: the signed-in member's verification status and latest session (read from our database; cheap enough to poll).
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { requireMemberApi } from "@/lib/auth/session";
import { api } from "@/lib/http/api";
import { getPolicy } from "@/lib/verification/policy";
import { statusView } from "@/lib/verification/service";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = api(async () => {
  const member = await requireMemberApi();
  return NextResponse.json(statusView(getDb(), member.id, getPolicy()), { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
