// GET /api/accounts/notifications: the member's notifications, newest first (`?before=<id>` for older ones), and how
// many are unread.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { api, validationError } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { listNotifications, unreadCount } from "@/lib/notifications/notifications";

export const dynamic = "force-dynamic";

const query = z.object({
  before: z.string().max(64, "before must be a notification id").optional(),
  limit: z.coerce.number({ error: "limit must be a whole number from 1 to 100" }).int().min(1).max(100).default(20),
});

export const GET = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const db = getDb();
  const page = listNotifications(db, member.id, parsed.data);
  const items = page.items.map((n) => ({ id: n.id, text: n.text, note: n.note, event: n.event, link: n.link, read: Boolean(n.readAt), createdAt: n.createdAt.toISOString() }));
  return NextResponse.json({ items, next: page.next, unread: unreadCount(db, member.id) }, { headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
