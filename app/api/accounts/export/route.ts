// A member downloads all their data as one JSON file. Only with the signed-in session: a personal API token (made for
// sending smoke signals from a script) cannot read the whole account.
import { getDb } from "@/db/client";
import { requireMemberApi } from "@/lib/auth/session";
import { api, ApiError, notFound } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";
import { exportMemberData } from "@/lib/privacy/export";

export const dynamic = "force-dynamic";

export const GET = api(async (request: Request) => {
  if (request.headers.get("authorization")) throw new ApiError(403, "session_required", "Download your data from your profile page while signed in; API tokens cannot.");
  const member = await requireMemberApi();
  const data = exportMemberData(getDb(), member.id);
  if (!data) throw notFound("Your account");
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="select-exposure-data-${new Date().toISOString().slice(0, 10)}.json"`,
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
