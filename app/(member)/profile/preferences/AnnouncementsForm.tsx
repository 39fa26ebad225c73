"use client";
// Announcements (contests and wins): in the app, by email, and by SMS only with this separate consent, recorded with
// its time; the page says since when each consent stands.
import { useActionState } from "react";
import { FormOutcome } from "../../FormOutcome";
import { saveAnnouncementPreferencesAction, type AnnouncementPreferencesState } from "./actions";

type Props = {
  choices: { inApp: boolean; email: boolean; sms: boolean };
  /** Words under each choice: since when the consent stands, or why SMS is not offered. */
  notes: { email: string | null; sms: string | null };
  smsWhyNot: string | null;
};

export function AnnouncementsForm({ choices, notes, smsWhyNot }: Props) {
  const [state, action, pending] = useActionState(saveAnnouncementPreferencesAction, {} as AnnouncementPreferencesState);
  const box = (name: "inApp" | "email" | "sms", label: string, note: string | null) => (
    <div className="field">
      <label className="choice">
        <input type="checkbox" name={`announcements:${name}`} defaultChecked={choices[name]} aria-describedby={note ? `announcements-${name}-note` : undefined} aria-invalid={state.fields?.[name] ? true : undefined} /> {label}
      </label>
      {note && (
        <span id={`announcements-${name}-note`} className="hint">
          {note}
        </span>
      )}
      {state.fields?.[name] && <span className="error">{state.fields[name]}</span>}
    </div>
  );
  return (
    <form action={action} noValidate aria-label="Announcements" key={state.at ?? 0}>
      <FormOutcome error={state.error} ok={state.ok} />
      {box("inApp", "Show announcements in the app", null)}
      {box("email", "Email me announcements (contests and wins)", notes.email)}
      {smsWhyNot ? (
        // Not a second role="note": the alerts' form above says the same about its own SMS column.
        <p className="hint">{smsWhyNot}</p>
      ) : (
        box("sms", "Text me announcements (contests and wins)", notes.sms)
      )}
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save announcement choices"}
      </button>
    </form>
  );
}
