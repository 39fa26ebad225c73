// An announcement's progress as JSON, for its console page to update itself: admins only (the session, never a token).
import { getDb } from "@/db/client";
import { progressView } from "@/lib/announcements/progress";
import { requireAdminApi } from "@/lib/console/gate";
import { api, notFound } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = api(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  await requireAdminApi(request);
  const view = progressView(getDb(), (await params).id);
  if (!view) throw notFound("This announcement");
  return Response.json({ view }, { headers: { "cache-control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
