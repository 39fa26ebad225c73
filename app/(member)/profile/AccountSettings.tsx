"use client";
// The profile's account section: the screen name (editable), the address with whether it is confirmed (and a link to
// confirm it), and changing the address (the current password, then a link to the new address).
import { useActionState } from "react";
import { FormField } from "../FormField";
import { FormOutcome } from "../FormOutcome";
import { changeEmailAction, screenNameAction, verifyEmailAction, type AccountState } from "./account-actions";

type Props = { email: string; verified: boolean; screenName: string | null; linkHours: number };

export function AccountSettings({ email, verified, screenName, linkHours }: Props) {
  const [named, nameAction, naming] = useActionState(screenNameAction, {} as AccountState);
  const [sent, sendAction, sending] = useActionState(verifyEmailAction, {} as AccountState);
  const [changed, changeAction, changing] = useActionState(changeEmailAction, {} as AccountState);
  return (
    <>
      <div className="actions">
        <span>
          <strong>Email:</strong> {email}
        </span>
        {verified ? <span className="badge ok">Confirmed</span> : <span className="badge warn">Not confirmed</span>}
      </div>
      {!verified && (
        <form action={sendAction}>
          <p className="muted">We have not checked that this address is yours yet. Confirm it so that you can always reset your password.</p>
          <FormOutcome error={sent.error} ok={sent.ok} />
          <button type="submit" className="secondary" disabled={sending}>
            {sending ? "Sending…" : "Send me a confirmation link"}
          </button>
        </form>
      )}
      <form action={nameAction} noValidate>
        <h3>Screen name</h3>
        <FormOutcome error={named.error} ok={named.ok} />
        <FormField name="screenName" label="Screen name" autoComplete="nickname" defaultValue={named.values?.screenName ?? screenName ?? ""} error={named.fields?.screenName} hint="Shown to people you invite. Up to 40 letters, numbers, spaces, dots, dashes or underscores; leave it empty for none." />
        <button type="submit" className="secondary" disabled={naming}>
          {naming ? "Saving…" : "Save screen name"}
        </button>
      </form>
      <form action={changeAction} noValidate>
        <h3>Change your email address</h3>
        <FormOutcome error={changed.error} ok={changed.ok} />
        <FormField name="newEmail" label="New email address" type="email" autoComplete="email" defaultValue={changed.values?.newEmail} error={changed.fields?.newEmail} hint={`We send a link to the new address; it works for ${linkHours} hours. Your address changes when you open it signed in, and we tell your current address.`} />
        <FormField name="emailPassword" label="Your current password" type="password" autoComplete="current-password" error={changed.fields?.emailPassword} />
        <button type="submit" className="secondary" disabled={changing}>
          {changing ? "Sending…" : "Send the link"}
        </button>
      </form>
    </>
  );
}
