// A sandbox emulator's "Faults on demand" section: what is on (and where that came from), what the faults did, and
// the form to change them. Server component; the form is FaultsForm.
import type { FaultsState } from "@/lib/sandbox/fault-actions";
import type { FaultField } from "@/lib/sandbox/fault-form";
import { FaultsForm } from "./FaultsForm";

type Props = {
  emulator: string;
  envVariable: string;
  endpoint: string;
  fields: readonly FaultField[];
  initial: FaultsState;
  source: "environment" | "changed";
  injected: Record<string, number>;
  action: (state: FaultsState, form: FormData) => Promise<FaultsState>;
};

export function FaultsPanel({ emulator, envVariable, endpoint, fields, initial, source, injected, action }: Props) {
  const on = fields.filter((f) => f.kind === "share" && Number(initial.values[f.key] || 0) > 0);
  return (
    <section className="card" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Faults on demand</h2>
      <p className="muted">
        Make the {emulator} emulator misbehave the way the real provider sometimes does, to see what members would see. Settings start from{" "}
        <code>{envVariable}</code>; changes here last until the server restarts. Scripts can use <code>{endpoint}</code> (GET, PUT JSON, DELETE to reset).
      </p>
      <p role="status" className={on.length ? "alert info" : "muted"}>
        {on.length
          ? `Faults on: ${on.map((f) => `${f.label.toLowerCase()} ${initial.values[f.key]}%`).join("; ")}${initial.values.to ? `, only for ${initial.values.to}` : ""}.`
          : "No faults are on."}{" "}
        {source === "changed" ? "Changed on this page." : `As set by ${envVariable || "default"}.`}
      </p>
      {Object.keys(injected).length > 0 && (
        <div className="table-scroll" role="group" aria-labelledby="injected-caption" tabIndex={0}>
          <table>
            <caption id="injected-caption" className="muted">
              Faults injected since the start or the last reset
            </caption>
            <thead>
              <tr>
                <th scope="col">Fault</th>
                <th scope="col">Times</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(injected).map(([kind, n]) => (
                <tr key={kind}>
                  <td>{kind}</td>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FaultsForm emulator={emulator} fields={fields} initial={initial} action={action} />
    </section>
  );
}
