// The page an invitee opens from a smoke signal: sign up through the invitation, or a plain reason it cannot be used.
import type { Metadata } from "next";
import Link from "next/link";
import { AuthForm } from "@/app/(auth)/AuthForm";
import { getDb } from "@/db/client";
import { currentMember } from "@/lib/auth/session";
import { findInvitation } from "@/lib/smoke-signals/join";
import { joinAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

// The tab title says what the page says: a broken or used link is not "You are invited".
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const invitation = findInvitation(getDb(), (await params).token);
  if (!invitation) return { title: "Invitation link does not work" };
  if (invitation.joinedAt) return { title: "Invitation already used" };
  return { title: "You are invited" };
}

export default async function JoinPage({ params }: Props) {
  const { token } = await params;
  const invitation = findInvitation(getDb(), token);
  if (!invitation) {
    return (
      <div className="card narrow">
        <h1>This invitation link does not work</h1>
        <p>Check that you copied the whole link from the message. You can still <Link href="/signup">create an account</Link>.</p>
      </div>
    );
  }
  if (invitation.joinedAt) {
    return (
      <div className="card narrow">
        <h1>This invitation has been used</h1>
        <p>
          Someone has already joined with this link. <Link href="/signin">Sign in</Link> or <Link href="/signup">create an account</Link>.
        </p>
      </div>
    );
  }
  if (await currentMember()) {
    return (
      <div className="card narrow">
        <h1>You are already a member</h1>
        <p>
          This invitation is for someone new. Go to <Link href="/profile">your profile</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="card narrow">
      <h1>{invitation.senderLabel} invites you to Select Exposure</h1>
      <p className="muted">Create your account to accept. Members must be 18 or over; you will be asked to verify your age with Yoti.</p>
      <AuthForm mode="signup" action={joinAction.bind(null, token)} />
    </div>
  );
}
