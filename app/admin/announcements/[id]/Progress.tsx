"use client";
// An announcement's progress, updated without a reload: asks the progress API every second and a half until every
// message is sent or failed and every text's delivery report has come (every 3 s while only reports are awaited),
// and reads each change out politely.
import { useEffect, useState } from "react";
import type { ProgressView } from "@/lib/announcements/progress";

export function Progress({ id, initial }: { id: string; initial: ProgressView }) {
  const [view, setView] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (view.done && view.awaitingReports === 0) return;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/admin/announcements/${id}/progress`, { cache: "no-store" });
        const body = await res.json();
        if (!res.ok) return setProblem(body?.error?.message ?? "The progress could not be read. Reload the page.");
        setProblem(null);
        setView(body.view as ProgressView);
      } catch {
        setProblem("The progress could not be read (no connection?). Trying again.");
        setView((v) => ({ ...v }));
      }
    }, view.done ? 3_000 : 1_500);
    return () => clearTimeout(timer);
  }, [id, view]);
  return (
    <div aria-live="polite">
      <p>
        <strong>{view.done ? "Done." : view.queuing ? "Queuing recipients…" : "Sending…"}</strong>
        {view.done && view.awaitingReports > 0 && ` Waiting for the carriers’ delivery reports of ${view.awaitingReports} ${view.awaitingReports === 1 ? "text" : "texts"}.`}
      </p>
      <ul className="notes" aria-label="Progress">
        {view.lines.map((line) => (
          <li key={line.split(":")[0]}>{line}</li>
        ))}
      </ul>
      {view.failures.length > 0 && (
        <>
          <h3>Why some failed</h3>
          <ul className="notes" aria-label="Failures">
            {view.failures.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </>
      )}
      {problem && (
        <p className="alert error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
