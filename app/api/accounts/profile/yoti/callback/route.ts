// Yoti's two ways back: POST is the signed notification webhook; GET is the member's browser returning from Yoti.
import { after, NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { currentMember } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { api } from "@/lib/http/api";
import { readTextLimited } from "@/lib/http/body";
import { refuseOtherMethods } from "@/lib/http/methods";
import { newNonce } from "@/lib/http/security-headers";
import { log } from "@/lib/log";
import { limit } from "@/lib/verification/limits";
import { returnPage, returnPageHeaders } from "@/lib/verification/return-page";
import { receiveNotification, refreshInBackground, refreshSession } from "@/lib/verification/service";
import { effectiveStatus, findMemberSession, latestSession } from "@/lib/verification/sessions";
import { noteWebhook } from "@/lib/webhooks/receipts";
import { NotificationRejected } from "@/lib/yoti/notification";
import { getYotiClient } from "@/lib/yoti/runtime";

export const dynamic = "force-dynamic";

export const POST = api(async (request: Request) => {
  // Unauthenticated until the signature is checked: never buffer more than a notification can be (413 beyond it).
  const raw = await readTextLimited(request).catch((error: unknown) => {
    noteWebhook({ kind: "yoti_notification", outcome: "refused", detail: "too_large" });
    throw error;
  });
  const db = getDb();
  const result = receiveNotification(db, raw, getEnv().yoti.notificationPublicKeyPem);
  // Counted for the console: accepted (and what became of it) or refused (and why).
  noteWebhook(
    result.outcome === "rejected"
      ? { kind: "yoti_notification", outcome: "refused", detail: result.reason }
      : { kind: "yoti_notification", outcome: "accepted", detail: result.outcome },
  );
  if (result.outcome === "rejected") throw new NotificationRejected(result.reason, result.message);
  // Answer Yoti at once; the authoritative result is fetched after the response (for a stale notification too, while
  // its session is still open).
  const refresh = result.outcome === "accepted" ? result.sessionId : result.outcome === "ignored" ? result.refreshSessionId : undefined;
  if (refresh) after(() => refreshInBackground(db, getYotiClient(), refresh));
  return NextResponse.json({ received: true, outcome: result.outcome });
});

export const GET = api(async (request: Request) => {
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
});

export const { PUT, PATCH, DELETE } = refuseOtherMethods("GET", "POST");
