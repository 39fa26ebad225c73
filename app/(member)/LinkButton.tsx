"use client";
// One button that uses an emailed link (pages never use a link on opening: mail scanners open links), and its answer.
import type { ReactNode } from "react";
import { useActionState } from "react";
import { FormOutcome } from "./FormOutcome";
import type { LinkState } from "./email-actions";

export function LinkButton({ action, label, pending: pendingLabel, after }: { action: () => Promise<LinkState>; label: string; pending: string; after?: ReactNode }) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.ok) {
    return (
      <>
        <FormOutcome ok={state.ok} />
        {after}
      </>
    );
  }
  return (
    <form action={formAction}>
      <FormOutcome error={state.error} />
      {!state.error && (
        <button type="submit" disabled={pending}>
          {pending ? pendingLabel : label}
        </button>
      )}
      {state.error && after}
    </form>
  );
}
