"use client";
// The sign-in and sign-up form: labelled fields, errors tied to their inputs, and a summary announced to screen readers.
import Link from "next/link";
import { useActionState } from "react";
import type { FormState } from "./actions";

type Props = {
  mode: "signin" | "signup";
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  next?: string;
};

export function AuthForm({ mode, action, next }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const fieldError = (name: string) => state.fields?.[name];
  const describedBy = (name: string, hint?: boolean) =>
    [fieldError(name) ? `${name}-error` : null, hint ? `${name}-hint` : null].filter(Boolean).join(" ") || undefined;
  const signup = mode === "signup";
  if (state.checkEmail) {
    return (
      <div role="status" className="check-email">
        <h2>Check your email</h2>
        <p>{state.checkEmail}</p>
      </div>
    );
  }
  return (
    <form action={formAction} noValidate>
      {state.error && (
        <div className="alert error" role="alert">
          {state.error}
        </div>
      )}
      {next && <input type="hidden" name="next" value={next} />}
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.values?.email}
          aria-invalid={fieldError("email") ? true : undefined}
          aria-describedby={describedBy("email")}
        />
        {fieldError("email") && (
          <span id="email-error" className="error">
            {fieldError("email")}
          </span>
        )}
      </div>
      {signup && (
        <div className="field">
          <label htmlFor="screenName">Screen name (optional)</label>
          <input
            id="screenName"
            name="screenName"
            autoComplete="nickname"
            maxLength={40}
            defaultValue={state.values?.screenName}
            aria-invalid={fieldError("screenName") ? true : undefined}
            aria-describedby={describedBy("screenName")}
          />
          {fieldError("screenName") && (
            <span id="screenName-error" className="error">
              {fieldError("screenName")}
            </span>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={signup ? "new-password" : "current-password"}
          required
          aria-invalid={fieldError("password") ? true : undefined}
          aria-describedby={describedBy("password", signup)}
        />
        {signup && (
          <span id="password-hint" className="hint">
            At least 10 characters. A few unrelated words make a strong, memorable password.
          </span>
        )}
        {fieldError("password") && (
          <span id="password-error" className="error">
            {fieldError("password")}
          </span>
        )}
        {!signup && <Link href="/forgot-password">Forgot your password?</Link>}
      </div>
      <div className="actions">
        <button type="submit" disabled={pending}>
          {signup ? (pending ? "Creating account…" : "Create account") : pending ? "Signing in…" : "Sign in"}
        </button>
        {signup ? (
          <span className="muted">
            Already a member? <Link href="/signin">Sign in</Link>
          </span>
        ) : (
          <span className="muted">
            New here? <Link href="/signup">Create an account</Link>
          </span>
        )}
      </div>
    </form>
  );
}
