// The page behind the unsubscribe link at the foot of every invitation email: who it is for, masked, and one button.
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { addressForToken, isEmailSuppressed } from "@/lib/email/unsubscribe";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { unsubscribeAction } from "./actions";
import { UnsubscribeForm } from "./UnsubscribeForm";

export const metadata: Metadata = { title: "Unsubscribe from invitations" };
export const dynamic = "force-dynamic";

export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  const address = addressForToken(db, token);
  return (
    <div className="card narrow">
      <h1>Unsubscribe from invitations</h1>
      {address ? (
        <UnsubscribeForm masked={maskRecipient(address)} action={unsubscribeAction.bind(null, token)} initiallySuppressed={isEmailSuppressed(db, address)} />
      ) : (
        <p>This unsubscribe link does not work. Check that you copied the whole link from the email.</p>
      )}
    </div>
  );
}
