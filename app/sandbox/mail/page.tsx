import type { Metadata } from "next";
import { Fragment } from "react";
import { getDb } from "@/db/client";
import { listCaughtMail } from "@/lib/email/catcher";
import { sandboxPageOnly } from "@/lib/sandbox/guard";

export const metadata: Metadata = { title: "Sandbox mail" };
export const dynamic = "force-dynamic";

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** Linkifies URLs in caught plain-text mail so a tester can follow a join link. */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <a key={i} href={p}>{p}</a> : p))}</>;
}

export default async function SandboxMailPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  sandboxPageOnly();
  const { to } = await searchParams;
  const mail = listCaughtMail(getDb(), { to, limit: 50 });
  return (
    <>
      <h1>Sandbox mail</h1>
      <p className="lead">
        Sandbox mode has no SMTP server configured, so email the app sends is caught here instead of being delivered. Newest first.
      </p>
      <form className="actions card" role="search">
        <label htmlFor="to">Recipient</label>
        <input id="to" name="to" type="email" defaultValue={to} />
        <button type="submit" className="secondary">
          Filter
        </button>
      </form>
      {mail.length === 0 && <p className="muted">No mail {to ? `to ${to} ` : ""}yet.</p>}
      {mail.map((m) => (
        <article key={m.id} className="card" aria-label={`${m.subject} to ${m.to}`}>
          <h2>{m.subject}</h2>
          <dl className="facts">
            <dt>To</dt>
            <dd>{m.to}</dd>
            <dt>From</dt>
            <dd>{m.from}</dd>
            <dt>Caught</dt>
            <dd>{when.format(m.createdAt)} UTC</dd>
            {Object.entries(m.headers ?? {}).map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
          <pre className="mail">
            <Linked text={m.text} />
          </pre>
        </article>
      ))}
    </>
  );
}
