"use client";
// Sign-in and security on the profile: change the password (other sessions end) and sign out of every other device.
import { useActionState } from "react";
import { changePasswordAction, signOutOthersAction, type SecurityState } from "./security-actions";

export function SecuritySettings() {
  const [state, action, pending] = useActionState(changePasswordAction, {} as SecurityState);
  const [others, signOutOthers, signingOut] = useActionState(signOutOthersAction, {} as SecurityState);
  const fieldError = (name: string) => state.fields?.[name];
  const describedBy = (name: string, hint?: string) => [fieldError(name) ? `${name}-error` : null, hint].filter(Boolean).join(" ") || undefined;
  return (
    <section className="card" aria-labelledby="security-heading">
      <h2 id="security-heading">Sign-in and security</h2>
      <form action={action} noValidate>
        <h3>Change your password</h3>
        {state.error && (
          <div className="alert error" role="alert">
            {state.error}
          </div>
        )}
        {state.ok && (
          <div className="alert ok" role="status">
            {state.ok}
          </div>
        )}
        <div className="field">
          <label htmlFor="currentPassword">Current password</label>
          <input
            id="currentPassword"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            aria-invalid={fieldError("currentPassword") ? true : undefined}
            aria-describedby={describedBy("currentPassword")}
          />
          {fieldError("currentPassword") && (
            <span id="currentPassword-error" className="error">
              {fieldError("currentPassword")}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="newPassword">New password</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            aria-invalid={fieldError("newPassword") ? true : undefined}
            aria-describedby={describedBy("newPassword", "newPassword-hint")}
          />
          <span id="newPassword-hint" className="hint">
            At least 10 characters. Every other browser signed in to your account is signed out.
          </span>
          {fieldError("newPassword") && (
            <span id="newPassword-error" className="error">
              {fieldError("newPassword")}
            </span>
          )}
        </div>
        <button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
      </form>
      <form action={signOutOthers}>
        <h3>Other devices</h3>
        <p className="muted">Signed in on a computer you no longer use, or think someone else is? End every session but this one.</p>
        {others.ok && (
          <div className="alert ok" role="status">
            {others.ok}
          </div>
        )}
        <button type="submit" className="secondary" disabled={signingOut}>
          {signingOut ? "Signing out…" : "Sign out of all other devices"}
        </button>
      </form>
    </section>
  );
}
