// The sandbox control pages' form handling for faults (save, reset to the environment's, turn off), shared by the
// Twilio and Yoti pages' server actions.
import "server-only";
import { describeProblems, formToSettings, settingsToForm, type FaultField } from "./fault-form";
import type { FaultStore } from "./faults";

export type FaultsState = { ok?: string; errors?: string[]; values: Record<string, string>; at?: number };

export function currentFaults(fields: readonly FaultField[], store: FaultStore<Record<string, unknown>>): FaultsState {
  return { values: settingsToForm(fields, store.get()) };
}

/** One submission of the faults form: `do` is save, reset or off. */
export function applyFaultsForm(fields: readonly FaultField[], store: FaultStore<Record<string, unknown>>, form: FormData): FaultsState {
  const at = Date.now();
  const what = String(form.get("do") ?? "save");
  if (what === "reset") return { ok: "Reset to the environment's settings.", values: settingsToForm(fields, store.reset()), at };
  const result = store.set(what === "off" ? {} : formToSettings(fields, form));
  if (!result.ok) {
    // Keep what the tester typed, so only the wrong field needs fixing.
    const typed = Object.fromEntries(fields.map((f) => [f.key, String(form.get(f.key) ?? "")]));
    return { errors: describeProblems(fields, result.fields), values: typed, at };
  }
  return { ok: what === "off" ? "Every fault is off." : "Saved: these faults are on now.", values: settingsToForm(fields, result.settings), at };
}
