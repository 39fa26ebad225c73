"use client";
// The profile's age verification control: start Yoti in a popup (full-page when blocked) and show the status live.
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { StatusView } from "@/lib/verification/service";
import { OUTCOME_TEXT } from "@/lib/verification/return-page";
import { isActiveStatus } from "@/lib/verification/status";

const API = "/api/accounts/profile/yoti";
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

type Badge = { tone: "ok" | "warn" | "bad" | "neutral"; text: string };

function badgeFor(view: StatusView): Badge {
  if (view.verified) return { tone: "ok", text: `Verified on ${view.verification_date ? dateFormat.format(new Date(view.verification_date)) : "record"}` };
  const status = view.latest_session?.status;
  if (!status) return { tone: "neutral", text: "Not verified" };
  if (isActiveStatus(status)) return { tone: "warn", text: "In progress" };
  if (status === "FAIL") return { tone: "bad", text: "Failed" };
  if (status === "CANCELLED") return { tone: "bad", text: "Cancelled" };
  if (status === "EXPIRED") return { tone: "bad", text: "Expired" };
  if (status === "ERROR") return { tone: "bad", text: "Could not be completed" };
  return { tone: "neutral", text: "Not verified" };
}

type Props = { initial: StatusView; threshold: number; /** Sent here by the members area's age gate. */ gate?: boolean };

export function AgeVerification({ initial, threshold, gate = false }: Props) {
  const [view, setView] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [popupOpen, setPopupOpen] = useState(false);
  const popup = useRef<Window | null>(null);

  const refresh = useCallback(async () => {
    const response = await fetch(`${API}/status`, { cache: "no-store" }).catch(() => null);
    if (response?.ok) setView((await response.json()) as StatusView);
  }, []);

  /** Asks Yoti (through our server) for the authoritative result, e.g. when the popup closed without telling us. */
  const checkResult = useCallback(
    async (sessionId: string) => {
      await fetch(`${API}/session/${encodeURIComponent(sessionId)}/result`, { cache: "no-store" }).catch(() => null);
      await refresh();
    },
    [refresh],
  );

  // The return page in the popup (or another tab) tells us the check ended; the message itself is not trusted.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin === window.location.origin && (event.data as { type?: string })?.type === "yoti-verification") void refresh();
    };
    window.addEventListener("message", onMessage);
    let channel: BroadcastChannel | null = null;
    try {
      channel = new BroadcastChannel("yoti-verification");
      channel.onmessage = () => void refresh();
    } catch {
      channel = null;
    }
    return () => {
      window.removeEventListener("message", onMessage);
      channel?.close();
    };
  }, [refresh]);

  const sessionId = view.latest_session?.session_id;

  // Back on the profile with a check still open: ask Yoti once, in case its result arrived while nobody was watching.
  const initialSession = initial.latest_session;
  useEffect(() => {
    if (initial.verified || !initialSession || !isActiveStatus(initialSession.status)) return;
    const timer = setTimeout(() => void checkResult(initialSession.session_id), 0);
    return () => clearTimeout(timer);
  }, [initial.verified, initialSession, checkResult]);
  const watching = !view.verified && (popupOpen || isActiveStatus(view.latest_session?.status ?? ""));

  // Polling while a check is under way: every 700 ms for the first two minutes, then backing off to 10 s.
  useEffect(() => {
    if (!watching) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const started = Date.now();
    let delay = 700;
    const tick = async () => {
      if (stopped) return;
      if (popup.current?.closed) {
        popup.current = null;
        setPopupOpen(false);
        if (sessionId) await checkResult(sessionId);
      } else {
        await refresh();
      }
      if (Date.now() - started > 120_000) delay = Math.min(10_000, delay * 1.5);
      if (!stopped) timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [watching, sessionId, refresh, checkResult]);

  async function start() {
    if (busy) return;
    setError(null);
    setBusy(true);
    // Opened during the click so popup blockers allow it; pointed at Yoti once the session exists.
    const win = window.open("", "yoti-verification", "popup,width=520,height=780");
    try {
      win?.document.write("<title>Age verification</title><p style='font-family:system-ui'>Opening Yoti…</p>");
    } catch {
      /* a window we cannot write to is still usable */
    }
    // JSON, like every unsafe API call: the server refuses other bodies (CSRF, lib/http/csrf.ts).
    const response = await fetch(`${API}/create-session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { verification_url?: string; error?: { message?: string } } | null;
    setBusy(false);
    if (!response?.ok || !body?.verification_url) {
      win?.close();
      // A 401 here means this tab's sign-in has ended (signed out elsewhere, or expired): say so in the member's words.
      setError(
        response?.status === 401
          ? "You have been signed out. Sign in again, then start the check."
          : (body?.error?.message ?? "We could not start the check. Check your connection and try again."),
      );
      return;
    }
    if (win && !win.closed) {
      win.location.href = body.verification_url;
      popup.current = win;
      setPopupOpen(true);
      void refresh();
    } else {
      // The browser blocked the popup: continue in this tab; Yoti brings the member back to the profile.
      window.location.assign(body.verification_url);
    }
  }

  const badge = badgeFor(view);
  const status = view.latest_session?.status;
  const message = view.verified
    ? `You have shown that you are ${threshold} or over${view.method ? ` (${view.method.replace(/_/g, " ").toLowerCase()})` : ""}.`
    : status && !isActiveStatus(status)
      ? OUTCOME_TEXT[status] ?? OUTCOME_TEXT.UNKNOWN
      : status
        ? popupOpen
          ? "Finish the check in the Yoti window. This page updates by itself."
          : "You started a check but have not finished it. Continue where you left off."
        : `Verify that you are ${threshold} or over with Yoti to open the members area. It takes about a minute.`;
  const label = !status ? "Start Verification" : isActiveStatus(status) ? "Continue verification" : "Try again";

  return (
    <div>
      {gate && !view.verified && (
        <div className="alert info" role="note">
          The members area is only open to members who have verified their age. Verify your age below to get in.
        </div>
      )}
      <div role="status" aria-live="polite" aria-atomic="true">
        <p>
          <span className={`badge ${badge.tone}`}>{badge.text}</span>
        </p>
        <p>{message}</p>
      </div>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      <div className="actions">
        {view.verified ? (
          <Link href="/members" className="button">
            Go to the members area
          </Link>
        ) : (
          // aria-disabled, not disabled: a disabled button drops keyboard focus, and a failed start would leave the
          // member at the top of the page instead of next to the error.
          <button type="button" onClick={start} aria-disabled={busy} aria-describedby="age-verification-help">
            {busy ? "Starting…" : label}
          </button>
        )}
      </div>
      {!view.verified && (
        <p id="age-verification-help" className="muted">
          Yoti opens in a new window. If your browser blocks it, this page takes you there instead and brings you back.
        </p>
      )}
    </div>
  );
}
