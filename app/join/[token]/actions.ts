"use server";
// Sign-up through an invitation link: as on the sign-up page, a link by email; the invitation is marked joined (and
// its sender told) when the account is created from that link.
import { startSignUpFrom, type FormState } from "@/app/(auth)/actions";

export async function joinAction(token: string, _prev: FormState, form: FormData): Promise<FormState> {
  return startSignUpFrom(form, token);
}
