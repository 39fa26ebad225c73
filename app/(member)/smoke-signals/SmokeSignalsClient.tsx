"use client";
// Compose a smoke signal (channel, number with country, consent, message with live SMS segment count) and watch the
// history update as delivery reports arrive, without reloading. "From my phone" prepares the text and personal join
// link for the member's own messages app (offered first on small screens); platform SMS only for verified members.
import Link from "next/link";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { URL_TOKEN_LENGTH } from "@/lib/http/url-token";
import { composeSms, joinUrl } from "@/lib/smoke-signals/compose";
import type { SignalView } from "@/lib/smoke-signals/queries";
import { MAX_SMS_BODY, segmentInfo } from "@/lib/twilio/sms";

type Page = { items: SignalView[]; page: number; pageSize: number; total: number; hasMore: boolean };
/** Country choices labelled on the server: Node's and the browser's ICU name some regions differently (hydration). */
export type CountryOption = { code: string; label: string };
type Props = {
  initial: Page;
  defaultCountry: string;
  countries: CountryOption[];
  appUrl: string;
  defaultSenderName: string;
  /** Admins see every member's signals: the heading says so. */
  everyone?: boolean;
  /** The member verified their age, so the platform may text for them. */
  smsAllowed: boolean;
};
type Result = { kind: "ok" | "error"; text: string; fields?: Record<string, string> };
type Channel = "SMS" | "Email" | "Own phone";
type Prepared = { text: string; smsUri: string; to: string };

