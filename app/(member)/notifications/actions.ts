"use server";
// The notifications page's buttons: mark one notification read, or all of them.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { requireMemberPage } from "@/lib/auth/session";
import { markAllRead, markRead } from "@/lib/notifications/notifications";

export async function markReadAction(form: FormData): Promise<void> {
  const member = await requireMemberPage("/notifications");
  markRead(getDb(), member.id, String(form.get("id") ?? ""));
  // The bell in the header counts too.
  revalidatePath("/", "layout");
}

export async function markAllReadAction(): Promise<void> {
  const member = await requireMemberPage("/notifications");
  markAllRead(getDb(), member.id);
  revalidatePath("/", "layout");
}
