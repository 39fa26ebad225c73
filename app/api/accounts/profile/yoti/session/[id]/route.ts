// GET: one of the signed-in member's own verification sessions (anyone else's answers 404).
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { requireMemberApi } from "@/lib/auth/session";
import { api, notFound } from "@/lib/http/api";
import { getPolicy } from "@/lib/verification/policy";
import { sessionView } from "@/lib/verification/service";
import { findMemberSession } from "@/lib/verification/sessions";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = api(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const member = await requireMemberApi();
  const session = findMemberSession(getDb(), member.id, (await params).id);
  if (!session) throw notFound("This verification session");
  return NextResponse.json(sessionView(session, getPolicy()));
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
