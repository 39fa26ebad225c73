// Admin features need two-factor: an admin must have it on, and the session asking must have passed it (a session
// that began on a password alone, before it was turned on, does not count). The one place that decides it; the
// operator console's gate calls adminTwoFactorProblem, and admin views elsewhere call adminViewer.
import "server-only";
import { getDb, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { twoFactorState } from "@/lib/two-factor/factors";
import { sessionSecondFactor } from "./queries";

/** Whether this member must pass two-factor to use what their role allows (admins). */
export const requiresTwoFactor = (member: Pick<Member, "role">) => member.role === "admin";

/** Where an admin turns two-factor on (the profile's section links to the page). */
export const TWO_FACTOR_PAGE = "/profile#two-factor";

/** Words for why this admin may not use admin features in this session yet, or null when they may. */
export function adminTwoFactorProblem(member: Member, sessionId: string | null, db: Db = getDb()): string | null {
  if (!requiresTwoFactor(member)) return null;
  if (!twoFactorState(db, member.id).on) return "Turn on two-factor sign-in on your profile before you use admin features.";
  if (!sessionId || !sessionSecondFactor(db, sessionId)) {
    return "This session began with your password alone. Sign out and sign in again with your authenticator app to use admin features.";
  }
  return null;
}

/** The member as admin features should see them: an admin who has not passed two-factor counts as a member. */
export function adminViewer(member: Member, sessionId: string | null, db: Db = getDb()): Member {
  return member.role === "admin" && adminTwoFactorProblem(member, sessionId, db) ? { ...member, role: "member" } : member;
}
