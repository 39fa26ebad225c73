"use client";
// The compose form: title, text, audience and channels, with the SMS counted as it will be sent (the same code as the
// server's: lib/announcements/text.ts) while the admin types. The server checks everything again.
import { useActionState, useState } from "react";
import { AUDIENCE_LABELS, CHANNEL_LABELS, MAX_BODY, MAX_TITLE, smsShape } from "@/lib/announcements/text";
import { MAX_SMS_BODY } from "@/lib/twilio/sms";
import type { FormState } from "../ConsoleForm";
import { createAnnouncementAction } from "./actions";

export function AnnouncementForm({ createKey }: { createKey: string }) {
  const [state, action, pending] = useActionState(createAnnouncementAction, {} as FormState);
  const v = state.values ?? {};
  const [title, setTitle] = useState(v.title ?? "");
  const [body, setBody] = useState(v.body ?? "");
  const [sms, setSms] = useState(v.sms === "on");
  const shape = smsShape(title, body);
  const error = (name: string) =>
    state.fields?.[name] ? (
      <span id={`announcement-${name}-error`} className="error">
        {state.fields[name]}
      </span>
    ) : null;
  const describedBy = (name: string, hint?: string) => [hint, state.fields?.[name] ? `announcement-${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <form action={action} aria-label="Write an announcement" noValidate className="console-form" key={state.at ?? 0}>
      {state.error && (
        <div className="alert error" role="alert">
          {state.error}
        </div>
      )}
      <input type="hidden" name="createKey" value={createKey} />
      <div className="field">
        <label htmlFor="announcement-title">Title</label>
        <input id="announcement-title" name="title" defaultValue={title} onChange={(e) => setTitle(e.target.value)} maxLength={MAX_TITLE + 20} aria-invalid={state.fields?.title ? true : undefined} aria-describedby={describedBy("title")} autoComplete="off" />
        {error("title")}
      </div>
      <div className="field">
        <label htmlFor="announcement-body">Announcement</label>
        <textarea id="announcement-body" name="body" rows={6} defaultValue={body} onChange={(e) => setBody(e.target.value)} aria-invalid={state.fields?.body ? true : undefined} aria-describedby={describedBy("body", "announcement-body-hint")} />
        <span id="announcement-body-hint" className="hint">
          Up to {MAX_BODY.toLocaleString("en-GB")} characters.{" "}
          {sms && (
            <span aria-live="polite">
              As a text message: {shape.length.toLocaleString("en-GB")} of {MAX_SMS_BODY.toLocaleString("en-GB")} characters with the opt-out line, {shape.segments} {shape.segments === 1 ? "segment" : "segments"} ({shape.encoding}).
              {shape.encoding === "UCS-2" && " A character outside the GSM alphabet (an emoji, curly quotes) makes every segment hold 67 characters instead of 153."}
            </span>
          )}
        </span>
        {error("body")}
      </div>
      <fieldset className="field" aria-describedby={state.fields?.audience ? "announcement-audience-error" : undefined}>
        <legend>Audience</legend>
        {Object.entries(AUDIENCE_LABELS).map(([value, label]) => (
          <label className="choice" key={value}>
            <input type="radio" name="audience" value={value} defaultChecked={(v.audience ?? "opted_in") === value} /> {label}
          </label>
        ))}
        {error("audience")}
      </fieldset>
      <fieldset className="field" aria-describedby={state.fields?.channels ? "announcement-channels-error" : "announcement-channels-hint"}>
        <legend>Send it</legend>
        {(Object.keys(CHANNEL_LABELS) as (keyof typeof CHANNEL_LABELS)[]).map((c) => (
          <label className="choice" key={c}>
            <input type="checkbox" name={c} defaultChecked={state.values ? v[c] === "on" : c === "inApp"} onChange={c === "sms" ? (e) => setSms(e.target.checked) : undefined} /> {CHANNEL_LABELS[c]}
          </label>
        ))}
        <span id="announcement-channels-hint" className="hint">
          Email and SMS go only to members who agreed to announcements on that channel; SMS carries “Reply STOP to opt out.”
        </span>
        {error("channels")}
      </fieldset>
      <button type="submit" disabled={pending}>
        {pending ? "Working…" : "Preview before sending"}
      </button>
    </form>
  );
}
