// Who is asking: the signed-in member for pages and API routes, checked on the server against the database each time.
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { Member } from "@/db/schema";
import { memberById } from "@/lib/accounts/members";
import { memberForToken } from "@/lib/api-tokens/tokens";
import { ApiError, unauthorized } from "@/lib/http/api";
import { auth } from "./index";

/**
 * The signed-in member, or null. The session must be live on the server (checked by Auth.js's jwt callback: not
 * signed out or ended elsewhere); a member who no longer exists or is disabled counts as signed out. A request that
 * carries `Authorization: Bearer` is never signed in by a cookie it also carries: Bearer requests skip the CSRF origin
 * check (decision 010), so only their token may authenticate them. Once per request.
 */
export const currentMember = cache(async (): Promise<Member | null> => {
  if (/^Bearer\s/i.test((await headers()).get("authorization") ?? "")) return null;
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const member = memberById(getDb(), id);
  return member && !member.disabledAt ? member : null;
});

/** The server-side id of the current browser's session, or null when signed out. */
export async function currentSessionId(): Promise<string | null> {
  return (await auth())?.sessionId || null;
}

/** For pages: the signed-in member, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireMemberPage(returnTo: string): Promise<Member> {
  const member = await currentMember();
  if (!member) redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  return member;
}

export type ApiCaller = {
  member: Member;
  via: "session" | "token";
  /** A token's creation recorded the member's attestation that their recipients consented. */
  tokenConsent: boolean;
};

/**
 * For API routes: who is calling, by `Authorization: Bearer <personal API token>` or else the session cookie. A bearer
 * token that is wrong or revoked is a 401, never a fall-back to the cookie.
 */
export async function authenticateApi(request?: Request): Promise<ApiCaller> {
  const header = request?.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const found = match ? memberForToken(getDb(), match[1]!) : null;
    if (!found) {
      throw new ApiError(401, "invalid_token", "That API token is not valid or has been revoked. Create a new one on your profile page.", undefined, {
        "WWW-Authenticate": 'Bearer error="invalid_token"',
      });
    }
    return { member: found.member, via: "token", tokenConsent: true };
  }
  const member = await currentMember();
  if (!member) throw unauthorized();
  return { member, via: "session", tokenConsent: false };
}

/** For API routes: the calling member (session cookie or bearer token), or a 401 ApiError. */
export async function requireMemberApi(request?: Request): Promise<Member> {
  return (await authenticateApi(request)).member;
}

/**
 * For API routes that manage the account itself (notifications, alert preferences, email, password): the member
 * signed in with the session cookie. A personal API token is for smoke signals only: a leaked one must not change
 * how the member hears about it, or their address.
 */
export async function requireSessionMemberApi(request: Request): Promise<Member> {
  const caller = await authenticateApi(request);
  if (caller.via !== "session") throw new ApiError(403, "session_required", "API tokens cannot manage your account. Sign in on the site to do this.");
  return caller.member;
}
