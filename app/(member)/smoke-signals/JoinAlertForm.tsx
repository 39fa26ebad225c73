"use client";
// "Tell me when someone joins": in the app always, and optionally by email or SMS.
import { useActionState, useState } from "react";
import { FormOutcome } from "../FormOutcome";
import { saveJoinAlertAction, type AlertState } from "./actions";

export function JoinAlertForm({ joinAlert, alertPhone, smsAllowed }: { joinAlert: string; alertPhone: string; /** Age-verified: platform SMS is offered. */ smsAllowed: boolean }) {
  const [state, action, pending] = useActionState(saveJoinAlertAction, {} as AlertState);
  const [choice, setChoice] = useState(joinAlert);
  return (
    <section className="card" aria-labelledby="alert-heading">
      <h2 id="alert-heading">When someone joins</h2>
      <form action={action}>
        <FormOutcome error={state.error} ok={state.ok} />
        <div className="field">
          <label htmlFor="joinAlert">Besides a notification here, also tell me by</label>
          <select id="joinAlert" name="joinAlert" value={choice} onChange={(e) => setChoice(e.target.value)} aria-describedby={smsAllowed ? undefined : "joinAlert-hint"}>
            <option value="none">Nothing else</option>
            <option value="email">Email</option>
            {(smsAllowed || joinAlert === "sms") && <option value="sms">SMS</option>}
          </select>
          {!smsAllowed && (
            <span id="joinAlert-hint" className="hint">SMS alerts come from Select Exposure, so they are for members who have verified their age.</span>
          )}
        </div>
        {choice === "sms" && (
          <div className="field">
            <label htmlFor="alertPhone">My mobile number</label>
            <input id="alertPhone" name="alertPhone" type="tel" autoComplete="tel" defaultValue={alertPhone} />
          </div>
        )}
        <button type="submit" className="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </form>
    </section>
  );
}
