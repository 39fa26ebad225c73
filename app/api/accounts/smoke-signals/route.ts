// GET /api/accounts/smoke-signals: the caller's smoke signals (all of them for an admin), newest first, paginated.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { adminViewer } from "@/lib/auth/admin";
import { authenticateApi, currentSessionId } from "@/lib/auth/session";
import { api, validationError } from "@/lib/http/api";
import { listSignals } from "@/lib/smoke-signals/queries";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const query = z.object({
  page: z.coerce.number({ error: "page must be a whole number from 1" }).int().min(1).max(100000).default(1),
  pageSize: z.coerce.number({ error: "pageSize must be a whole number from 1 to 100" }).int().min(1).max(100).default(20),
});

export const GET = api(async (request: Request) => {
  const caller = await authenticateApi(request);
  // All members' signals are an admin feature: only for an admin whose session passed two-factor.
  const member = adminViewer(caller.member, caller.via === "session" ? await currentSessionId() : null);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = query.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error);
  return NextResponse.json(listSignals(getDb(), member, parsed.data.page, parsed.data.pageSize), { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
