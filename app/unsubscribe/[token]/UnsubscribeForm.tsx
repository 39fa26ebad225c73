"use client";
// Asks before unsubscribing (mail scanners open links; only a person presses the button), then offers to undo it.
import { useActionState } from "react";
import type { UnsubscribeState } from "./actions";

type Props = {
  masked: string;
  /** The page's words for what the link stops. */
  words: UnsubscribeWords;
  action: (prev: UnsubscribeState, form: FormData) => Promise<UnsubscribeState>; initiallySuppressed: boolean };

export type UnsubscribeWords = { question: string; done: string; undo: string; undone: string };

export function UnsubscribeForm({ masked, words, action, initiallySuppressed }: Props) {
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
          Done: {masked} {words.done}
        </p>
        <input type="hidden" name="undo" value="1" />
        <button type="submit" className="secondary" disabled={pending}>
          {words.undo}
        </button>
      </form>
    );
  }
  return (
    <form action={formAction}>
      {state.done === "resubscribed" && (
        <p className="alert ok" role="status">
          {masked} {words.undone}
        </p>
      )}
      <p>
        {words.question} {masked}?
      </p>
      <button type="submit" disabled={pending}>
        {pending ? "Unsubscribing…" : "Unsubscribe"}
      </button>
    </form>
  );
}
