// Who may use the operator console: a signed-in, enabled admin, checked on the server for every console page, server
// action and API; the one place where "two-factor required" is decided (see secondFactorProblem).
import "server-only";
import { notFound, redirect } from "next/navigation";
import type { Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { adminTwoFactorProblem, TWO_FACTOR_PAGE } from "@/lib/auth/admin";
import { currentMember, currentSessionId } from "@/lib/auth/session";
import { ApiError } from "@/lib/http/api";

/**
 * Admins must have two-factor sign-in on, and this session must have passed it, before they can use admin features
 * (decided once, in lib/auth/admin.ts). A plain-words reason when that is not so (the gate then sends the admin to
 * the two-factor section of their profile), or null when the admin may proceed.
 */
export function secondFactorProblem(admin: Member, sessionId: string | null, db?: Db): string | null {
  return adminTwoFactorProblem(admin, sessionId, db);
}

/** Where an admin who has not completed two-factor is sent. */
export const SECOND_FACTOR_PAGE = TWO_FACTOR_PAGE;

export type GateVerdict =
  | { ok: true; admin: Member }
  | { ok: false; reason: "signed_out" | "not_admin" | "second_factor"; message: string };

/** The decision itself, for any caller: signed in, not disabled (currentMember ensures both), admin, second factor. */
export function adminGate(member: Member | null, sessionId: string | null, db?: Db): GateVerdict {
  if (!member) return { ok: false, reason: "signed_out", message: "Sign in to use the console." };
  if (member.role !== "admin") return { ok: false, reason: "not_admin", message: "The console is for the site's administrators." };
  const problem = secondFactorProblem(member, sessionId, db);
  if (problem) return { ok: false, reason: "second_factor", message: problem };
  return { ok: true, admin: member };
}

async function verdict(): Promise<GateVerdict> {
  return adminGate(await currentMember(), await currentSessionId());
}

/**
 * For console pages and server actions: the admin, or else sign-in (coming back to `returnTo`), the two-factor page,
 * or a 404 for members (the console is not advertised to them).
 */
export async function requireAdminPage(returnTo: string): Promise<Member> {
  const v = await verdict();
  if (v.ok) return v.admin;
  if (v.reason === "signed_out") redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  if (v.reason === "second_factor") redirect(SECOND_FACTOR_PAGE);
  notFound();
}

/**
 * For console APIs: the admin, or a JSON 401/403. Only the session cookie counts: a personal API token (made for
 * sending smoke signals from scripts) never opens the console, whoever it belongs to.
 */
export async function requireAdminApi(request: Request): Promise<Member> {
  if (request.headers.get("authorization")) {
    throw new ApiError(403, "session_required", "Console APIs take the signed-in session of an administrator, not an API token.");
  }
  const v = await verdict();
  if (v.ok) return v.admin;
  if (v.reason === "signed_out") throw new ApiError(401, "unauthorized", "Sign in as an administrator to use this endpoint.");
  throw new ApiError(403, v.reason === "second_factor" ? "second_factor_required" : "admin_only", v.message);
}
