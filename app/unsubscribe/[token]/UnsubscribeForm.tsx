"use client";
// Asks before unsubscribing (mail scanners open links; only a person presses the button), then offers to undo it.
import { useActionState } from "react";
import type { UnsubscribeState } from "./actions";

type Props = { masked: string; action: (prev: UnsubscribeState, form: FormData) => Promise<UnsubscribeState>; initiallySuppressed: boolean };

export function UnsubscribeForm({ masked, action, initiallySuppressed }: Props) {
  const [state, formAction, pending] = useActionState(action, initiallySuppressed ? { done: "unsubscribed" } : {});
  if (state.error) {
    return (
      <div className="alert error" role="alert">
        {state.error}
      </div>
    );
  }
  if (state.done === "unsubscribed") {
    return (
      <form action={formAction}>
        <p className="alert ok" role="status">
          Done: {masked} will get no more invitations from Select Exposure members.
        </p>
        <input type="hidden" name="undo" value="1" />
        <button type="submit" className="secondary" disabled={pending}>
          I changed my mind: send me invitations again
        </button>
      </form>
    );
  }
  return (
    <form action={formAction}>
      {state.done === "resubscribed" && (
        <p className="alert ok" role="status">
          {masked} can receive invitations again.
        </p>
      )}
      <p>Members of Select Exposure invite people by email. Stop every invitation to {masked}?</p>
      <button type="submit" disabled={pending}>
        {pending ? "Unsubscribing…" : "Unsubscribe"}
      </button>
    </form>
  );
}
