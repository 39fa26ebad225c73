"use server";
// Deleting one's own account from the profile: the password is checked like any sign-in (same limits), then the
// account goes (lib/privacy/deletion.ts) and this browser is signed out with the others.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { signOut } from "@/lib/auth";
import { checkSignIn } from "@/lib/auth/guard";
import { requireMemberPage } from "@/lib/auth/session";
import { requestClient } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { DeletionRefused, deleteOwnAccount } from "@/lib/privacy/deletion";

export type DeleteState = { error?: string; fields?: Record<string, string> };

export async function deleteAccountAction(_prev: DeleteState, form: FormData): Promise<DeleteState> {
  const member = await requireMemberPage("/profile");
  const password = typeof form.get("password") === "string" ? (form.get("password") as string) : "";
  const fields: Record<string, string> = {};
  if (!password) fields.password = "Enter your password to confirm it is you.";
  if (form.get("understand") !== "on") fields.understand = "Tick the box to confirm that you understand this cannot be undone.";
  if (Object.keys(fields).length) return { error: `${Object.values(fields).join(" ")} Nothing was deleted.`, fields };
  const db = getDb();
  const checked = await checkSignIn(db, getEnv(), { email: member.email, password }, await requestClient());
  if (checked.outcome === "refused") return { error: `${checked.refusal.message} Nothing was deleted.` };
  if (checked.outcome !== "ok") return { error: "That is not your password. Nothing was deleted.", fields: { password: "That is not your password." } };
  try {
    deleteOwnAccount(db, member);
  } catch (error) {
    if (error instanceof DeletionRefused) return { error: `${error.message} Nothing was deleted.` };
    throw error;
  }
  // The session row went with the account; this clears the cookie too.
  await signOut({ redirect: false });
  redirect("/signin?deleted=1");
}
