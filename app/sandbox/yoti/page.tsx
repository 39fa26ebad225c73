// The emulator's hosted verification page (Yoti's sandbox page): what the session asks, and the tester's chosen result.
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { currentFaults } from "@/lib/sandbox/fault-actions";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { YOTI_FAULT_FIELDS } from "@/lib/yoti/emulator/faults";
import { openHostedSession } from "@/lib/yoti/emulator/hosted";
import { getYotiFaults } from "@/lib/yoti/runtime";
import { FaultsPanel } from "../FaultsPanel";
import { yotiFaultsAction } from "./actions";

export const metadata: Metadata = { title: "Yoti sandbox" };
export const dynamic = "force-dynamic";

const LABELS: Record<string, string> = { AGE_ESTIMATION: "Age estimation (selfie)", DIGITAL_ID: "Digital ID (Yoti app)", DOC_SCAN: "Identity document scan" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function YotiSandboxPage({ searchParams }: Props) {
  sandboxPageOnly();
  const params = await searchParams;
  const one = (k: string) => (typeof params[k] === "string" ? (params[k] as string) : "");
  const sessionId = one("sessionId");
  const sdkId = one("sdkId");
  const error = one("error");
  const view = sessionId && sdkId ? openHostedSession(getDb(), sessionId, sdkId, new Date()) : undefined;
  const faults = getYotiFaults();
  const panel = (
    <FaultsPanel
      emulator="Yoti"
      envVariable="SANDBOX_YOTI_FAULTS"
      endpoint="/sandbox/yoti/faults"
      fields={YOTI_FAULT_FIELDS}
      initial={currentFaults(YOTI_FAULT_FIELDS, faults)}
      source={faults.source()}
      injected={faults.injected()}
      action={yotiFaultsAction}
    />
  );

  // Without a session this is the emulator's own page: what it is, and its faults on demand.
  if (!sessionId) {
    return (
      <>
        <h1>Yoti emulator</h1>
        <p className="lead">
          The local stand-in for Yoti&apos;s Age Verification Service that the app talks to in sandbox mode. A member who starts a verification
          comes to this page with their session to choose the result Yoti reports; notifications are signed as Yoti signs them and retried until
          the app answers 200.
        </p>
        {panel}
      </>
    );
  }

  return (
    <div className="narrow">
      <h1>Yoti age verification</h1>
      <p className="muted">
        Local sandbox emulator: no camera, no documents. Choose the result Yoti should report; the app receives it
        exactly as it would from Yoti (signed notification, then the return to the app).
      </p>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {!view ? (
        <div className="alert error" role="alert">
          Session not found. Check the sessionId and sdkId in the address.
        </div>
      ) : (
        <>
          <section className="card" aria-labelledby="asks-heading">
            <h2 id="asks-heading">This session asks</h2>
            <dl className="facts">
              <dt>Check</dt>
              <dd>{view.type === "OVER" ? "Over an age threshold" : view.type === "UNDER" ? "Under an age threshold" : "Age"}</dd>
              <dt>Status</dt>
              <dd>{view.session.status}</dd>
              <dt>Expires</dt>
              <dd>{view.session.expiresAt.toISOString().replace("T", " ").slice(0, 19)} UTC</dd>
            </dl>
            <div className="table-scroll" role="group" aria-labelledby="asks-heading" tabIndex={0}>
            <table>
              <caption className="muted">Allowed methods</caption>
              <thead>
                <tr>
                  <th scope="col">Method</th>
                  <th scope="col">Threshold</th>
                  <th scope="col">Attempts used</th>
                </tr>
              </thead>
              <tbody>
                {view.methods.map((m) => (
                  <tr key={m.method}>
                    <td>{LABELS[m.method] ?? m.method}</td>
                    <td>{m.threshold}</td>
                    <td>
                      {m.attempts} of {m.retryLimit + 1}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          </section>
          {view.closedReason ? (
            <div className="alert info" role="status">
              {view.closedReason}
            </div>
          ) : (
            <section className="card" aria-labelledby="result-heading">
              <h2 id="result-heading">Result to report</h2>
              <form method="post" action={`/sandbox/yoti/hosted/${encodeURIComponent(view.session.id)}/submit`}>
                <input type="hidden" name="sdkId" value={sdkId} />
                <div className="field">
                  <label htmlFor="method">Method</label>
                  <select id="method" name="method" defaultValue={view.preset.method}>
                    {view.methods.map((m) => (
                      <option key={m.method} value={m.method}>
                        {LABELS[m.method] ?? m.method} (threshold {m.threshold})
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="age">Age</label>
                  <input id="age" name="age" type="number" min={0} max={130} required defaultValue={view.preset.age} aria-describedby="age-hint" />
                  <span id="age-hint" className="hint">
                    As in Yoti&apos;s sandbox, the age decides: at or over the method&apos;s threshold gives COMPLETE, under gives FAIL.
                  </span>
                </div>
                <fieldset className="field">
                  <legend>Outcome</legend>
                  <label>
                    <input type="radio" name="outcome" value="AGE" defaultChecked={view.preset.outcome === "AGE"} /> Decided by the age (COMPLETE or FAIL)
                  </label>
                  <label>
                    <input type="radio" name="outcome" value="ERROR" defaultChecked={view.preset.outcome === "ERROR"} /> ERROR (no result possible)
                  </label>
                </fieldset>
                <button type="submit">Submit result</button>
              </form>
              <form method="post" action={`/sandbox/yoti/hosted/${encodeURIComponent(view.session.id)}/cancel`} style={{ marginTop: "1rem" }}>
                <input type="hidden" name="sdkId" value={sdkId} />
                <button type="submit" className="secondary">
                  Cancel
                </button>
              </form>
            </section>
          )}
        </>
      )}
    </div>
  );
}
