"use server";
// The unsubscribe page's buttons: stop invitations to the address the link was sent to, or take that back.
import { getDb } from "@/db/client";
import { addressForToken, suppressEmail, unsuppressEmail } from "@/lib/email/unsubscribe";

export type UnsubscribeState = { done?: "unsubscribed" | "resubscribed"; error?: string };

export async function unsubscribeAction(token: string, _prev: UnsubscribeState, form: FormData): Promise<UnsubscribeState> {
  const db = getDb();
  const address = addressForToken(db, token);
  if (!address) return { error: "This unsubscribe link does not work. Check that you copied the whole link from the email." };
  if (form.get("undo") === "1") {
    unsuppressEmail(db, address);
    return { done: "resubscribed" };
  }
  suppressEmail(db, address, "link");
  return { done: "unsubscribed" };
}
