"use client";
// The profile's "Your data": download everything we hold about you (JSON), or delete the account.
import { useActionState } from "react";
import { FormOutcome } from "../FormOutcome";
import { deleteAccountAction, type DeleteState } from "./privacy-actions";

export function YourData({ retentionDays }: { retentionDays: number }) {
  const [state, action, pending] = useActionState(deleteAccountAction, {} as DeleteState);
  return (
    <section className="card" aria-labelledby="data-heading" id="your-data">
      <h2 id="data-heading">Your data</h2>
      <p>
        <a href="/api/accounts/export" download>
          Download my data
        </a>{" "}
        <span className="muted">(one JSON file: account, profile, age verification sessions and results, smoke signals, notifications, API tokens, consents).</span>
      </p>
      <p className="muted small">
        Message texts and Yoti&apos;s raw results are removed after {retentionDays} days; whether you are verified, how and when stays while you have an account.
      </p>
      <form action={action} noValidate aria-label="Delete my account">
        <h3>Delete my account</h3>
        <p>
          Your account, profile, age verification and invitations are deleted, messages still waiting are cancelled, and you are signed out everywhere. Invitations
          you sent are kept only as anonymous counts. This cannot be undone.
        </p>
        <FormOutcome error={state.error} />
        <div className="field">
          <label htmlFor="delete-password">Your password</label>
          <input
            id="delete-password"
            name="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={state.fields?.password ? true : undefined}
            aria-describedby={state.fields?.password ? "delete-password-error" : undefined}
          />
          {state.fields?.password && (
            <span id="delete-password-error" className="error">
              {state.fields.password}
            </span>
          )}
        </div>
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="understand" aria-invalid={state.fields?.understand ? true : undefined} /> I understand that my account cannot be restored
          </label>
        </div>
        <button type="submit" className="danger" disabled={pending}>
          {pending ? "Deleting…" : "Delete my account"}
        </button>
      </form>
    </section>
  );
}
