"use client";
// A sign-in's second step: the authenticator code first, an SMS code (when the member turned them on, with why they
// are the weaker choice), or a recovery code; "remember this browser" with each.
import Link from "next/link";
import { useActionState } from "react";
import { SMS_WHY } from "@/lib/two-factor/words";
import { secondStepAction, sendSmsAction, type StepState } from "./actions";

function Outcome({ state }: { state: StepState }) {
  if (state.error)
    return (
      <div className="alert error" role="alert">
        {state.error} {state.expired && <Link href="/signin">Sign in again</Link>}
      </div>
    );
  return state.ok ? (
    <div className="alert ok" role="status">
      {state.ok}
    </div>
  ) : null;
}

function CodeForm({ method, label, hint, next, rememberDays, submit }: { method: string; label: string; hint?: string; next: string; rememberDays: number; submit: string }) {
  const [state, action, pending] = useActionState(secondStepAction, {} as StepState);
  const id = `code-${method}`;
  return (
    <form action={action} noValidate>
      <Outcome state={state} />
      <input type="hidden" name="method" value={method} />
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} name="code" inputMode={method === "recovery" ? "text" : "numeric"} autoComplete="one-time-code" aria-describedby={hint ? `${id}-hint` : undefined} />
        {hint && (
          <span id={`${id}-hint`} className="hint">
            {hint}
          </span>
        )}
      </div>
      {rememberDays > 0 && (
        <div className="field checkbox">
          <label>
            <input type="checkbox" name="remember" /> Remember this browser for {rememberDays} days
          </label>
        </div>
      )}
      <button type="submit" disabled={pending}>
        {pending ? "Checking…" : submit}
      </button>
    </form>
  );
}

export function SecondStepForms({ next, sms, rememberDays }: { next: string; sms: string | null; rememberDays: number }) {
  const [sent, send, sending] = useActionState(sendSmsAction, {} as StepState);
  return (
    <>
      <section aria-labelledby="app-heading">
        <h2 id="app-heading">Authenticator app</h2>
        <CodeForm method="totp" label="Code from your authenticator app" hint="The 6-digit code your app shows for Select Exposure." next={next} rememberDays={rememberDays} submit="Sign in" />
      </section>
      {sms && (
        <section aria-labelledby="sms-heading">
          <h2 id="sms-heading">Or a code by SMS</h2>
          <p className="muted small">{SMS_WHY}</p>
          <form action={send}>
            <Outcome state={sent} />
            <button type="submit" className="secondary" disabled={sending}>
              Text a code to {sms}
            </button>
          </form>
          {sent.ok && <CodeForm method="sms" label="Code from the text message" next={next} rememberDays={rememberDays} submit="Sign in with the SMS code" />}
        </section>
      )}
      <details>
        <summary>Lost your phone? Use a recovery code</summary>
        <CodeForm method="recovery" label="Recovery code" hint="One of the codes you saved when you turned two-factor on, like ABCDE-23456. Each works once." next={next} rememberDays={0} submit="Sign in with a recovery code" />
      </details>
    </>
  );
}
