// CSV of the operator's filtered message log (same filters as /admin/messages), streamed in batches.
import { getDb } from "@/db/client";
import { requireAdminApi } from "@/lib/console/gate";
import { messagesCsv, parseMessageFilters } from "@/lib/console/messages";
import { api, ApiError } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = api(async (request: Request) => {
  await requireAdminApi(request);
  const db = getDb();
  const parsed = parseMessageFilters(db, Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) {
    const list = Object.entries(parsed.problems).map(([k, v]) => `${k}: ${v}`).join("; ");
    throw new ApiError(400, "invalid_request", `The filters are not valid (${list}).`, parsed.problems);
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(messagesCsv(db, parsed.query), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="messages-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
