"use client";
// The mobile number forms: send a code to a number (confirming a change), enter the code, send a new one, give up on
// a number, remove the number. Every refusal is shown in words beside the field it concerns.
import { useActionState } from "react";
import { FormOutcome } from "../../FormOutcome";
import { abandonAction, confirmCodeAction, removeAction, sendCodeAction, type PhoneState } from "./actions";

type Pending = { phone: string; expiresAt: string; resendInSeconds: number; problem: string | null };

/** A labelled input; `id` (default: its name) keeps two forms' fields of the same name apart on the page. */
function Field({ name, id = name, label, error, hint, ...input }: { name: string; id?: string; label: string; error?: string; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error">
          {error}
        </span>
      )}
    </div>
  );
}

function Confirm({ state, twoFactor, what }: { state: PhoneState; twoFactor: boolean; what: string }) {
  return (
    <>
      <Field name="password" id={`${what}-password`} label="Your password" type="password" autoComplete="current-password" error={state.fields?.password ?? state.fields?.confirm} hint={`To ${what} your verified number, confirm it is you.`} />
      {twoFactor && <Field name="confirmCode" id={`${what}-code`} label="Or a code from your authenticator app" inputMode="numeric" autoComplete="one-time-code" />}
    </>
  );
}

export function PhoneForms({ verified, suggested, pending, twoFactor }: { verified: string | null; suggested: string | null; pending: Pending | null; twoFactor: boolean }) {
  const [sent, send, sending] = useActionState(sendCodeAction, {} as PhoneState);
  const [checked, check, checking] = useActionState(confirmCodeAction, {} as PhoneState);
  const [resent, resend, resending] = useActionState(sendCodeAction, {} as PhoneState);
  const [removed, remove, removing] = useActionState(removeAction, {} as PhoneState);
  return (
    <>
      {checked.ok && (
        <div className="alert ok" role="status">
          {checked.ok}
        </div>
      )}
      {pending && (
        <section className="card" aria-labelledby="enter-code">
          <h2 id="enter-code">Enter the code</h2>
          <p>
            We texted a code to <strong>{pending.phone}</strong>. It works until {pending.expiresAt}; only the newest code works.
          </p>
          {pending.problem && (
            <p className="alert error" role="alert">
              The text could not be delivered: {pending.problem}
            </p>
          )}
          <form action={check} noValidate>
            <FormOutcome error={checked.error && !checked.fields?.code ? checked.error : undefined} />
            <Field name="code" label="Code from the text message" inputMode="numeric" autoComplete="one-time-code" error={checked.fields?.code} />
            <button type="submit" disabled={checking}>
              {checking ? "Checking…" : "Verify number"}
            </button>
          </form>
          <form action={resend}>
            <FormOutcome error={resent.error} ok={resent.ok} />
            <p className="muted small">{pending.resendInSeconds > 0 ? `No text? You can ask for a new code in ${pending.resendInSeconds} seconds.` : "No text after a minute? Ask for a new code."}</p>
            <div className="actions">
              <button type="submit" className="secondary" disabled={resending}>
                Send a new code
              </button>
              <button type="submit" className="secondary" formAction={abandonAction}>
                Use a different number
              </button>
            </div>
          </form>
        </section>
      )}
      {!pending && (
        <section className="card" aria-labelledby="add-number">
          <h2 id="add-number">{verified ? "Change your number" : "Add a mobile number"}</h2>
          <form action={send} noValidate>
            <FormOutcome error={sent.error && !sent.fields ? sent.error : undefined} ok={sent.ok} />
            <Field
              name="phone"
              label="Mobile number"
              type="tel"
              autoComplete="tel"
              defaultValue={suggested ?? undefined}
              error={sent.fields?.phone}
              hint="Include the country code for numbers outside the United Kingdom, like +353 85 123 4567. We text it a code."
            />
            {verified && <Confirm state={sent} twoFactor={twoFactor} what="change" />}
            <button type="submit" disabled={sending}>
              {sending ? "Sending…" : "Send code"}
            </button>
          </form>
        </section>
      )}
      {/* Once the number is gone its section is too: the confirmation stays on the page. */}
      {removed.ok && !(verified || suggested) && <FormOutcome ok={removed.ok} />}
      {(verified || suggested) && (
        <section className="card" aria-labelledby="remove-number">
          <h2 id="remove-number">Remove your number</h2>
          <p className="muted">We will stop texting you alerts and sign-in codes, and you will not be able to reset your password by SMS.</p>
          <form action={remove} noValidate>
            <FormOutcome error={removed.error && !removed.fields ? removed.error : undefined} ok={removed.ok} />
            {verified && <Confirm state={removed} twoFactor={twoFactor} what="remove" />}
            <button type="submit" className="secondary" disabled={removing}>
              {removing ? "Removing…" : "Remove number"}
            </button>
          </form>
        </section>
      )}
    </>
  );
}
