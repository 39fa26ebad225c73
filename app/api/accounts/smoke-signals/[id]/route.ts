// GET /api/accounts/smoke-signals/{id}: one smoke signal with its status timeline; someone else's answers 404.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { adminViewer } from "@/lib/auth/admin";
import { authenticateApi, currentSessionId } from "@/lib/auth/session";
import { api, notFound } from "@/lib/http/api";
import { getSignal } from "@/lib/smoke-signals/queries";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = api(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const caller = await authenticateApi(request);
  const member = adminViewer(caller.member, caller.via === "session" ? await currentSessionId() : null);
  const { id } = await params;
  const signal = getSignal(getDb(), member, id);
  if (!signal) throw notFound("This smoke signal");
  return NextResponse.json(signal, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
