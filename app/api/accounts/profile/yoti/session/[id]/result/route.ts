// GET: fetch the session's authoritative result from Yoti, validate it, apply it, and answer a normalised view.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { requireMemberApi } from "@/lib/auth/session";
import { api, notFound } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { limit } from "@/lib/verification/limits";
import { refreshSession } from "@/lib/verification/service";
import { effectiveStatus, findMemberSession } from "@/lib/verification/sessions";
import { getYotiClient } from "@/lib/yoti/runtime";

export const dynamic = "force-dynamic";

export const GET = api(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const member = await requireMemberApi();
  const db = getDb();
  const session = findMemberSession(db, member.id, (await params).id);
  if (!session) throw notFound("This verification session");
  await limit("result", member.id);
  const updated = await refreshSession(db, getYotiClient(), session.id, "result");
  const status = effectiveStatus(updated, new Date());
  return NextResponse.json({ status, verified: status === "COMPLETE", method: updated.method, checked_at: updated.checkedAt?.toISOString() ?? null });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
