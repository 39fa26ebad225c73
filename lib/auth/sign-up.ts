// Creating an account from a form (sign-up and invitation pages): validated, within the per-address sign-up limit,
// hashed within the hashing cap, then signed in. Refusals come back as words for the form.
import "server-only";
import { getDb } from "@/db/client";
import { AccountError, createMember, validateNewMember } from "@/lib/accounts/members";
import { PasswordHashBusy } from "@/lib/accounts/password";
import { getEnv } from "@/lib/env";
import { BUSY, takeSignUpAllowance } from "./guard";
import { passwordSignIn, requestClient } from "./sign-in";

export type AccountForm = { email: string; password: string; screenName: string };
export type AccountFormProblem = { error: string; fields?: Record<string, string> };

/** Not created (with the reason), or created (with a sign-in problem when signing in afterwards failed). */
export type CreatedAccount = { created: false; problem: AccountFormProblem } | { created: true; memberId: string; signInProblem?: AccountFormProblem };

/** The sign-up form's fields (sign-up and invitation pages use the same form). */
export function accountFormFrom(form: FormData): AccountForm {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return { email: text("email"), password: text("password"), screenName: text("screenName") };
}

export async function createAccount(input: AccountForm): Promise<CreatedAccount> {
  const db = getDb();
  let memberId: string;
  try {
    validateNewMember(input);
    // Counted once the form is valid and before the costly hash, so a typo does not use up a household's allowance.
    const refusal = takeSignUpAllowance(db, getEnv(), input.email, await requestClient());
    if (refusal) return { created: false, problem: { error: refusal.message } };
    memberId = (await createMember(db, input)).id;
  } catch (error) {
    if (error instanceof AccountError) return { created: false, problem: { error: error.message, fields: error.fields } };
    if (error instanceof PasswordHashBusy) return { created: false, problem: { error: BUSY.message } };
    throw error;
  }
  const signedIn = await passwordSignIn(input.email, input.password);
  if (signedIn.ok) return { created: true, memberId };
  return { created: true, memberId, signInProblem: { error: `Your account was created, but signing you in failed: ${signedIn.message} Please sign in.` } };
}