const CHANNEL_LABEL: Record<Channel, string> = { SMS: "SMS", Email: "Email", "Own phone": "From my phone" };
// Phones: the member's own messages app is the natural way, costs the platform nothing and cannot be pumped.
const SMALL_SCREEN = "(max-width: 640px)";
function subscribeSmallScreen(onChange: () => void): () => void {
  const query = window.matchMedia(SMALL_SCREEN);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

const POLL_MS = 2000;
// Fixed to UTC: the server renders this table first, and a browser in another time zone would otherwise produce
// different text on hydration (React error #418) and flash the server's time.
const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function StatusBadge({ s }: { s: SignalView }) {
  const tone = s.status === "Delivered" ? "ok" : s.status === "Failed" ? "bad" : s.status === "Prepared" ? "neutral" : "warn";
  return <span className={`badge ${tone}`}>{s.status}</span>;
}

export function SmokeSignalsClient({ initial, defaultCountry, countries, appUrl, defaultSenderName, everyone = false, smsAllowed }: Props) {
  // The server cannot know the screen: it renders the large-screen form, and a phone switches after hydration.
  const smallScreen = useSyncExternalStore(subscribeSmallScreen, () => window.matchMedia(SMALL_SCREEN).matches, () => false);
  const [chosen, setChannel] = useState<Channel | null>(null);
  // On a phone, "From my phone" comes first and is chosen until the member picks another channel.
  const channel: Channel = chosen ?? (smallScreen ? "Own phone" : smsAllowed ? "SMS" : "Email");
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [copied, setCopied] = useState(false);
  const [country, setCountry] = useState(defaultCountry);
  const [to, setTo] = useState("");
  const [message, setMessage] = useState("");
  const [sender, setSender] = useState("");
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [history, setHistory] = useState<Page>(initial);
  const [announce, setAnnounce] = useState("");
  const known = useRef(new Map(initial.items.map((s) => [s.id, s.status])));

  const channels: Channel[] = [...(smsAllowed ? (["SMS"] as const) : []), "Email", "Own phone"];
  const offered = smallScreen ? (["Own phone", ...channels.filter((c) => c !== "Own phone")] as Channel[]) : channels;

  const smsBody = composeSms({ message, senderName: sender.trim() || defaultSenderName, joinUrl: joinUrl(appUrl, "x".repeat(URL_TOKEN_LENGTH)) });
  const seg = segmentInfo(smsBody);

  // Poll while the page is visible: statuses change as Twilio's callbacks arrive on the server.
  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      if (document.visibilityState !== "visible") return;
      const res = await fetch(`/api/accounts/smoke-signals?page=1&pageSize=${history.pageSize}`, { cache: "no-store" }).catch(() => null);
      if (!res?.ok || stopped) return;
      const next = (await res.json()) as Page;
      const changed = next.items.filter((s) => known.current.has(s.id) && known.current.get(s.id) !== s.status);
      next.items.forEach((s) => known.current.set(s.id, s.status));
      if (changed.length) setAnnounce(changed.map((s) => `Smoke signal to ${s.to}: ${s.status}${s.reason ? `. ${s.reason}` : ""}`).join(". "));
      setHistory(next);
    };
    const timer = setInterval(refresh, POLL_MS);
    if (history.pageSize !== initial.pageSize) void refresh();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [history.pageSize, initial.pageSize]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    setPrepared(null);
    setCopied(false);
    const own = channel === "Own phone";
    try {
      const res = await fetch("/api/accounts/smoke-signals/send", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          own
            ? { to, channel, message }
            : { to, channel, message, consent, ...(channel === "SMS" ? { country } : {}), ...(sender.trim() ? { sender: sender.trim() } : {}) },
        ),
      });
      const body = await res.json().catch(() => ({}));
      if (res.status === 201 && own) {
        setPrepared({ text: body.text, smsUri: body.smsUri, to: body.to });
        setResult({ kind: "ok", text: "Your invitation is ready: send it from your phone below. You will hear here when someone joins with it." });
        setTo("");
        setMessage("");
        const fresh: SignalView = { id: body.id, channel: "Own phone", to: body.to, message, status: "Prepared", providerStatus: null, errorCode: null, reason: null, joined: false, joinedAt: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
        known.current.set(body.id, "Prepared");
        setHistory((h) => ({ ...h, items: [fresh, ...h.items.filter((s) => s.id !== body.id)], total: h.total + 1 }));
      } else if (res.status === 202) {
        setResult({ kind: "ok", text: `Smoke signal to ${body.to} is on its way. Its status updates below.` });
        setTo("");
        setMessage("");
        setConsent(false);
        const fresh: SignalView = { id: body.id, channel: body.channel, to: body.to, message, status: "Pending", providerStatus: null, errorCode: null, reason: null, joined: false, joinedAt: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
        known.current.set(body.id, "Pending");
        setHistory((h) => ({ ...h, items: [fresh, ...h.items.filter((s) => s.id !== body.id)], total: h.total + 1 }));
      } else {
        const retry = res.headers.get("retry-after");
        const fields: Record<string, string> | undefined = body?.error?.fields;
        // Field problems are summed up in the member's words; the API's "The request is not valid (to: …)" is for scripts.
        const text = fields && Object.keys(fields).length > 0 ? `Not sent. ${Object.values(fields).join(" ")}` : body?.error?.message;
        setResult({ kind: "error", text: text ?? `Sending failed (HTTP ${res.status}).${retry ? ` Try again in ${retry} seconds.` : ""}`, fields });
      }
    } catch {
      setResult({ kind: "error", text: "We could not reach the server. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!prepared) return;
    try {
      await navigator.clipboard.writeText(prepared.text);
    } catch {
      // No clipboard permission: select the text so the member can copy it themselves.
      const box = document.getElementById("prepared-text") as HTMLTextAreaElement | null;
      box?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
  }

  const fieldError = (name: string) => (result?.kind === "error" ? result.fields?.[name] : undefined);
  const own = channel === "Own phone";
  const toLabel = channel === "SMS" ? "Mobile number" : own ? "Their mobile number (optional)" : "Email address";

  return (
    <>
      <section className="card" aria-labelledby="compose-heading">
        <h2 id="compose-heading">Send a smoke signal</h2>
        <form onSubmit={submit} noValidate>
          {result && (
            <div className={`alert ${result.kind === "ok" ? "ok" : "error"}`} role={result.kind === "ok" ? "status" : "alert"}>
              {result.text}
            </div>
          )}
          <fieldset className="field" aria-describedby={smsAllowed ? undefined : "sms-unavailable"}>
            <legend>Channel</legend>
            <div className="actions">
              {offered.map((c) => (
                <label key={c} className="choice">
                  <input type="radio" name="channel" value={c} checked={channel === c} onChange={() => setChannel(c)} /> {CHANNEL_LABEL[c]}
                </label>
              ))}
            </div>
            {!smsAllowed && (
              <p id="sms-unavailable" className="hint">
                Text messages from Select Exposure are for members who have verified their age.{" "}
                <Link href="/profile#age-verification">Verify your age</Link> to send them; meanwhile invite by email or from your own phone.
              </p>
            )}
            {own && <p className="hint">We prepare the text with your personal join link; you send it from your own phone. Select Exposure sends nothing.</p>}
          </fieldset>
          {channel === "SMS" && (
            <div className="field">
              <label htmlFor="country">Country</label>
              <select id="country" value={country} onChange={(e) => setCountry(e.target.value)}>
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="to">{toLabel}</label>
            <input
              id="to"
              type={channel === "SMS" ? "tel" : "email"}
              autoComplete="off"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={fieldError("to") ? true : undefined}
              aria-describedby={[fieldError("to") ? "to-error" : "", channel !== "Email" ? "to-hint" : ""].filter(Boolean).join(" ") || undefined}
            />
            {channel === "SMS" && (
              <span id="to-hint" className="hint">
                A number in the country above, or any number with its + prefix.
              </span>
            )}
            {own && (
              <span id="to-hint" className="hint">
                With it, your messages app opens with their number filled in.
              </span>
            )}
            {fieldError("to") && (
              <span id="to-error" className="error">
                {fieldError("to")}
              </span>
            )}
          </div>
          <div className="field">
            <label htmlFor="message">Message</label>
            <textarea
              id="message"
              rows={4}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              aria-invalid={fieldError("message") ? true : undefined}
              aria-describedby={[channel === "SMS" ? "message-count" : "", fieldError("message") ? "message-error" : ""].filter(Boolean).join(" ") || undefined}
            />
            {channel === "SMS" && (
              <>
                <span id="message-count" className={`hint${smsBody.length > MAX_SMS_BODY ? " error" : ""}`}>
                  {smsBody.length} of {MAX_SMS_BODY} characters with the join link · {seg.segments} SMS {seg.segments === 1 ? "segment" : "segments"} ({seg.encoding})
                </span>
                {/* Announced only when the segment count or the limit changes, not on every keystroke as a live counter would. */}
                <span className="visually-hidden" aria-live="polite">
                  {smsBody.length > MAX_SMS_BODY
                    ? `Too long: over ${MAX_SMS_BODY} characters with the join link.`
                    : `${seg.segments} SMS ${seg.segments === 1 ? "segment" : "segments"}.`}
                </span>
              </>
            )}
            {fieldError("message") && (
              <span id="message-error" className="error">
                {fieldError("message")}
              </span>
            )}
          </div>
          {!own && (
          <div className="field">
            <label htmlFor="sender">Your name, as the recipient sees it (optional)</label>
            <input id="sender" value={sender} maxLength={60} placeholder={defaultSenderName} onChange={(e) => setSender(e.target.value)} />
          </div>
          )}
          {!own && (
          <div className="field">
            <label className="choice">
              <input
                type="checkbox"
                checked={consent}
                onChange={(e) => setConsent(e.target.checked)}
                aria-invalid={fieldError("consent") ? true : undefined}
                aria-describedby={fieldError("consent") ? "consent-error" : undefined}
              />{" "}
              The person I am inviting has agreed to receive this message
            </label>
            {fieldError("consent") && (
              <span id="consent-error" className="error">
                {fieldError("consent")}
              </span>
            )}
          </div>
          )}
          <button type="submit" disabled={busy}>
            {own ? (busy ? "Preparing…" : "Prepare the text") : busy ? "Sending…" : "Send smoke signal"}
          </button>
        </form>
        {prepared && (
          <div className="prepared" aria-labelledby="prepared-heading">
            <h3 id="prepared-heading">Send it from your phone</h3>
            <label htmlFor="prepared-text">Invitation text</label>
            <textarea id="prepared-text" readOnly rows={4} value={prepared.text} onFocus={(e) => e.currentTarget.select()} />
            <div className="actions">
              <a className="button" href={prepared.smsUri}>
                Open in my messages app
              </a>
              <button type="button" className="secondary" onClick={copy}>
                Copy the text
              </button>
              <span role="status">{copied ? "Copied." : ""}</span>
            </div>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{everyone ? "All members' smoke signals" : "Your smoke signals"}</h2>
        <p className="visually-hidden" aria-live="polite">
          {announce}
        </p>
        {history.items.length === 0 ? (
          <p className="muted">You have not sent any smoke signals yet.</p>
        ) : (
          <div className="table-scroll" role="group" aria-labelledby="history-heading" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {history.items.map((s) => (
                <tr key={s.id} data-signal-id={s.id}>
                  <td>
                    {s.to}
                    <div className="muted small">{s.message.length > 60 ? `${s.message.slice(0, 60)}…` : s.message}</div>
                  </td>
                  <td>{s.channel}</td>
                  <td>
                    <StatusBadge s={s} />
                    {s.joined && <span className="badge ok">Joined</span>}
                    {s.reason && <div className="small">{s.reason}</div>}
                  </td>
                  <td>
                    <time dateTime={s.createdAt}>{when.format(new Date(s.createdAt))} UTC</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
        {history.hasMore && history.pageSize < 100 && (
          <p>
            <button type="button" className="secondary" onClick={() => setHistory((h) => ({ ...h, pageSize: Math.min(100, h.pageSize + 20) }))}>
              Show older smoke signals
            </button>
          </p>
        )}
      </section>
    </>
  );
}
