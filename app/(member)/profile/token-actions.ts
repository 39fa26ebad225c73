"use server";
// Server actions for personal API tokens on the profile page: create (shown once, consent attested) and revoke.
import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { createApiToken, newTokenSchema, revokeApiToken } from "@/lib/api-tokens/tokens";
import { requireMemberPage } from "@/lib/auth/session";
import { fieldErrors } from "@/lib/http/fields";

export type TokenState = { token?: string; name?: string; error?: string; fields?: Record<string, string> };

export async function createTokenAction(_prev: TokenState, form: FormData): Promise<TokenState> {
  const member = await requireMemberPage("/profile");
  const parsed = newTokenSchema.safeParse({ name: form.get("name") ?? "", consent: form.get("consent") === "on" });
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error, "form");
    return { error: Object.values(fields)[0], fields };
  }
  const { token, record } = createApiToken(getDb(), member.id, parsed.data);
  revalidatePath("/profile");
  return { token, name: record.name };
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const member = await requireMemberPage("/profile");
  revokeApiToken(getDb(), member.id, String(form.get("id") ?? ""));
  revalidatePath("/profile");
}
