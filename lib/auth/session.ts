// Who is asking: the signed-in member for pages and API routes, checked on the server against the database each time.
import "server-only";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Member } from "@/db/schema";
import { findMemberById } from "@/lib/accounts/members";
import { unauthorized } from "@/lib/http/api";
import { auth } from "./index";

/** The signed-in member, or null. A session whose member no longer exists counts as signed out. */
export async function currentMember(): Promise<Member | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return (await findMemberById(getDb(), id)) ?? null;
}

/** For pages: the signed-in member, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireMemberPage(returnTo: string): Promise<Member> {
  const member = await currentMember();
  if (!member) redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  return member;
}

/** For API routes: the signed-in member, or a 401 ApiError. */
export async function requireMemberApi(): Promise<Member> {
  const member = await currentMember();
  if (!member) throw unauthorized();
  return member;
}

/** Only same-site relative paths may be used as a post-sign-in destination (no open redirects). */
export function safeNext(next: unknown, fallback = "/profile"): string {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : fallback;
}
