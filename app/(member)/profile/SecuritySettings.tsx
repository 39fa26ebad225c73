"use client";
// Sign-in and security on the profile: change the password (other sessions end) and sign out of every other device.
import { useActionState } from "react";
import { FormField } from "../FormField";
import { FormOutcome } from "../FormOutcome";
import { changePasswordAction, signOutOthersAction, type SecurityState } from "./security-actions";

export function SecuritySettings() {
  const [state, action, pending] = useActionState(changePasswordAction, {} as SecurityState);
  const [others, signOutOthers, signingOut] = useActionState(signOutOthersAction, {} as SecurityState);
  return (
    <section id="security" className="card" aria-labelledby="security-heading">
      <h2 id="security-heading">Sign-in and security</h2>
      <form action={action} noValidate>
        <h3>Change your password</h3>
        <FormOutcome error={state.error} ok={state.ok} />
        <FormField type="password" name="currentPassword" label="Current password" autoComplete="current-password" error={state.fields?.currentPassword} />
        <FormField
          type="password"
          name="newPassword"
          label="New password"
          autoComplete="new-password"
          error={state.fields?.newPassword}
          hint="At least 10 characters. Every other browser signed in to your account is signed out."
        />
        <button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
      </form>
      <form action={signOutOthers}>
        <h3>Other devices</h3>
        <p className="muted">Signed in on a computer you no longer use, or think someone else is? End every session but this one.</p>
        <FormOutcome ok={others.ok} />
        <button type="submit" className="secondary" disabled={signingOut}>
          {signingOut ? "Signing out…" : "Sign out of all other devices"}
        </button>
      </form>
    </section>
  );
}
