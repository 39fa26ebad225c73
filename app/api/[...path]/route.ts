// Any /api address no route answers: a JSON 404 in plain words, as every API error is, instead of Next's HTML page.
// Next matches every other app/api route before this catch-all.
import { api, ApiError } from "@/lib/http/api";

export const dynamic = "force-dynamic";

const noSuchApi = api((request: Request) => {
  const path = new URL(request.url).pathname;
  throw new ApiError(404, "not_found", `There is no API at ${path.length > 200 ? `${path.slice(0, 200)}…` : path}. The README lists the endpoints.`);
});

export { noSuchApi as GET, noSuchApi as POST, noSuchApi as PUT, noSuchApi as PATCH, noSuchApi as DELETE };
