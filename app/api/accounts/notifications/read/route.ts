// POST /api/accounts/notifications/read: {"id": "<notification id>"} marks one read, {"all": true} every one;
// answers how many are still unread. Another member's id is a 404.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { api, notFound, parseJson } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { markAllRead, markRead, unreadCount } from "@/lib/notifications/notifications";

export const dynamic = "force-dynamic";

const body = z.union([z.object({ id: z.string().min(1).max(64) }).strict(), z.object({ all: z.literal(true) }).strict()], {
  error: 'Send {"id": "<notification id>"} or {"all": true}.',
});

export const POST = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const input = await parseJson(request, body);
  const db = getDb();
  if ("id" in input) {
    if (!markRead(db, member.id, input.id)) throw notFound("This notification");
  } else markAllRead(db, member.id);
  return NextResponse.json({ unread: unreadCount(db, member.id) });
});

export const { GET, PUT, PATCH, DELETE } = refuseOtherMethods("POST");
