"use client";
// The two steps of a reset by SMS: the address (a code is texted if its account has a verified number), then the code
// with the new password; a new code can be asked for from the second step.
import Link from "next/link";
import { useActionState } from "react";
import { FormField } from "../../../(member)/FormField";
import { requestResetCodeAction, resetWithCodeAction } from "../../account-actions";

export function ResetByCode({ codeLength }: { codeLength: number }) {
  const [asked, ask, asking] = useActionState(requestResetCodeAction, {});
  const [reset, setPassword, saving] = useActionState(resetWithCodeAction, {});
  const email = asked.values?.email ?? "";
  const back = (
    <p>
      <Link href="/forgot-password">Email me a link instead</Link> · <Link href="/signin">Back to sign in</Link>
    </p>
  );
  if (!asked.ok) {
    return (
      <>
        <form action={ask} noValidate>
          {asked.error && (
            <div className="alert error" role="alert">
              {asked.error}
            </div>
          )}
          <FormField name="email" label="Email" type="email" autoComplete="email" defaultValue={email} error={asked.fields?.email} />
          <button type="submit" disabled={asking}>
            {asking ? "Sending…" : "Text me a code"}
          </button>
        </form>
        {back}
      </>
    );
  }
  return (
    <>
      <p className="alert ok" role="status">
        {asked.ok}
      </p>
      <form action={setPassword} noValidate>
        {(reset.error || asked.error) && (
          <div className="alert error" role="alert">
            {reset.error ?? asked.error}
          </div>
        )}
        <input type="hidden" name="email" value={email} />
        <FormField name="code" label="Code from the text message" autoComplete="one-time-code" error={reset.fields?.code} hint={`${codeLength} digits.`} />
        <FormField
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          error={reset.fields?.password}
          hint="At least 10 characters. Every device signed in to your account will be signed out; you then sign in with the new password."
        />
        <button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Set my new password"}
        </button>
      </form>
      <form action={ask}>
        <input type="hidden" name="email" value={email} />
        <button type="submit" className="secondary" disabled={asking}>
          {asking ? "Sending…" : "Text me a new code"}
        </button>
      </form>
      {back}
    </>
  );
}
