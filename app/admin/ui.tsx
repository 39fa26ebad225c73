// Small building blocks the console's pages share: a filter form and its fields (plain GET forms that work without
// script), and a table that scrolls in its own box on a narrow screen.
import type { ReactNode } from "react";

/** A search form of a console list: its fields, then the submit button. */
export function FilterForm({ label, submit = "Filter", children }: { label: string; submit?: string; children: ReactNode }) {
  return (
    <form className="card filters" role="search" aria-label={label}>
      {children}
      <div className="field">
        <button type="submit">{submit}</button>
      </div>
    </form>
  );
}

type FieldProps = { name: string; label: string; value: string | undefined; invalid?: boolean; hint?: string };

export function FilterInput({ name, label, value, invalid, hint, type = "text" }: FieldProps & { type?: "text" | "date" }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type={type} defaultValue={value ?? ""} aria-invalid={invalid ? true : undefined} aria-describedby={hint ? `${name}-hint` : undefined} />
      {hint && (
        <span id={`${name}-hint`} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/** A select whose first option, "Any", means no filter. */
export function FilterSelect({ name, label, value, options }: Omit<FieldProps, "invalid" | "hint"> & { options: readonly (string | { value: string; label: string })[] }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value ?? ""}>
        <option value="">Any</option>
        {options.map((o) => {
          const { value: v, label: l } = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option key={v} value={v}>
              {l}
            </option>
          );
        })}
      </select>
    </div>
  );
}

/** A compact table that scrolls inside its own box (focusable, so the keyboard can scroll it), named by `label`. */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="group" aria-label={label} tabIndex={0}>
      <table className="compact">{children}</table>
    </div>
  );
}
