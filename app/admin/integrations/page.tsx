// Integrations: the doctor's checks, live (each PASS / WARN / FAIL with what to do), and per webhook kind the last one
// received and the last 24 hours' refusals with their likely cause.
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireAdminPage } from "@/lib/console/gate";
import { integrationChecks, webhookHealth } from "@/lib/console/integrations";
import { getEnv } from "@/lib/env";
import { runChecksAction } from "../actions";
import { ConsoleForm } from "../ConsoleForm";
import { ScrollTable } from "../ui";
import { number, when } from "../format";

export const metadata: Metadata = { title: "Integrations" };
export const dynamic = "force-dynamic";

const BADGE = { PASS: "ok", WARN: "warn", FAIL: "bad" } as const;
const TOKEN_WORDS: Record<string, string> = { primary: "signed with TWILIO_AUTH_TOKEN", secondary: "signed with TWILIO_AUTH_TOKEN_SECONDARY" };

export default async function IntegrationsPage() {
  await requireAdminPage("/admin/integrations");
  const env = getEnv();
  const [run, hooks] = [await integrationChecks(env), webhookHealth(getDb())];
  return (
    <>
      <h1>Integrations</h1>
      <section className="card" aria-labelledby="checks-heading">
        <h2 id="checks-heading">Checks</h2>
        <p className="muted">
          The same checks as <code>npm run doctor</code>, run {when(run.at)} in {number(run.ms)} ms ({env.mode} mode).
        </p>
        <ScrollTable label="Checks">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Check</th>
                <th scope="col">What it found, and what to do</th>
              </tr>
            </thead>
            <tbody>
              {run.results.map((r, i) => (
                <tr key={`${r.name}-${i}`}>
                  <td>
                    <span className={`badge ${BADGE[r.status]}`}>{r.status}</span>
                  </td>
                  <th scope="row">{r.name}</th>
                  <td>{r.detail}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        <ConsoleForm action={runChecksAction} fields={[]} submit="Run the checks again" label="Run the checks again" />
      </section>
      <section className="card" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">Webhooks</h2>
        <ScrollTable label="Webhooks">
            <thead>
              <tr>
                <th scope="col">Webhook</th>
                <th scope="col">Last received</th>
                <th scope="col" className="num">
                  Accepted (24 h)
                </th>
                <th scope="col" className="num">
                  Refused (24 h)
                </th>
                <th scope="col">Last refused</th>
              </tr>
            </thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.kind}>
                  <th scope="row">{h.label}</th>
                  <td>{h.lastAccepted ? when(h.lastAccepted) : "Never"}</td>
                  <td className="num">
                    {number(h.accepted24h)}
                    {h.acceptedBy.length > 0 && (
                      <ul className="notes small">
                        {h.acceptedBy.map((a) => (
                          <li key={a.detail}>
                            {number(a.count)} {TOKEN_WORDS[a.detail] ?? a.detail}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="num">{number(h.refused24h)}</td>
                  <td>{h.lastRefused ? when(h.lastRefused) : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        {hooks.some((h) => h.refusals.length) ? (
          <>
            <h3>Refusals in the last 24 hours and their likely cause</h3>
            <ul className="notes" aria-label="Refusals and their likely cause">
              {hooks.flatMap((h) =>
                h.refusals.map((r) => (
                  <li key={`${h.kind}-${r.cause}`}>
                    <strong>
                      {h.label}: {number(r.count)} refused
                    </strong>{" "}
                    (last {when(r.lastAt)}). {r.words}
                    {r.hint && <> Clue: {r.hint}.</>}
                  </li>
                )),
              )}
            </ul>
          </>
        ) : (
          <p className="muted">No webhook was refused in the last 24 hours.</p>
        )}
      </section>
    </>
  );
}
