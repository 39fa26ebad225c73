// Credentials: each one's age against the 90-day rotation policy, which Twilio credential REST calls use, which auth
// token signed recent webhooks (so the old one can be retired safely), and which Yoti key is in use.
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { credentialsOverview } from "@/lib/console/credentials";
import { requireAdminPage } from "@/lib/console/gate";
import { getEnv } from "@/lib/env";
import { number, when } from "../format";
import { ScrollTable } from "../ui";

export const metadata: Metadata = { title: "Credentials" };
export const dynamic = "force-dynamic";

const AGE_BADGE = { ok: "ok", old: "bad", unknown: "warn" } as const;
const AGE_WORDS = { ok: "OK", old: "Rotate", unknown: "Date unknown" } as const;

export default async function CredentialsPage() {
  await requireAdminPage("/admin/credentials");
  const env = getEnv();
  const c = credentialsOverview(getDb(), env);
  return (
    <>
      <h1>Credentials</h1>
      <p className="lead">
        Rotate every credential at least every 90 days: <code>docs/rotation.md</code> walks through Twilio and Yoti step by step. Secrets are never shown here.
      </p>
      <section className="card" aria-labelledby="ages-heading">
        <h2 id="ages-heading">Age</h2>
        <ScrollTable label="Age">
            <thead>
              <tr>
                <th scope="col">Credential</th>
                <th scope="col">Issued</th>
                <th scope="col">State</th>
                <th scope="col">What to do</th>
              </tr>
            </thead>
            <tbody>
              {c.ages.map((a) => (
                <tr key={a.credential}>
                  <th scope="row">
                    <code>{a.credential}</code>
                  </th>
                  <td>{a.issued ?? "—"}</td>
                  <td>
                    <span className={`badge ${AGE_BADGE[a.status]}`}>{AGE_WORDS[a.status]}</span>
                  </td>
                  <td>{a.advice}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
      </section>
      <section className="card" aria-labelledby="twilio-heading">
        <h2 id="twilio-heading">Twilio</h2>
        <p>
          REST calls (sending, look-ups) authenticate with {c.twilioRest.via}
          {c.twilioRest.inUse ? `; the last accepted was ${c.twilioRest.inUse}` : ""}.
          {!c.twilioRest.usesApiKey && " An API key (TWILIO_API_KEY_SID / _SECRET) is better: it can be rotated without touching the auth token that signs webhooks."}
        </p>
        {c.twilioRest.use.some((u) => u.lastRefusedAt) && (
          <ul className="notes">
            {c.twilioRest.use
              .filter((u) => u.lastRefusedAt)
              .map((u) => (
                <li key={u.name}>
                  Twilio refused <code>{u.name}</code> {when(u.lastRefusedAt)}: {u.lastRefusal}
                </li>
              ))}
          </ul>
        )}
        <h3>Which auth token signed webhooks</h3>
        <ScrollTable label="Webhook signing tokens">
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Configured</th>
                <th scope="col" className="num">
                  Signed (24 h)
                </th>
                <th scope="col">Last signed</th>
              </tr>
            </thead>
            <tbody>
              {c.tokens.map((t) => (
                <tr key={t.token}>
                  <th scope="row">
                    <code>{t.token}</code>
                  </th>
                  <td>{t.configured ? "Yes" : "No"}</td>
                  <td className="num">{number(t.last24h)}</td>
                  <td>{when(t.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        <p role="note">{c.signingAdvice}</p>
      </section>
      <section className="card" aria-labelledby="yoti-heading">
        <h2 id="yoti-heading">Yoti</h2>
        <p>
          Configured: {c.yoti.keys.map((k) => <code key={k}>{k} </code>)}
          {c.yoti.keys.length > 1 ? "(the first is used until Yoti refuses it, then the second)." : ""}
        </p>
        <p>
          In use:{" "}
          {c.yoti.inUse ? (
            <>
              <strong>
                <code>{c.yoti.inUse}</code>
              </strong>{" "}
              (last accepted {when(c.yoti.use.find((u) => u.name === c.yoti.inUse)?.lastOkAt)})
            </>
          ) : (
            "not known yet (no call to Yoti since this was recorded)"
          )}
          .
        </p>
        {c.yoti.use
          .filter((u) => u.lastRefusedAt)
          .map((u) => (
            <p key={u.name}>
              Yoti refused <code>{u.name}</code> {when(u.lastRefusedAt)}: {u.lastRefusal}.
              {u.name.endsWith("_SECONDARY") ? "" : " If the second key is in use, move it to the primary variable and remove the old one."}
            </p>
          ))}
      </section>
    </>
  );
}
