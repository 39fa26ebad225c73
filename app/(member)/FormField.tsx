// A labelled input with its hint and error tied to it (aria-describedby), as every member form shows fields.
export function FormField({ name, label, type = "text", autoComplete, error, defaultValue, hint }: { name: string; label: string; type?: string; autoComplete: string; error?: string; defaultValue?: string; hint?: string }) {
  const describedBy = [error ? `${name}-error` : null, hint ? `${name}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type={type} autoComplete={autoComplete} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      {hint && (
        <span id={`${name}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${name}-error`} className="error">
          {error}
        </span>
      )}
    </div>
  );
}
