"use client";
// Each alert by channel, as checkboxes in a table: security alerts first (one channel always stays on), then activity.
import { useActionState } from "react";
import { FormOutcome } from "../../FormOutcome";
import { savePreferencesAction, type PreferencesState } from "./actions";

type Channel = "inApp" | "email" | "sms";
export type PreferenceRow = { event: string; group: "security" | "activity"; label: string; description: string; choice: Record<Channel, boolean> };
type Props = { rows: PreferenceRow[]; groups: Record<string, string>; channels: Record<Channel, string>; smsWhyNot: string | null };

export function PreferencesForm({ rows, groups, channels, smsWhyNot }: Props) {
  const [state, action, pending] = useActionState(savePreferencesAction, {} as PreferencesState);
  const shown: Channel[] = smsWhyNot ? ["inApp", "email"] : ["inApp", "email", "sms"];
  return (
    <form action={action} noValidate>
      <FormOutcome error={state.error} ok={state.ok} />
      {smsWhyNot && (
        <p id="sms-why-not" className="alert info" role="note">
          {smsWhyNot}
        </p>
      )}
      {(Object.keys(groups) as PreferenceRow["group"][]).map((group) => (
        <section key={group} aria-labelledby={`group-${group}`}>
          <h2 id={`group-${group}`}>{groups[group]}</h2>
          {group === "security" && <p className="muted">These tell you when something changes in how your account is reached or protected. At least one way stays on for each.</p>}
          <div className="table-scroll" role="group" aria-labelledby={`group-${group}`} tabIndex={0}>
            <table className="preferences">
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  {shown.map((c) => (
                    <th scope="col" key={c}>
                      {channels[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows
                  .filter((r) => r.group === group)
                  .map((r) => {
                    const error = state.fields?.[r.event];
                    const choice = state.sent?.[r.event] ?? r.choice;
                    return (
                      <tr key={r.event}>
                        <th scope="row">
                          <strong>{r.label}</strong>
                          <span id={`${r.event}-description`} className="muted small" style={{ display: "block" }}>
                            {r.description}
                          </span>
                          {error && (
                            <span id={`${r.event}-error`} className="error">
                              {error}
                            </span>
                          )}
                        </th>
                        {shown.map((c) => (
                          <td key={c}>
                            <input
                              // A new key after a refusal re-applies what was sent (defaultChecked only counts once).
                              key={`${c}-${state.sent ? "sent" : "saved"}-${String(choice[c])}`}
                              type="checkbox"
                              name={`${r.event}:${c}`}
                              aria-label={`${r.label}: ${channels[c]}`}
                              aria-invalid={error ? true : undefined}
                              aria-describedby={error ? `${r.event}-error` : `${r.event}-description`}
                              defaultChecked={choice[c]}
                            />
                          </td>
                        ))}
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save preferences"}
      </button>
    </form>
  );
}
