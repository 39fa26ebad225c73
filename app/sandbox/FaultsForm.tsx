"use client";
// The form half of a sandbox emulator's "Faults on demand": change the settings, reset them to the environment's,
// or turn every fault off; refused settings are explained field by field and change nothing.
import { useActionState } from "react";
import type { FaultsState } from "@/lib/sandbox/fault-actions";
import type { FaultField } from "@/lib/sandbox/fault-form";

type Props = {
  emulator: string;
  fields: readonly FaultField[];
  initial: FaultsState;
  action: (state: FaultsState, form: FormData) => Promise<FaultsState>;
};

export function FaultsForm({ emulator, fields, initial, action }: Props) {
  const [state, formAction, pending] = useActionState(action, initial);
  return (
    <form action={formAction} key={state.at ?? 0} aria-label={`${emulator} fault settings`}>
      {state.errors?.length ? (
        <div className="alert error" role="alert">
          Nothing was changed. {state.errors.join(" ")}
        </div>
      ) : null}
      {state.ok && (
        <div className="alert ok" role="status">
          {state.ok}
        </div>
      )}
      <div className="fault-grid">
        {fields.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`fault-${f.key}`}>
              {f.label}
              {f.kind === "share" ? " (%)" : ""}
            </label>
            <input
              id={`fault-${f.key}`}
              name={f.key}
              type={f.kind === "number" ? "tel" : "text"}
              inputMode={f.kind === "number" ? "tel" : "decimal"}
              defaultValue={state.values[f.key] ?? ""}
              aria-describedby={f.hint ? `fault-${f.key}-hint` : undefined}
            />
            {f.hint && (
              <span id={`fault-${f.key}-hint`} className="hint">
                {f.hint}
              </span>
            )}
          </div>
        ))}
      </div>
      <div className="actions">
        <button type="submit" name="do" value="save" disabled={pending}>
          Save faults
        </button>
        <button type="submit" name="do" value="reset" className="secondary" disabled={pending}>
          Reset to the environment&apos;s settings
        </button>
        <button type="submit" name="do" value="off" className="secondary" disabled={pending}>
          Turn every fault off
        </button>
      </div>
    </form>
  );
}
