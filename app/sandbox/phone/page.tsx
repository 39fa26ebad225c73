// The sandbox phone (sandbox mode only): read every text the Twilio emulator delivered, per number, and reply from
// that number (STOP, START, HELP or anything) through Twilio's signed inbound webhook.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { getTwilioEmulator } from "@/lib/twilio/runtime";
import { displayNumber, phoneBook, type PhoneMessage } from "@/lib/twilio/emulator/phone-book";
import { normalisePhone } from "@/lib/twilio/phone";
import { MAX_SMS_BODY } from "@/lib/twilio/sms";
import { TWILIO_INBOUND_PATH } from "@/lib/http/webhook-paths";
import { replyAction } from "./actions";
import { AutoRefresh } from "./AutoRefresh";
import styles from "./phone.module.css";

export const metadata: Metadata = { title: "Sandbox phone" };
export const dynamic = "force-dynamic";

const time = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

const ERRORS: Record<string, string> = {
  number: "That is not a phone number the sandbox phone can reply from. Use international format, e.g. +44 7400 123456.",
  empty: "Write a message before sending the reply.",
  long: `A text message can have at most ${MAX_SMS_BODY} characters.`,
};

const BADGE: Record<PhoneMessage["outcome"], string> = { Delivered: "ok", Pending: "neutral", Failed: "bad", Received: "warn" };

function Message({ m }: { m: PhoneMessage }) {
  const who =
    m.direction === "inbound"
      ? "Reply from this phone"
      : m.direction === "outbound-reply"
        ? m.replyBy === "twilio"
          ? "Automatic answer from Twilio"
          : "Answer from the app"
        : "Text from the app";
  return (
    <li className={`card ${styles.message} ${m.direction === "inbound" ? styles.mine : ""}`}>
      <div className={styles.meta}>
        <strong>{who}</strong>
        <span className={`badge ${BADGE[m.outcome]}`}>{m.status}</span>
        <time dateTime={new Date(m.dateCreated).toISOString()} className="muted">
          {time.format(m.dateCreated)} UTC
        </time>
      </div>
      <p className={styles.body}>{m.body}</p>
      {m.reason && <p className="alert error">{m.reason}</p>}
      {m.direction === "inbound" && (
        <div className={styles.detail}>
          {m.replyHttpStatus !== null ? (
            <p>
              Inbound webhook {TWILIO_INBOUND_PATH} answered <strong>HTTP {m.replyHttpStatus}</strong>.
            </p>
          ) : (
            <p className="alert error">{m.replyError ?? "The inbound webhook has not answered yet."}</p>
          )}
          {m.replyBody && (
            <details>
              <summary>What the app answered</summary>
              <pre>{m.replyBody}</pre>
            </details>
          )}
        </div>
      )}
      {m.direction === "outbound-api" && (
        <details className={styles.detail}>
          <summary>
            {m.sid} · {m.numSegments} segment{m.numSegments === 1 ? "" : "s"} · from {m.from}
          </summary>
          {m.callbacks.length ? (
            <ul>
              {m.callbacks.map((c) => (
                <li key={c.id}>
                  Status callback “{c.status}”: {c.httpStatus !== null ? `HTTP ${c.httpStatus}` : `not delivered (${c.error})`}
                  {c.fault ? ` — fault: ${c.fault}` : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{m.statusCallback ? "No status callback sent yet." : "No StatusCallback URL was given."}</p>
          )}
        </details>
      )}
    </li>
  );
}

export default async function SandboxPhonePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  sandboxPageOnly();
  // Opening the phone also resumes any message steps left pending by a restart.
  getTwilioEmulator();
  const params = await searchParams;
  const asked = typeof params.number === "string" ? params.number : undefined;
  const normalised = asked ? normalisePhone(asked, getEnv().twilio.defaultCountry) : undefined;
  const book = phoneBook(getDb(), normalised?.ok ? normalised.e164 : undefined);
  const error = typeof params.error === "string" ? ERRORS[params.error] : undefined;
  const replied = typeof params.reply === "string" ? book.messages.find((m) => m.sid === params.reply) : undefined;
  const selected = book.selected;

  return (
    <>
      <AutoRefresh everyMs={2000} />
      <h1>Sandbox phone</h1>
      <p className="lead">
        Every text message the app sends through the local Twilio emulator arrives here. Open a number to read its messages, and reply from it
        (STOP, START, HELP or anything else) as its owner would. Twilio answers STOP, START and HELP itself. Faults and limits:{" "}
        <Link href="/sandbox/twilio">Twilio emulator</Link>.
      </p>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {replied && (
        <div className={`alert ${replied.replyHttpStatus !== null && replied.replyHttpStatus < 300 ? "ok" : "error"}`} role="status">
          Reply sent from {displayNumber(replied.from)}.{" "}
          {replied.replyHttpStatus !== null ? `The app's inbound webhook answered HTTP ${replied.replyHttpStatus}.` : replied.replyError}
        </div>
      )}
      <div className={styles.layout}>
        <nav aria-labelledby="numbers-heading" className="card">
          <h2 id="numbers-heading">Numbers</h2>
          {book.numbers.length ? (
            <ul className={styles.numbers}>
              {book.numbers.map((n) => (
                <li key={n.number}>
                  <Link href={`/sandbox/phone?${new URLSearchParams({ number: n.number })}`} aria-current={n.number === selected ? "page" : undefined}>
                    {n.display}
                  </Link>{" "}
                  <span className="muted">({n.count})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No messages yet. Send an SMS smoke signal, then come back here.</p>
          )}
          <form method="get" action="/sandbox/phone">
            <div className="field">
              <label htmlFor="open-number">Open a number</label>
              <input id="open-number" name="number" type="tel" placeholder="+44 7400 123456" defaultValue={asked && !normalised?.ok ? asked : ""} />
            </div>
            <button type="submit" className="secondary">
              Open
            </button>
          </form>
          <details className={styles.detail}>
            <summary>Test numbers</summary>
            <p className="muted">
              Sent to +1 500 555 0001 / 0002 / 0003 / 0004 / 0009: refused by Twilio (21211 / 21612 / 21408 / 21610 / 21614). Sent to +1 500 555 3003 …
              3007: accepted, then undelivered with error 30003 … 30007; +1 500 555 3008: failed with 30008.
            </p>
          </details>
        </nav>
        <section aria-labelledby="conversation-heading">
          {selected ? (
            <>
              <h2 id="conversation-heading">Messages for {displayNumber(selected)}</h2>
              <form action={replyAction} className="card">
                <input type="hidden" name="from" value={selected} />
                <div className="field">
                  <label htmlFor="reply-body">Reply from {displayNumber(selected)}</label>
                  <textarea id="reply-body" name="body" rows={2} maxLength={MAX_SMS_BODY} />
                </div>
                <div className="actions">
                  <button type="submit">Send reply</button>
                  {["STOP", "START", "HELP"].map((word) => (
                    <button key={word} type="submit" name="keyword" value={word} className="secondary">
                      Reply {word}
                    </button>
                  ))}
                </div>
              </form>
              {book.messages.length ? (
                <ol className={styles.list} aria-label={`Messages for ${displayNumber(selected)}, newest first`}>
                  {book.messages.map((m) => (
                    <Message key={m.sid} m={m} />
                  ))}
                </ol>
              ) : (
                <p className="muted">No messages for this number yet.</p>
              )}
            </>
          ) : (
            <h2 id="conversation-heading">No number selected</h2>
          )}
        </section>
      </div>
    </>
  );
}
