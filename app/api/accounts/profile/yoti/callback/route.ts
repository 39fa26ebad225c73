// Yoti's two ways back: POST is the signed notification webhook; GET is the member's browser returning from Yoti.
import { after, NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { currentMember } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { readTextLimited } from "@/lib/http/body";
import { log } from "@/lib/log";
import { limit } from "@/lib/verification/http";
import { newNonce } from "@/lib/http/security-headers";
import { returnPage, returnPageHeaders } from "@/lib/verification/return-page";
import { receiveNotification, refreshInBackground, refreshSession } from "@/lib/verification/service";
import { effectiveStatus, findMemberSession, latestSession } from "@/lib/verification/sessions";
import { noteWebhook } from "@/lib/webhooks/receipts";
import { getYotiClient } from "@/lib/yoti/runtime";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const MAX_BODY = 64 * 1024;

export async function POST(request: Request) {
  // Unauthenticated until the signature is checked: never buffer more than a notification can be.
  const raw = await readTextLimited(request, MAX_BODY);
  if (raw === null) {
    noteWebhook({ kind: "yoti_notification", outcome: "refused", detail: "too_large" });
    return NextResponse.json({ error: { code: "too_large", message: "Notification too large." } }, { status: 413 });
  }
  const db = getDb();
  const result = receiveNotification(db, raw, getEnv().yoti.notificationPublicKeyPem);
  noteWebhook(
    result.outcome === "rejected"
      ? { kind: "yoti_notification", outcome: "refused", detail: result.reason }
      : { kind: "yoti_notification", outcome: "accepted", detail: result.outcome },
  );
  if (result.outcome === "rejected") return NextResponse.json({ error: { code: "rejected", message: result.message } }, { status: result.status });
  // Answer Yoti at once; the authoritative result is fetched after the response (for a stale notification too, while
  // its session is still open).
  const refresh = result.outcome === "accepted" ? result.sessionId : result.outcome === "ignored" ? result.refreshSessionId : undefined;
  if (refresh) after(() => refreshInBackground(db, getYotiClient(), refresh));
  return NextResponse.json({ received: true, outcome: result.outcome });
}

export async function GET(request: Request) {
  const url = new URL(request.url);
  const member = await currentMember();
  // An HTML page the proxy does not see as one (it lives under /api): its own CSP and nonce.
  const nonce = newNonce();
  const html = returnPageHeaders(nonce);
  if (!member) return new Response(returnPage("UNKNOWN", null, { signedOut: true, nonce }), { headers: html });
  const db = getDb();
  // Nothing in the URL is trusted: the id only picks one of this member's sessions, and the outcome comes from Yoti.
  const requested = url.searchParams.get("sessionId");
  const session = (requested && findMemberSession(db, member.id, requested)) || latestSession(db, member.id);
  let status = session ? effectiveStatus(session, new Date()) : "UNKNOWN";
  // Reloading this page must not call Yoti without bound: it shares the result route's per-member limit, and past
  // it answers from what we already know.
  if (session && (await limit("result", member.id).then(() => true, () => false))) {
    try {
      status = effectiveStatus(await refreshSession(db, getYotiClient(), session.id, "browser"), new Date());
    } catch (error) {
      log.warn({ err: error, sessionId: session.id }, "yoti refresh on browser return failed");
    }
  }
  return new Response(returnPage(status, session?.id ?? null, { nonce }), { headers: html });
}

export const { PUT, PATCH, DELETE } = refuseOtherMethods("GET", "POST");
