// RFC 8058 one-click unsubscribe: the mail client POSTs "List-Unsubscribe=One-Click" here (no cookie, no Origin, a form
// body: exempt from the CSRF rules; the token is the authority). A browser's GET goes to the page that asks first.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { stop, unsubscribeLink } from "@/lib/alerts/unsubscribe";
import { api, notFound } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

export const POST = api(async (_request: Request, { params }: Params) => {
  const db = getDb();
  const link = unsubscribeLink(db, (await params).token);
  if (!link) throw notFound("This unsubscribe link");
  // Invitations: the mailbox goes on the suppression list. An activity alert: its email is switched off.
  return NextResponse.json({ unsubscribed: stop(db, link, "one-click") });
});

export const GET = api(async (request: Request, { params }: Params) => {
  const { token } = await params;
  return NextResponse.redirect(new URL(`/unsubscribe/${encodeURIComponent(token)}`, request.url), 303);
});

export const { PUT, PATCH, DELETE } = refuseOtherMethods("GET", "POST");
