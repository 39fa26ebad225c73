// The age-gated members area: only members with a verified age get in, decided on the server at every request.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireMemberPage } from "@/lib/auth/session";
import { isVerified } from "@/lib/verification/service";

export const metadata: Metadata = { title: "Members area" };
export const dynamic = "force-dynamic";

export default async function MembersPage() {
  const member = await requireMemberPage("/members");
  if (!isVerified(getDb(), member.id)) redirect("/profile?gate=members#age-verification");
  return (
    <>
      <h1>Members area</h1>
      <section className="card" aria-labelledby="welcome-heading">
        <h2 id="welcome-heading">Welcome in</h2>
        <p>Your age is verified, so the whole of Select Exposure is open to you.</p>
      </section>
    </>
  );
}
