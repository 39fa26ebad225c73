"use server";
// The unsubscribe page's buttons: stop what the link stops (invitations to the address, or one alert's email), or
// take that back.
import { getDb } from "@/db/client";
import { restart, stop, unsubscribeLink } from "@/lib/alerts/unsubscribe";

export type UnsubscribeState = { done?: "unsubscribed" | "resubscribed"; error?: string };

export async function unsubscribeAction(token: string, _prev: UnsubscribeState, form: FormData): Promise<UnsubscribeState> {
  const db = getDb();
  const link = unsubscribeLink(db, token);
  if (!link) return { error: "This unsubscribe link does not work. Check that you copied the whole link from the email." };
  if (form.get("undo") === "1") {
    restart(db, link);
    return { done: "resubscribed" };
  }
  if (!stop(db, link, "link")) return { error: "This security alert must reach you somehow: choose another way first on your Alerts and preferences page." };
  return { done: "unsubscribed" };
}
