"use client";
// "Tell me when someone joins": the "invitee_joined" alert's channels (in the app, email, SMS to a verified number).
import Link from "next/link";
import { useActionState } from "react";
import type { ChannelChoice } from "@/lib/alerts/catalogue";
import { FormOutcome } from "../FormOutcome";
import { saveJoinAlertAction, type AlertState } from "./actions";

export function JoinAlertForm({ choice, smsWhyNot }: { choice: ChannelChoice; /** Why SMS alerts are not offered, or null. */ smsWhyNot: string | null }) {
  const [state, action, pending] = useActionState(saveJoinAlertAction, {} as AlertState);
  return (
    <section className="card" aria-labelledby="alert-heading">
      <h2 id="alert-heading">When someone joins</h2>
      <form action={action}>
        <FormOutcome error={state.error} ok={state.ok} />
        <fieldset aria-describedby={smsWhyNot ? "joinAlert-hint" : undefined}>
          <legend>Tell me when someone joins through my invitation</legend>
          <label className="choice">
            <input type="checkbox" name="inApp" defaultChecked={choice.inApp} /> In the app
          </label>
          <label className="choice">
            <input type="checkbox" name="email" defaultChecked={choice.email} /> By email
          </label>
          {!smsWhyNot && (
            <label className="choice">
              <input type="checkbox" name="sms" defaultChecked={choice.sms} /> By SMS
            </label>
          )}
          {smsWhyNot && (
            <span id="joinAlert-hint" className="hint">
              {smsWhyNot}
            </span>
          )}
        </fieldset>
        <p className="muted">
          Every alert, security alerts too: <Link href="/profile/preferences">Alerts and preferences</Link>.
        </p>
        <button type="submit" className="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </form>
    </section>
  );
}
