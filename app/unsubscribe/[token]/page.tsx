// The page behind the unsubscribe link at the foot of invitation, alert and announcement emails: what it stops, for whom (masked),
// and one button.
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { isStopped, unsubscribeLink } from "@/lib/alerts/unsubscribe";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { unsubscribeAction } from "./actions";
import { UnsubscribeForm, type UnsubscribeWords } from "./UnsubscribeForm";

export const metadata: Metadata = { title: "Unsubscribe" };
export const dynamic = "force-dynamic";

export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  const link = unsubscribeLink(db, token);
  const heading = link?.kind === "alert" ? "Stop these alert emails" : link?.kind === "announcements" ? "Stop announcement emails" : "Unsubscribe from invitations";
  const words: UnsubscribeWords =
    link?.kind === "announcements"
      ? {
          question: "Stop emails about Select Exposure announcements (contests and wins) to",
          done: "will get no more announcement emails.",
          undo: "I changed my mind: email me announcements again",
          undone: "will get announcement emails again.",
        }
      : link?.kind === "alert"
      ? {
          question: `Stop emails about “${link.label}” to`,
          done: `will get no more emails about “${link.label}”.`,
          undo: "I changed my mind: email me these again",
          undone: `will get emails about “${link.label}” again.`,
        }
      : {
          question: "Members of Select Exposure invite people by email. Stop every invitation to",
          done: "will get no more invitations from Select Exposure members.",
          undo: "I changed my mind: send me invitations again",
          undone: "can receive invitations again.",
        };
  return (
    <div className="card narrow">
      <h1>{heading}</h1>
      {link ? (
        <UnsubscribeForm
          masked={maskRecipient(link.address)}
          words={words}
          action={unsubscribeAction.bind(null, token)}
          initiallySuppressed={isStopped(db, link)}
        />
      ) : (
        <p>This unsubscribe link does not work. Check that you copied the whole link from the email.</p>
      )}
    </div>
  );
}
