"use client";
// One console form: fields described as data, a server action that answers in words, each refusal shown beside its
// field with what the operator typed kept for correcting, and a confirmation read out politely on success.
import { useActionState } from "react";

export type FormState = { ok?: string; error?: string; fields?: Record<string, string>; values?: Record<string, string>; at?: number };

export type Field =
  | { kind: "text" | "number" | "email" | "date"; name: string; label: string; value?: string; hint?: string; inputMode?: "decimal" | "numeric"; autoComplete?: string }
  | { kind: "select"; name: string; label: string; value?: string; options: { value: string; label: string }[]; hint?: string }
  | { kind: "checkbox"; name: string; label: string; checked?: boolean; hint?: string }
  | { kind: "hidden"; name: string; value: string };

type Props = {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: Field[];
  submit: string;
  /** Names the form for assistive technology ("Disable this member"). */
  label: string;
  danger?: boolean;
};

export function ConsoleForm({ action, fields, submit, label, danger }: Props) {
  const [state, formAction, pending] = useActionState(action, {} as FormState);
  const value = (name: string, fallback?: string) => (state.error && state.values?.[name] !== undefined ? state.values[name] : fallback);
  return (
    // Re-mounted after each answer, so the fields show what the operator typed (after a refusal) or the saved values.
    <form action={formAction} aria-label={label} key={state.at ?? 0} noValidate className="console-form">
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
      {fields.map((f) => {
        if (f.kind === "hidden") return <input key={f.name} type="hidden" name={f.name} value={f.value} />;
        const id = `${label.replace(/\W+/g, "-").toLowerCase()}-${f.name}`;
        const error = state.fields?.[f.name];
        const describedBy = [f.hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
        const hint = f.hint && (
          <span id={`${id}-hint`} className="hint">
            {f.hint}
          </span>
        );
        const problem = error && (
          <span id={`${id}-error`} className="error">
            {error}
          </span>
        );
        if (f.kind === "checkbox") {
          const checked = state.error && state.values ? state.values[f.name] === "on" : f.checked;
          return (
            <div className="field" key={f.name}>
              <label className="choice">
                <input type="checkbox" name={f.name} defaultChecked={checked} aria-invalid={error ? true : undefined} aria-describedby={describedBy} /> {f.label}
              </label>
              {hint}
              {problem}
            </div>
          );
        }
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{f.label}</label>
            {f.kind === "select" ? (
              <select id={id} name={f.name} defaultValue={value(f.name, f.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                name={f.name}
                type={f.kind === "number" ? "text" : f.kind}
                inputMode={f.kind === "number" ? (f.inputMode ?? "decimal") : undefined}
                autoComplete={f.autoComplete ?? "off"}
                defaultValue={value(f.name, f.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
              />
            )}
            {hint}
            {problem}
          </div>
        );
      })}
      <button type="submit" className={danger ? "danger" : undefined} disabled={pending}>
        {pending ? "Working…" : submit}
      </button>
    </form>
  );
}
