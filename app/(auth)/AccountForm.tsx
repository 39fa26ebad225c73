"use client";
// A small account form (one or two fields and a button) for the password reset and sign-up confirmation pages: its
// answer in words, errors tied to their fields.
import { useActionState, type ReactNode } from "react";
import type { AccountFormState } from "./account-actions";

type Field = { name: string; label: string; type: "email" | "password"; autoComplete: string; hint?: string };

type Props = {
  action: (prev: AccountFormState, form: FormData) => Promise<AccountFormState>;
  fields: Field[];
  submit: string;
  pending: string;
  /** Shown under the answer, instead of the form, once it has answered ok. */
  after?: ReactNode;
  /** Shown with the error when the link can no longer be used. */
  dead?: ReactNode;
};

export function AccountForm({ action, fields, submit, pending: pendingLabel, after, dead }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.ok) {
    return (
      <>
        <p className="alert ok" role="status">
          {state.ok}
        </p>
        {after}
      </>
    );
  }
  return (
    <form action={formAction} noValidate>
      {state.error && (
        <div className="alert error" role="alert">
          {state.error}
        </div>
      )}
      {state.dead && dead}
      {fields.map((f) => {
        const error = state.fields?.[f.name];
        const describedBy = [error ? `${f.name}-error` : null, f.hint ? `${f.name}-hint` : null].filter(Boolean).join(" ") || undefined;
        return (
          <div className="field" key={f.name}>
            <label htmlFor={f.name}>{f.label}</label>
            <input
              id={f.name}
              name={f.name}
              type={f.type}
              autoComplete={f.autoComplete}
              required
              defaultValue={f.type === "password" ? undefined : state.values?.[f.name]}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
            />
            {f.hint && (
              <span id={`${f.name}-hint`} className="hint">
                {f.hint}
              </span>
            )}
            {error && (
              <span id={`${f.name}-error`} className="error">
                {error}
              </span>
            )}
          </div>
        );
      })}
      <button type="submit" disabled={pending}>
        {pending ? pendingLabel : submit}
      </button>
    </form>
  );
}
